// The `--oidc-providers` setting: the upstream OpenID Connect providers people sign in with.
// Given inline as JSON or as the path of a JSON file (keep a file holding client secrets 0600).

import { readFileSync } from 'node:fs';
import { isLoopbackHost } from './loopback.js';

/** One upstream provider, as the operator configures it. */
export interface OidcProviderConfig {
  /** Short name, [a-z0-9-]; the `provider` parameter of the login endpoint. */
  name: string;
  /** What the sign-in page shows; defaults to the name. */
  displayName: string;
  /** Issuer identifier, exactly as the provider's discovery document names it. */
  issuer: string;
  clientId: string;
  /** Omitted for a public client (PKCE only). */
  clientSecret?: string;
  /** Scopes asked for besides `openid` (default: email, profile). */
  scopes: string[];
  /** Pin the ID token's signing algorithm (default: what discovery lists; never HS* or none). */
  idTokenAlg?: string;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/; // RFC 6749 scope-token
const ALG = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/;
const KEYS = new Set(['name', 'displayName', 'issuer', 'clientId', 'clientSecret', 'scopes', 'idTokenAlg']);

/**
 * Checks that an upstream URL is https, or http on a loopback address (tests, local IdPs).
 * @throws TypeError saying what to fix
 */
export function checkUpstreamUrl(raw: string, what: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new TypeError(`${what} "${raw.slice(0, 200)}" is not a URL`);
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (u.protocol === 'http:' && !isLoopbackHost(host)) {
    throw new TypeError(`${what} ${u.origin} uses plain http: use https (plain http is accepted only for loopback addresses)`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new TypeError(`${what} must be an https URL`);
  if (u.username || u.password || u.hash) throw new TypeError(`${what} must not carry credentials or a fragment`);
  return u;
}

/** Parses the setting: inline JSON (starts with `[`) or a file path. */
export function parseOidcProviders(raw: string): OidcProviderConfig[] {
  const text = raw.trim().startsWith('[') ? raw : readProvidersFile(raw.trim());
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw new TypeError('is not valid JSON: give an array of {name, issuer, clientId, clientSecret?, scopes?}');
  }
  if (!Array.isArray(list)) throw new TypeError('must be a JSON array of providers');
  const out = list.map((p, i) => parseProvider(p, i));
  const names = new Set<string>();
  for (const p of out) {
    if (names.has(p.name)) throw new TypeError(`provider name "${p.name}" is given twice`);
    names.add(p.name);
  }
  return out;
}

function readProvidersFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new TypeError(`cannot read the providers file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

function parseProvider(p: unknown, i: number): OidcProviderConfig {
  const at = `provider #${i + 1}`;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new TypeError(`${at} must be an object`);
  const o = p as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KEYS.has(k)) throw new TypeError(`${at}: unknown key "${k.slice(0, 40)}" (known: ${[...KEYS].join(', ')})`);
  }
  if (typeof o.name !== 'string' || !NAME.test(o.name)) throw new TypeError(`${at}: name must be 1-32 of a-z, 0-9 and -`);
  const named = `provider "${o.name}"`;
  if (typeof o.issuer !== 'string') throw new TypeError(`${named}: issuer is required`);
  checkUpstreamUrl(o.issuer, `${named}: issuer`);
  if (typeof o.clientId !== 'string' || !o.clientId || o.clientId.length > 512) throw new TypeError(`${named}: clientId is required`);
  if (o.clientSecret !== undefined && (typeof o.clientSecret !== 'string' || !o.clientSecret)) {
    throw new TypeError(`${named}: clientSecret must be a non-empty string (or omit it for a public client)`);
  }
  const scopes = o.scopes ?? ['email', 'profile'];
  if (!Array.isArray(scopes) || scopes.length > 20 || !scopes.every((s) => typeof s === 'string' && SCOPE.test(s))) {
    throw new TypeError(`${named}: scopes must be an array of scope names`);
  }
  if (o.idTokenAlg !== undefined && (typeof o.idTokenAlg !== 'string' || !ALG.test(o.idTokenAlg))) {
    throw new TypeError(`${named}: idTokenAlg must be an asymmetric JWS algorithm such as RS256 or ES256`);
  }
  if (o.displayName !== undefined && (typeof o.displayName !== 'string' || !o.displayName || o.displayName.length > 100)) {
    throw new TypeError(`${named}: displayName must be 1-100 characters`);
  }
  return {
    name: o.name,
    displayName: (o.displayName as string | undefined) ?? o.name,
    issuer: o.issuer,
    clientId: o.clientId,
    ...(o.clientSecret !== undefined ? { clientSecret: o.clientSecret as string } : {}),
    scopes: [...new Set((scopes as string[]).filter((s) => s !== 'openid'))],
    ...(o.idTokenAlg !== undefined ? { idTokenAlg: o.idTokenAlg as string } : {}),
  };
}
