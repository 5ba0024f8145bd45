// The two cookies of the browser pages: one ties an upstream sign-in to the browser that began
// it, one carries the device page's anti-CSRF token. HttpOnly, scoped to /oauth/, Secure on
// https issuers.

import type { FastifyReply, FastifyRequest } from 'fastify';

export const LOGIN_COOKIE = 'latchkey_login';
export const CSRF_COOKIE = 'latchkey_csrf';

/** A cookie's value from the Cookie header, or undefined. Parses untrusted input. */
export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string' || header.length > 8192) return undefined;
  let found: string | undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    if (found !== undefined) return undefined; // two cookies of one name: trust neither
    found = part.slice(eq + 1).trim();
  }
  return found !== undefined && /^[A-Za-z0-9_-]{1,128}$/.test(found) ? found : undefined;
}

export interface CookieOptions {
  secure: boolean;
  /** Lax for the login cookie (it must ride the upstream's redirect back); Strict for CSRF. */
  sameSite: 'Lax' | 'Strict';
  maxAgeSeconds: number;
}

export function setCookie(reply: FastifyReply, name: string, value: string, o: CookieOptions): void {
  const parts = [`${name}=${value}`, 'Path=/oauth/', 'HttpOnly', `SameSite=${o.sameSite}`, `Max-Age=${o.maxAgeSeconds}`];
  if (o.secure) parts.push('Secure');
  const prev = reply.getHeader('set-cookie');
  const list = Array.isArray(prev) ? prev : typeof prev === 'string' ? [prev] : [];
  reply.header('set-cookie', [...list, parts.join('; ')]);
}
