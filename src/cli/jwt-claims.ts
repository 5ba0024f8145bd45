// Reads the claims of a token this CLI already holds, to show who it is for and when it
// expires. It does not verify anything (the server does); it never returns the token itself.
// Parses untrusted input: any malformed token yields an empty object, never an exception.

export interface TokenClaims {
  sub?: string;
  iss?: string;
  aud?: string | string[];
  /** Seconds since the epoch. */
  exp?: number;
  email?: string;
}

export function decodeClaims(token: string): TokenClaims {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1]!.length > 16384) return {};
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return {};
    const p = payload as Record<string, unknown>;
    const out: TokenClaims = {};
    if (typeof p.sub === 'string') out.sub = p.sub;
    if (typeof p.iss === 'string') out.iss = p.iss;
    if (typeof p.aud === 'string' || (Array.isArray(p.aud) && p.aud.every((a) => typeof a === 'string'))) out.aud = p.aud as string | string[];
    if (typeof p.exp === 'number' && Number.isFinite(p.exp)) out.exp = p.exp;
    if (typeof p.email === 'string') out.email = p.email;
    return out;
  } catch {
    return {};
  }
}
