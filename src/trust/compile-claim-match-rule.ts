// Validates a claimMatch or static rule when it is written (parses author input: the identity
// JSON, or what the CLI built from flags). Chainguard's spellings are accepted (issuer_pattern,
// claim_patterns, issuer_keys, ...); each pair has at most one of exact/pattern and the issuer
// pair exactly one; patterns compile as RE2; a static rule's keys are public keys and its
// expiration at most a year away. Warns about rules that are valid but probably wrong.

import { createPublicKey } from 'node:crypto';
import { LatchkeyError } from '../errors/index.js';
import type { TrustErrorCode } from './errors.js';
import { lintClaimMatchRule } from './lint-patterns.js';
import { compiledPattern } from './pattern-cache.js';
import type { ClaimMatchRule, StaticRule } from './trust-rule.js';

const MAX_PATTERN = 1024;
const MAX_EXACT = 2048;
const MAX_CLAIMS = 32;
const MAX_KEYS = 20;
const YEAR_MS = 366 * 86400_000;
/** Claims with fields of their own (or that the verifier checks itself). */
const RESERVED = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat']);
const CLAIM_NAME = /^[A-Za-z0-9_.:/-]{1,128}$/;

type StringField = 'issuer' | 'issuerPattern' | 'subject' | 'subjectPattern' | 'audience' | 'audiencePattern';
const SPELLINGS: Readonly<Record<string, StringField | 'claims' | 'claimPatterns' | 'issuerKeys' | 'expiration'>> = {
  issuer: 'issuer', issuerPattern: 'issuerPattern', issuer_pattern: 'issuerPattern',
  subject: 'subject', subjectPattern: 'subjectPattern', subject_pattern: 'subjectPattern',
  audience: 'audience', audiencePattern: 'audiencePattern', audience_pattern: 'audiencePattern',
  claims: 'claims', claimPatterns: 'claimPatterns', claim_patterns: 'claimPatterns',
  issuerKeys: 'issuerKeys', issuer_keys: 'issuerKeys', expiration: 'expiration',
};

function invalid(where: string, message: string): never {
  throw new LatchkeyError<TrustErrorCode>('TRUST_RULE_INVALID', `${where}: ${message}`);
}

function checkPattern(where: string, field: string, p: string): void {
  if (p.length === 0 || p.length > MAX_PATTERN) invalid(where, `${field} must be 1 to ${MAX_PATTERN} characters`);
  try {
    compiledPattern(p);
  } catch (err) {
    invalid(where, `${field} is not a valid RE2 pattern (${err instanceof Error ? err.message.slice(0, 200) : 'does not compile'})`);
  }
}

function checkExact(where: string, field: string, v: string): void {
  if (v.length === 0 || v.length > MAX_EXACT) invalid(where, `${field} must be 1 to ${MAX_EXACT} characters`);
}

function stringMap(where: string, field: string, v: unknown, pattern: boolean): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) invalid(where, `${field} must be an object of claim name to ${pattern ? 'pattern' : 'value'}`);
  const out: Record<string, string> = {};
  const entries = Object.entries(v);
  if (entries.length > MAX_CLAIMS) invalid(where, `${field} may name at most ${MAX_CLAIMS} claims`);
  for (const [name, value] of entries) {
    if (!CLAIM_NAME.test(name)) invalid(where, `${field}: ${JSON.stringify(name.slice(0, 40))} is not a claim name`);
    if (RESERVED.has(name)) {
      invalid(where, `${field}: ${name} cannot be named here: use issuer, subject or audience (exp, nbf and iat are always checked)`);
    }
    if (typeof value !== 'string') invalid(where, `${field}.${name} must be a string`);
    if (pattern) checkPattern(where, `${field}.${name}`, value);
    else checkExact(where, `${field}.${name}`, value);
    out[name] = value;
  }
  return out;
}

/** The fields of the input under their canonical names; unknown or doubled fields refused. */
function fieldsOf(where: string, input: unknown, allowed: ReadonlySet<string>): Map<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) invalid(where, 'must be an object');
  const out = new Map<string, unknown>();
  const spelledAs = new Map<string, string>();
  for (const [key, value] of Object.entries(input)) {
    const field = Object.hasOwn(SPELLINGS, key) ? SPELLINGS[key] : undefined;
    if (field === undefined || !allowed.has(field)) {
      invalid(where, `unknown field ${JSON.stringify(key.slice(0, 40))}; allowed: ${[...allowed].join(', ')}`);
    }
    if (spelledAs.has(field)) invalid(where, `${spelledAs.get(field)} and ${key} are the same field; give one`);
    if (value === undefined || value === null) continue;
    spelledAs.set(field, key);
    out.set(field, value);
  }
  return out;
}

const CLAIM_MATCH_FIELDS = new Set(['issuer', 'issuerPattern', 'subject', 'subjectPattern', 'audience', 'audiencePattern', 'claims', 'claimPatterns']);
const STATIC_FIELDS = new Set([...CLAIM_MATCH_FIELDS, 'issuerKeys', 'expiration']);

