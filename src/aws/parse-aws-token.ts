// Parses attacker-controlled input: an AWS identity token, i.e. base64 of one HTTP/1.x
// request head and body (spec checks 1 and 2).
//
// Hand-written on purpose: the strictness is the point (one request, no obs-fold, no control
// bytes, token header names, no Transfer-Encoding, exact Content-Length) and no well-kept HTTP
// parser offers it on a buffer, while the real-client variants (CRLF or bare LF, a trailing
// blank line or none, curl's `HTTP/2` line) must still be accepted. Nothing here interprets
// the request; check-aws-request.ts does.

import { DEFAULT_MAX_TOKEN_BYTES, HEADER, MAX_HEADER_LINES } from './constants.js';
import { decodeTokenBase64 } from './decode-token-base64.js';
import { refuse } from './errors.js';

/** One header line, in the order received. */
export interface AwsRequestHeader {
  /** The name as the client spelled it (forwarded as is). */
  readonly name: string;
  /** The name lowercased, for lookups. */
  readonly lname: string;
  /** The value without surrounding whitespace. */
  readonly value: string;
}

/** A syntactically valid request, not yet checked for meaning. */
export interface ParsedAwsRequest {
  readonly method: string;
  readonly target: string;
  readonly httpVersion: 'HTTP/1.0' | 'HTTP/1.1' | 'HTTP/2';
  readonly headers: readonly AwsRequestHeader[];
  /** The body (printable ASCII only), exactly Content-Length bytes; '' when none. */
  readonly body: string;
}

export interface ParseAwsTokenOptions {
  /** Cap on the encoded token, in characters (default 8192); the decoded request is then at most 3/4 of it. */
  maxTokenBytes?: number;
}

const HTTP_VERSIONS = new Set(['HTTP/1.0', 'HTTP/1.1', 'HTTP/2']);
const LF = 10;
const CR = 13;

function malformed(message: string): never {
  throw refuse('AWS_TOKEN_MALFORMED_REQUEST', message);
}

/** RFC 9110 tchar. */
export function isTokenChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 33 || // !
    (c >= 35 && c <= 39) || // # $ % & '
    c === 42 || // *
    c === 43 || // +
    c === 45 || // -
    c === 46 || // .
    c === 94 || // ^
    c === 95 || // _
    c === 96 || // `
    c === 124 || // |
    c === 126 // ~
  );
}

function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTokenChar(s.charCodeAt(i))) return false;
  return true;
}

function isVisible(c: number): boolean {
  return c > 0x20 && c < 0x7f;
}

/** The head's lines (without terminators) and where the body starts, or -1 without a blank line. */
function splitHead(b: Buffer): { lines: string[]; bodyStart: number } {
  const lines: string[] = [];
  let crlf: boolean | undefined;
  let pos = 0;
  while (pos < b.length) {
    const lf = b.indexOf(LF, pos);
    let end = lf < 0 ? b.length : lf;
    const endsInCr = end > pos && b[end - 1] === CR;
    if (lf >= 0) {
      if (crlf === undefined) crlf = endsInCr;
      else if (crlf !== endsInCr) malformed('line endings mix CRLF and bare LF');
    } else if (endsInCr && crlf === false) {
      malformed('line endings mix CRLF and bare LF');
    }
    // The last line may lack its LF (e.g. after shell command substitution), and then a lone
    // CR is the blank line that ends the head.
    if (endsInCr) end--;
    const next = lf < 0 ? b.length : lf + 1;
    if (end === pos) return { lines, bodyStart: next };
    for (let i = pos; i < end; i++) {
      const c = b[i] as number;
      if (c === CR) malformed('a bare CR inside a line');
      if ((c < 0x20 && c !== 9) || c >= 0x7f) malformed('control or non-ASCII byte in the request head');
    }
    lines.push(b.toString('latin1', pos, end));
    if (lines.length > MAX_HEADER_LINES + 1) {
      throw refuse('AWS_TOKEN_TOO_LARGE', `request has more than ${MAX_HEADER_LINES} header lines`);
    }
    pos = next;
  }
  return { lines, bodyStart: -1 };
}

