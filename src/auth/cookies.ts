// The two cookies of the browser pages: `login` ties an upstream sign-in to the browser that
// began it (SameSite=Lax: it must ride the provider's redirect back), `csrf` carries the device
// page's anti-CSRF token (SameSite=Strict). HttpOnly. On an https issuer they are `__Host-`
// cookies (Secure, Path=/, no Domain), so a sibling domain cannot plant one; on a loopback http
// issuer they are scoped to /oauth/.

import type { FastifyReply, FastifyRequest } from 'fastify';

export type CookieKind = 'login' | 'csrf';

const NAME: Record<CookieKind, string> = { login: 'latchkey_login', csrf: 'latchkey_csrf' };
const SAME_SITE: Record<CookieKind, 'Lax' | 'Strict'> = { login: 'Lax', csrf: 'Strict' };

export class BrowserCookies {
  constructor(private readonly secure: boolean) {}

  /** The cookie's value, or undefined (also when sent twice). Parses untrusted input. */
  read(req: FastifyRequest, kind: CookieKind): string | undefined {
    const header = req.headers.cookie;
    if (typeof header !== 'string' || header.length > 8192) return undefined;
    const name = this.#name(kind);
    let found: string | undefined;
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
      if (found !== undefined) return undefined; // two cookies of one name: trust neither
      found = part.slice(eq + 1).trim();
    }
    return found !== undefined && /^[A-Za-z0-9_-]{1,128}$/.test(found) ? found : undefined;
  }

  /** Sets (or, with maxAgeSeconds 0, clears) the cookie. */
  set(reply: FastifyReply, kind: CookieKind, value: string, maxAgeSeconds: number): void {
    const parts = [`${this.#name(kind)}=${value}`, `Path=${this.secure ? '/' : '/oauth/'}`, 'HttpOnly', `SameSite=${SAME_SITE[kind]}`, `Max-Age=${maxAgeSeconds}`];
    if (this.secure) parts.push('Secure');
    reply.header('set-cookie', parts.join('; ')); // Fastify appends Set-Cookie headers
  }

  #name(kind: CookieKind): string {
    return this.secure ? `__Host-${NAME[kind]}` : NAME[kind];
  }
}