function claimMatchFrom(where: string, f: Map<string, unknown>): ClaimMatchRule {
  const rule: ClaimMatchRule = {};
  for (const [exact, pattern] of [['issuer', 'issuerPattern'], ['subject', 'subjectPattern'], ['audience', 'audiencePattern']] as const) {
    const e = f.get(exact);
    const p = f.get(pattern);
    if (e !== undefined && p !== undefined) invalid(where, `give ${exact} or ${pattern}, not both`);
    if (e !== undefined) {
      if (typeof e !== 'string') invalid(where, `${exact} must be a string`);
      checkExact(where, exact, e);
      rule[exact] = e;
    }
    if (p !== undefined) {
      if (typeof p !== 'string') invalid(where, `${pattern} must be a string`);
      checkPattern(where, pattern, p);
      rule[pattern] = p;
    }
  }
  if (rule.issuer === undefined && rule.issuerPattern === undefined) invalid(where, 'issuer (or issuerPattern) is required');
  const claims = f.has('claims') ? stringMap(where, 'claims', f.get('claims'), false) : undefined;
  const claimPatterns = f.has('claimPatterns') ? stringMap(where, 'claimPatterns', f.get('claimPatterns'), true) : undefined;
  for (const name of Object.keys(claims ?? {})) {
    if (claimPatterns && Object.hasOwn(claimPatterns, name)) invalid(where, `claim ${name} is in both claims and claimPatterns; give one`);
  }
  if (claims && Object.keys(claims).length) rule.claims = claims;
  if (claimPatterns && Object.keys(claimPatterns).length) rule.claimPatterns = claimPatterns;
  return rule;
}

/**
 * Validates a `claimMatch` object. Throws TRUST_RULE_INVALID saying what to fix.
 *
 * @example
 *   compileClaimMatchRule({ issuer: 'https://token.actions.githubusercontent.com',
 *     subjectPattern: 'repo:octo-org/octo-repo:.*', claims: { ref: 'refs/heads/main' } })
 */
export function compileClaimMatchRule(input: unknown): { rule: ClaimMatchRule; warnings: string[] } {
  const rule = claimMatchFrom('claimMatch', fieldsOf('claimMatch', input, CLAIM_MATCH_FIELDS));
  return { rule, warnings: lintClaimMatchRule(rule, true) };
}

/** The public JWKS of a static rule: an object or its JSON text; public keys only. */
function issuerKeysOf(v: unknown): StaticRule['issuerKeys'] {
  let o = v;
  if (typeof v === 'string') {
    if (v.length > 64 * 1024) invalid('static', 'issuerKeys is over 64 KiB');
    try {
      o = JSON.parse(v);
    } catch {
      invalid('static', 'issuerKeys is not JSON: give the issuer\'s JWKS, {"keys": [...]}');
    }
  }
  const keys = (o as { keys?: unknown } | null)?.keys;
  if (typeof o !== 'object' || o === null || !Array.isArray(keys) || keys.length === 0 || keys.length > MAX_KEYS) {
    invalid('static', `issuerKeys must be a JWKS, {"keys": [...]} with 1 to ${MAX_KEYS} keys`);
  }
  const out: Array<Record<string, unknown>> = [];
  for (const [i, k] of keys.entries()) {
    if (typeof k !== 'object' || k === null || Array.isArray(k)) invalid('static', `issuerKeys.keys[${i}] is not a JWK object`);
    const jwk = k as Record<string, unknown>;
    if (jwk.kty !== 'RSA' && jwk.kty !== 'EC' && jwk.kty !== 'OKP') invalid('static', `issuerKeys.keys[${i}]: kty must be RSA, EC or OKP (public keys only)`);
    if ('d' in jwk) invalid('static', `issuerKeys.keys[${i}] is a PRIVATE key: give the public key only (and replace this one: it has been shared)`);
    try {
      createPublicKey({ key: jwk as never, format: 'jwk' });
    } catch {
      invalid('static', `issuerKeys.keys[${i}] is not a valid public JWK`);
    }
    out.push(jwk);
  }
  return { keys: out };
}

/**
 * Validates a `static` object: a claim-match rule plus issuerKeys and an expiration in the
 * future, at most a year after `now`. Throws TRUST_RULE_INVALID saying what to fix.
 */
export function compileStaticRule(input: unknown, now: Date): { rule: StaticRule; warnings: string[] } {
  const f = fieldsOf('static', input, STATIC_FIELDS);
  const base = claimMatchFrom('static', f);
  if (!f.has('issuerKeys')) invalid('static', 'issuerKeys is required: the issuer\'s public JWKS (e.g. kubectl get --raw /openid/v1/jwks)');
  const issuerKeys = issuerKeysOf(f.get('issuerKeys'));
  const exp = f.get('expiration');
  if (typeof exp !== 'string') invalid('static', 'expiration is required: an RFC 3339 time at most one year away, e.g. 2027-01-31T00:00:00Z');
  const at = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(exp) ? Date.parse(exp) : NaN;
  if (Number.isNaN(at)) invalid('static', 'expiration must be an RFC 3339 time or a date, e.g. 2027-01-31T00:00:00Z');
  if (at <= now.getTime()) invalid('static', 'expiration must be in the future');
  if (at > now.getTime() + YEAR_MS) invalid('static', 'expiration must be at most one year away: static keys are rotated, so re-issue the identity with the new keys');
  const rule: StaticRule = { ...base, issuerKeys, expiration: new Date(at).toISOString() };
  return { rule, warnings: lintClaimMatchRule(base, false) };
}
