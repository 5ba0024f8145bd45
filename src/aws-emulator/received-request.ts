// A request as it arrived on the wire — method, raw target, every header value in order, raw
// body bytes — which is what SigV4 verification needs (a framework's parsed view loses it).
// Parses attacker-controlled input (the request of any local client).

import type { IncomingMessage } from 'node:http';
import { AwsFault } from './aws-fault.js';

export interface ReceivedRequest {
  method: string;
  /** Path part of the request target, still percent-encoded as sent. */
  path: string;
  /** Query part of the request target after `?`, as sent ('' when none). */
  rawQuery: string;
  /** Lower-case header name → each value in the order received (duplicates kept). */
  headers: ReadonlyMap<string, readonly string[]>;
  body: Buffer;
}

/**
 * Node hands header values and the target over as latin1 (one char per byte). SigV4 hashes
 * the bytes, and smithy encodes strings as UTF-8, so give smithy the UTF-8 reading of those
 * bytes when they are valid UTF-8. When they are not, keep the latin1 string: its UTF-8 form
 * differs from what the client hashed, so a signed header like that fails as it would at AWS.
 */
export function wireString(latin1: string): string {
  if (!/[^\x00-\x7f]/.test(latin1)) return latin1;
  const bytes = Buffer.from(latin1, 'latin1');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : latin1;
}

/** Groups Node's `rawHeaders` pairs by lower-case name, keeping every value in order. */
export function groupRawHeaders(rawHeaders: readonly string[]): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = wireString(rawHeaders[i + 1]!);
    const list = headers.get(name);
    if (list) list.push(value);
    else headers.set(name, [value]);
  }
  return headers;
}

/** Reads the whole request, refusing a body over `maxBodyBytes`. */
export async function readReceivedRequest(req: IncomingMessage, maxBodyBytes: number): Promise<ReceivedRequest> {
  const target = wireString(req.url ?? '/');
  const q = target.indexOf('?');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) {
      throw new AwsFault('RequestEntityTooLarge', `Request body must be at most ${maxBodyBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return {
    method: req.method ?? 'GET',
    path: q === -1 ? target : target.slice(0, q),
    rawQuery: q === -1 ? '' : target.slice(q + 1),
    headers: groupRawHeaders(req.rawHeaders),
    body: Buffer.concat(chunks),
  };
}