function parseRequestLine(line: string): Pick<ParsedAwsRequest, 'method' | 'target' | 'httpVersion'> {
  const parts = line.split(' ');
  if (parts.length !== 3) malformed('request line must be "METHOD target HTTP-version" with single spaces');
  const [method, target, version] = parts as [string, string, string];
  if (!isToken(method)) malformed('request method is not a token');
  if (target.length === 0) malformed('request target is empty');
  for (let i = 0; i < target.length; i++) {
    if (!isVisible(target.charCodeAt(i))) malformed('request target has a space or control character');
  }
  if (!HTTP_VERSIONS.has(version)) malformed('HTTP version must be HTTP/1.0, HTTP/1.1 or HTTP/2');
  return { method, target, httpVersion: version as ParsedAwsRequest['httpVersion'] };
}

function parseHeaderLine(line: string): AwsRequestHeader {
  const c0 = line.charCodeAt(0);
  if (c0 === 32 || c0 === 9) malformed('obs-fold (a header line starting with whitespace) is not allowed');
  const colon = line.indexOf(':');
  if (colon < 0) malformed('a header line has no colon (a second request line?)');
  const name = line.slice(0, colon);
  if (!isToken(name)) malformed('a header name is not a token (no spaces before the colon)');
  let s = colon + 1;
  let e = line.length;
  while (s < e && (line.charCodeAt(s) === 32 || line.charCodeAt(s) === 9)) s++;
  while (e > s && (line.charCodeAt(e - 1) === 32 || line.charCodeAt(e - 1) === 9)) e--;
  return { name, lname: name.toLowerCase(), value: line.slice(s, e) };
}

function contentLengthOf(headers: readonly AwsRequestHeader[]): number {
  let found: string | undefined;
  for (const h of headers) {
    if (h.lname === HEADER.transferEncoding) malformed('Transfer-Encoding is not allowed');
    if (h.lname !== HEADER.contentLength) continue;
    if (found !== undefined) malformed('Content-Length appears more than once');
    found = h.value;
  }
  if (found === undefined) return 0;
  if (!/^(?:0|[1-9][0-9]{0,4})$/.test(found)) malformed('Content-Length is not a plain decimal number');
  return Number(found);
}

/**
 * Decodes and parses a token (spec checks 1-2). Throws AwsTokenError with
 * AWS_TOKEN_TOO_LARGE, AWS_TOKEN_BAD_BASE64 or AWS_TOKEN_MALFORMED_REQUEST.
 */
export function parseAwsToken(token: string, opts: ParseAwsTokenOptions = {}): ParsedAwsRequest {
  const maxTokenBytes = opts.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES;
  if (typeof token !== 'string') throw refuse('AWS_TOKEN_BAD_BASE64', 'token is not a string');
  if (token.length > maxTokenBytes) {
    throw refuse('AWS_TOKEN_TOO_LARGE', `token is longer than ${maxTokenBytes} characters`);
  }
  // Capping the encoded length caps the decoded request at 3/4 of it (6 KiB by default).
  const bytes = decodeTokenBase64(token);

  const { lines, bodyStart } = splitHead(bytes);
  const first = lines[0];
  if (first === undefined) malformed('request is empty');
  const requestLine = parseRequestLine(first);
  const headers = lines.slice(1).map(parseHeaderLine);
  const contentLength = contentLengthOf(headers);

  const rest = bodyStart < 0 ? 0 : bytes.length - bodyStart;
  if (rest < contentLength) malformed('body is shorter than Content-Length');
  const bodyEnd = (bodyStart < 0 ? bytes.length : bodyStart) + contentLength;
  // Only a line ending may follow the body (clients and shells add one); anything else would
  // be a second, pipelined request.
  const trailing = bytes.toString('latin1', bodyEnd);
  if (trailing !== '' && trailing !== '\n' && trailing !== '\r\n') {
    malformed('data follows the request (a second request, or a body without Content-Length)');
  }
  const body = bodyStart < 0 ? '' : bytes.toString('latin1', bodyStart, bodyEnd);
  for (let i = 0; i < body.length; i++) {
    if (!isVisible(body.charCodeAt(i))) malformed('body has whitespace, control or non-ASCII bytes');
  }
  return { ...requestLine, headers, body };
}
