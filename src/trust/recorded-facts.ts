// The verified facts a granted exchange keeps in its audit record, and how a dry run of a rule
// change reads them back: both sides of that record in one place. An AWS caller is kept whole
// (account, Arn, UserId); an OpenID Connect caller by its iss and sub, the token's aud, and the
// claims the identity's rule named when it was exchanged (each capped: a claim too large to
// keep is left out, and then not replayed).

import { claimValues, type CompiledTrustRule } from './compile-trust-rule.js';
import type { VerifiedFacts } from './verified-facts.js';

/** Values kept per claim or aud, and characters per value; beyond either, the claim is not kept. */
const MAX_VALUES = 20;
const MAX_VALUE_LENGTH = 512;

const fits = (values: readonly string[]) => values.length <= MAX_VALUES && values.every((v) => v.length <= MAX_VALUE_LENGTH);

/** The name of the claim a rule check reads ('claims.ref' and 'claimPatterns.ref' read 'ref'). */
export function claimOfField(field: string): string | undefined {
  const m = /^(?:claims|claimPatterns)\.(.+)$/.exec(field);
  return m?.[1];
}

/** What the audit keeps of `facts` (judged by `rule`): plain JSON, never a token. */
export function factsToRecord(facts: VerifiedFacts, rule: CompiledTrustRule): Record<string, unknown> {
  if (facts.kind === 'aws') return { account: facts.account, arn: facts.arn, userId: facts.userId };
  const claims: Record<string, string[]> = {};
  for (const check of rule.checks) {
    const name = claimOfField(check.field);
    if (name === undefined) continue;
    const values = claimValues(facts.claims[name]);
    if (fits(values)) claims[name] = values;
  }
  return {
    iss: facts.issuer, sub: facts.subject,
    ...(fits(facts.audience) ? { tokenAud: facts.audience } : {}),
    ...(Object.keys(claims).length ? { claims } : {}),
  };
}

/** Facts read back from an audit record, and which rule fields they can judge. */
export interface RecordedFacts {
  facts: VerifiedFacts;
  /** Whether the record holds what the check of `field` reads. */
  judges(field: string): boolean;
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 2048;
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.length <= MAX_VALUES && v.every((x) => typeof x === 'string');

/** The facts in an audit record's `details` (granted, or refused by the rule), or undefined. */
export function factsFromRecord(d: Record<string, unknown>): RecordedFacts | undefined {
  if (str(d.account) && str(d.arn) && str(d.userId)) {
    return { facts: { kind: 'aws', account: d.account, arn: d.arn, userId: d.userId, partition: 'aws' }, judges: () => true };
  }
  if (!str(d.iss) || !str(d.sub)) return undefined;
  const audience = strings(d.tokenAud) ? d.tokenAud : undefined;
  const kept: Record<string, string[]> = {};
  if (typeof d.claims === 'object' && d.claims !== null && !Array.isArray(d.claims)) {
    for (const [name, values] of Object.entries(d.claims)) if (strings(values)) kept[name] = values;
  }
  return {
    facts: { kind: 'jwt', issuer: d.iss, subject: d.sub, audience: audience ?? [], claims: kept },
    judges(field) {
      if (field === 'audience' || field === 'audiencePattern') return audience !== undefined;
      const name = claimOfField(field);
      return name === undefined ? true : Object.hasOwn(kept, name);
    },
  };
}
