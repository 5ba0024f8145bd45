// Bounded, deterministic fuzzing of what attackers and authors hand the OpenID Connect path:
// seeded mutations of a valid token through the static verifier (parse, issuer, times,
// signature) and of rule objects through the rule writer. Invariants: (1) the outcome is
// verified facts or a LatchkeyError, never another exception; (2) an accepted mutated token
// says exactly what the original says; (3) every rule the writer accepts compiles for the matcher.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { isLatchkeyError } from '../../src/errors/index.js';
import { StaticVerifier } from '../../src/sts/index.js';
import { compileClaimMatchRule, compileStaticRule, compileTrustRule, TrustTrace, type TrustRule } from '../../src/trust/index.js';
import { mulberry32 as prng } from '../support/prng.js';

const ITERATIONS = 3000;
const NOW = new Date('2026-06-01T12:00:00Z');
const ISS = 'https://issuer.example.test';
const CHARS = ['.', '-', '_', '=', '+', '/', ' ', '\n', '\0', 'A', 'a', '0', 'e', 'y', 'J', '%', '\u00e9'];

function mutate(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  switch (Math.floor(rnd() * 6)) {
    case 0: return text.slice(0, at) + pick(CHARS) + text.slice(at + 1);
    case 1: return text.slice(0, at) + pick(CHARS) + text.slice(at);
    case 2: return text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 6));
    case 3: {
      const parts = text.split('.');
      const i = Math.floor(rnd() * parts.length);
      const json = Buffer.from(parts[i] ?? '', 'base64url').toString('latin1');
      const j = Math.floor(rnd() * (json.length + 1));
      parts[i] = Buffer.from(json.slice(0, j) + pick(['"', '{', '}', ',', ':', 'null', '1e999', '[]', '"none"', '"HS256"']) + json.slice(j + 1), 'latin1').toString('base64url');
      return parts.join('.');
    }
    case 4: return text.split('.').reverse().join('.');
    default: return text.slice(0, at);
  }
}

test('the OpenID Connect token path: facts or a coded refusal; accepted mutations change nothing', async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] };
  const rule: TrustRule = { kind: 'static', static: { issuer: ISS, issuerKeys: jwks, expiration: '2026-12-01T00:00:00.000Z' } };
  const compiled = compileTrustRule(rule, 'https://latchkey.example');
  const verifier = new StaticVerifier({ skewSeconds: 60, maxLifetimeSeconds: 86400 });
  const t = Math.floor(NOW.getTime() / 1000);
  const token = await new SignJWT({ iss: ISS, sub: 'system:serviceaccount:ci:app', aud: ['https://latchkey.example'], iat: t, exp: t + 600, x: [1, 'a'] })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(privateKey);
  const verify = (tok: string) => verifier.verify(tok, { identityId: 'a/b', rule: rule as Extract<TrustRule, { kind: 'static' }>, compiled, now: NOW, trace: new TrustTrace() });
  const original = await verify(token);
  const rnd = prng(0x1d70c3);
  const codes = new Map<string, number>();
  let accepted = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    let m = token;
    for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) m = mutate(m, rnd);
    try {
      const facts = await verify(m);
      accepted++;
      assert.deepEqual(facts, original, `an accepted mutation must say what the original says, one-time key included: ${JSON.stringify(m)}`);
    } catch (err) {
      assert.ok(isLatchkeyError(err), `not a coded refusal for ${JSON.stringify(m)}: ${String(err)}`);
      assert.ok(!err.message.includes(m.slice(0, 40)) || m.length < 8, 'the message never echoes the token');
      codes.set(err.code, (codes.get(err.code) ?? 0) + 1);
    }
  }
  assert.ok(accepted < ITERATIONS / 10, `${accepted} mutations accepted`);
  assert.ok(codes.size >= 4, `several distinct refusals: ${[...codes.keys()].join(', ')}`);
});

test('the rule writer: a rule or TRUST_RULE_INVALID, and what it accepts compiles', () => {
  const rnd = prng(0x7e57);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  const keys = ['issuer', 'issuerPattern', 'issuer_pattern', 'subject', 'subjectPattern', 'audience', 'audiencePattern',
    'claims', 'claimPatterns', 'claim_patterns', 'issuerKeys', 'expiration', '__proto__', 'constructor', 'x'];
  const values: unknown[] = ['https://a.example', '(', '.*', '^a$', '', 'a'.repeat(3000), 1, null, [], {}, { ref: 'main' },
    { ref: '(' }, { iss: 'x' }, { 'a b': 'x' }, { keys: [] }, '2026-07-01T00:00:00Z', '2099-01-01', 'not a date', '{"keys":[{"kty":"oct","k":"AA"}]}'];
  for (let i = 0; i < ITERATIONS; i++) {
    const input: Record<string, unknown> = {};
    for (let k = Math.floor(rnd() * 5); k > 0; k--) input[pick(keys)] = pick(values);
    if (rnd() < 0.7) input.issuer = 'https://issuer.example';
    for (const kind of ['claimMatch', 'static'] as const) {
      try {
        const r = kind === 'claimMatch' ? compileClaimMatchRule(input).rule : compileStaticRule(input, NOW).rule;
        const rule = (kind === 'claimMatch' ? { kind, claimMatch: r } : { kind, static: r }) as TrustRule;
        compileTrustRule(rule, 'https://latchkey.example');
        assert.deepEqual(JSON.parse(JSON.stringify(rule)), rule, 'plain data');
      } catch (err) {
        assert.ok(isLatchkeyError(err, 'TRUST_RULE_INVALID'), `${kind} ${JSON.stringify(input)}: ${String(err)}`);
      }
    }
  }
});
