// A rule change, tried on the callers an identity has actually seen: the verified facts that the
// audit keeps of its recent exchanges (granted ones, and refusals that got as far as the rule)
// are judged by the current rule and by the proposed one, and the callers whose answer differs
// are the ones who would gain or lose access. Reads only; changes nothing.

import { compileTrustRule, type CompiledTrustRule, type TrustRule, type VerifiedFacts } from '../trust/index.js';
import type { AuditEvent } from './types.js';

/** One distinct caller: an AWS principal, or an OpenID Connect issuer and subject. */
export type ReplayedCaller =
  | { account: string; arn: string; userId: string; lastSeen: string }
  | { iss: string; sub: string; lastSeen: string };

export interface RuleChangeReplay {
  /** Distinct callers found in the audit events given. */
  callers: number;
  /** Allowed by the current rule, refused by the proposed one. */
  loseAccess: ReplayedCaller[];
  /** Refused by the current rule, allowed by the proposed one. */
  gainAccess: ReplayedCaller[];
  /**
   * Fields of either rule the audit keeps no facts for (an OpenID Connect token's aud and its
   * other claims): the replay does not judge them, so a change there shows up nowhere above.
   */
  notReplayed: string[];
}

/** Fields the audit keeps: an AWS caller's whole identity, an OpenID Connect caller's iss and sub. */
const REPLAYED = new Set(['aws_account', 'arn', 'arnPattern', 'userId', 'userIdPattern', 'issuer', 'issuerPattern', 'subject', 'subjectPattern']);

/**
 * Replays `events` (the identity's audit records, newest first) against `current` and
 * `proposed`. Rules of different kinds judge different facts: each caller is judged by a rule
 * only when its facts are that rule's kind (an AWS caller is refused by a claim-match rule).
 */
export function replayRuleChange(current: TrustRule, proposed: TrustRule, events: readonly AuditEvent[]): RuleChangeReplay {
  const callers = new Map<string, { caller: ReplayedCaller; facts: VerifiedFacts }>();
  for (const e of events) {
    const found = callerOf(e);
    if (found && !callers.has(found.key)) callers.set(found.key, { caller: found.caller, facts: found.facts });
  }
  // The audience is never replayed, so the default audience does not matter here.
  const before = compileTrustRule(current, '');
  const after = compileTrustRule(proposed, '');
  const out: RuleChangeReplay = { callers: callers.size, loseAccess: [], gainAccess: [], notReplayed: [] };
  for (const { caller, facts } of callers.values()) {
    const was = allows(before, facts);
    const will = allows(after, facts);
    if (was && !will) out.loseAccess.push(caller);
    if (!was && will) out.gainAccess.push(caller);
  }
  out.notReplayed = [...new Set([...before.checks, ...after.checks].map((c) => c.field).filter((f) => !REPLAYED.has(f)))].sort();
  return out;
}

function allows(rule: CompiledTrustRule, facts: VerifiedFacts): boolean {
  if (rule.facts !== facts.kind) return false;
  return rule.checks.every((c) => !REPLAYED.has(c.field) || c.values(facts).some((v) => c.matcher.test(v)));
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 2048;

/** The verified facts an exchange's audit record keeps, or undefined (a refusal before the rule, an old record). */
function callerOf(e: AuditEvent): { key: string; caller: ReplayedCaller; facts: VerifiedFacts } | undefined {
  if (e.action !== 'sts.exchange' && e.action !== 'sts.exchange.denied') return undefined;
  const d = e.details;
  const lastSeen = e.action === 'sts.exchange.denied' && str(d.last) ? d.last : e.at;
  if (str(d.account) && str(d.arn) && str(d.userId)) {
    return {
      key: `aws ${d.account} ${d.arn} ${d.userId}`,
      caller: { account: d.account, arn: d.arn, userId: d.userId, lastSeen },
      facts: { kind: 'aws', account: d.account, arn: d.arn, userId: d.userId, partition: 'aws' },
    };
  }
  if (str(d.iss) && str(d.sub)) {
    return {
      key: `jwt ${d.iss} ${d.sub}`,
      caller: { iss: d.iss, sub: d.sub, lastSeen },
      facts: { kind: 'jwt', issuer: d.iss, subject: d.sub, audience: [], claims: {} },
    };
  }
  return undefined;
}
