// A rule change, tried on the callers an identity has actually seen: the verified facts that the
// audit keeps of its recent exchanges (granted ones, and refusals that got as far as the rule;
// see src/trust/recorded-facts.ts) are judged by the current rule and by the proposed one, and
// the callers whose answer differs are the ones who would gain or lose access. Reads only.

import { compileTrustRule, factsFromRecord, type CompiledTrustRule, type RecordedFacts, type TrustRule, type VerifiedFacts } from '../trust/index.js';
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
   * Fields of either rule that some caller's record has no facts for (a claim the rule did not
   * name when the caller exchanged, or any claim or aud of a refusal): those checks were not
   * judged for those callers, so a change there may show up nowhere above.
   */
  notReplayed: string[];
}

/**
 * Replays `events` (the identity's audit records, newest first: each caller's newest record is
 * the one replayed) against `current` and `proposed`. Rules of different kinds judge different
 * facts: a caller whose facts are not a rule's kind is refused by it. `defaultAudience` is
 * this issuer's URL (the audience a rule naming none requires).
 */
export function replayRuleChange(current: TrustRule, proposed: TrustRule, events: readonly AuditEvent[], defaultAudience: string): RuleChangeReplay {
  const callers = new Map<string, { caller: ReplayedCaller; recorded: RecordedFacts }>();
  for (const e of events) {
    if (e.action !== 'sts.exchange' && e.action !== 'sts.exchange.denied') continue;
    const recorded = factsFromRecord(e.details);
    if (!recorded) continue; // refused before the caller was known
    const key = callerKey(recorded.facts);
    if (callers.has(key)) continue;
    const lastSeen = e.action === 'sts.exchange.denied' && typeof e.details.last === 'string' ? e.details.last : e.at;
    callers.set(key, { caller: callerOf(recorded.facts, lastSeen), recorded });
  }
  const before = compileTrustRule(current, defaultAudience);
  const after = compileTrustRule(proposed, defaultAudience);
  const notReplayed = new Set<string>();
  const allows = (rule: CompiledTrustRule, r: RecordedFacts): boolean => {
    if (rule.facts !== r.facts.kind) return false;
    return rule.checks.every((c) => {
      if (!r.judges(c.field)) {
        notReplayed.add(c.field);
        return true;
      }
      return c.values(r.facts).some((v) => c.matcher.test(v));
    });
  };
  const out: RuleChangeReplay = { callers: callers.size, loseAccess: [], gainAccess: [], notReplayed: [] };
  for (const { caller, recorded } of callers.values()) {
    const was = allows(before, recorded);
    const will = allows(after, recorded);
    if (was && !will) out.loseAccess.push(caller);
    if (!was && will) out.gainAccess.push(caller);
  }
  out.notReplayed = [...notReplayed].sort();
  return out;
}

function callerKey(f: VerifiedFacts): string {
  return f.kind === 'aws' ? `aws ${f.account} ${f.arn} ${f.userId}` : `jwt ${f.issuer} ${f.subject}`;
}

function callerOf(f: VerifiedFacts, lastSeen: string): ReplayedCaller {
  return f.kind === 'aws'
    ? { account: f.account, arn: f.arn, userId: f.userId, lastSeen }
    : { iss: f.issuer, sub: f.subject, lastSeen };
}
