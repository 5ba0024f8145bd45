// Parses attacker-controlled input: the query string and form body of a token's request
// (spec check 4). Exactly Action=GetCallerIdentity and Version=2011-06-15, once each across
// query and body together, names case-sensitive, nothing else; strict percent-decoding.

import {
  FORM_MEDIA_TYPE,
  HEADER,
  PARAM_ACTION,
  PARAM_VERSION,
  STS_ACTION,
  STS_VERSION,
} from './constants.js';
import { forLog, refuse } from './errors.js';
import type { ParsedAwsRequest } from './parse-aws-token.js';

function badParams(message: string, detail?: Record<string, unknown>): never {
  throw refuse('AWS_TOKEN_BAD_PARAMETERS', message, detail);
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function isUnreserved(c: number): boolean {
  return (
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95 || c === 126
  );
}

/** Strict percent-decoding: only unreserved characters and %XX; decoded bytes must be ASCII. */
function percentDecode(s: string, where: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isUnreserved(c)) {
      out += s[i];
    } else if (c === 37 /* % */ && i + 2 < s.length && hexValue(s.charCodeAt(i + 1)) >= 0 && hexValue(s.charCodeAt(i + 2)) >= 0) {
      const v = hexValue(s.charCodeAt(i + 1)) * 16 + hexValue(s.charCodeAt(i + 2));
      if (v < 0x20 || v >= 0x7f) badParams(`${where} has a percent-encoded control or non-ASCII byte`);
      out += String.fromCharCode(v);
      i += 2;
    } else {
      badParams(`${where} must contain only A-Z a-z 0-9 - . _ ~ and %XX escapes`);
    }
  }
  return out;
}

function parseForm(s: string, where: string, into: Map<string, string>): void {
  for (const pair of s.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) badParams(`${where} has a parameter that is not name=value`);
    const name = percentDecode(pair.slice(0, eq), where);
    const value = percentDecode(pair.slice(eq + 1), where);
    if (into.has(name)) badParams('a parameter appears more than once (in the query, the body, or both)', { name: forLog(name) });
    if (name !== PARAM_ACTION && name !== PARAM_VERSION) {
      badParams('only the Action and Version parameters are allowed', { name: forLog(name) });
    }
    into.set(name, value);
  }
}

/** True when `value` is the form media type, optionally with `charset=utf-8`. */
function isFormContentType(value: string): boolean {
  const [type, ...params] = value.split(';').map((p) => p.trim().toLowerCase());
  if (type !== FORM_MEDIA_TYPE) return false;
  return params.length === 0 || (params.length === 1 && (params[0] === 'charset=utf-8' || params[0] === 'charset="utf-8"'));
}

/** Spec check 4; throws AWS_TOKEN_BAD_PARAMETERS / AWS_TOKEN_BAD_ACTION / AWS_TOKEN_DUPLICATE_HEADER. */
export function checkParameters(req: ParsedAwsRequest, query: string | undefined): void {
  const params = new Map<string, string>();
  if (query !== undefined) parseForm(query, 'query', params);
  if (req.body.length > 0) {
    const types = req.headers.filter((h) => h.lname === HEADER.contentType);
    if (types.length > 1) throw refuse('AWS_TOKEN_DUPLICATE_HEADER', 'Content-Type header appears more than once');
    const type = types[0];
    if (type === undefined || !isFormContentType(type.value)) {
      badParams('a request body must be Content-Type: application/x-www-form-urlencoded');
    }
    parseForm(req.body, 'body', params);
  }
  const action = params.get(PARAM_ACTION);
  if (action === undefined) throw refuse('AWS_TOKEN_BAD_ACTION', 'Action parameter is missing');
  if (action !== STS_ACTION) throw refuse('AWS_TOKEN_BAD_ACTION', 'Action must be GetCallerIdentity');
  const version = params.get(PARAM_VERSION);
  if (version !== STS_VERSION) throw refuse('AWS_TOKEN_BAD_ACTION', 'Version must be 2011-06-15');
}
