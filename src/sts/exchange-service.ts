// The exchange: a presented credential in, a short-lived Latchkey token out. Kind-agnostic:
// the identity is loaded first, its kind picks the CredentialVerifier that turns the
// credential into verified facts, and the one rule matcher decides; only then is a token
// minted. Verifiers make every local check before any network call.
//
// Three steps, kept apart: verifyCredential (no side effect: the explain endpoint runs it
// alone), acceptOnce (the one-time record, only after everything verified, so a refused
// credential can be presented again and garbage never reaches the table), then the mint.

import { LatchkeyError } from '../errors/index.js';
import type { Capability, IamService } from '../iam/index.js';
import { isCapability, isUidp, UIDP_FORMAT } from '../iam/index.js';
import type { TokenIssuer } from '../oidc/index.js';
import type { Store } from '../store/contract.js';
import {
  compileTrustRule, detailOf, factsToRecord, matchTrustRule, TrustTrace,
  type CompiledTrustRule, type TraceStep, type TrustRule, type VerifiedFacts,
} from '../trust/index.js';
import type { StsErrorCode } from './errors.js';
import type { ExchangeAudit } from './exchange-audit.js';
import type { CredentialVerifier, CredentialVerifiers, VerifyContext } from './verifiers/credential-verifier.js';
import type { OneTimeKey } from './verifiers/one-time-key.js';
import { OneTimeRecorder } from './one-time-recorder.js';

export interface ExchangeRequest {
  /** The presented credential (attacker-controlled). */
  token: string;
  identity: unknown;
  aud: string[];
  cap: string[];
  /** The client's address, for the audit record. */
  remoteAddr?: string | null;
}

export interface ExchangeDeps {
  store: Store;
  iam: IamService;
  issuer: TokenIssuer;
  verifiers: CredentialVerifiers;
  clock: () => Date;
  /** This issuer's URL: the audience presented credentials must be bound to by default. */
  issuerUrl: string;
  apiAudience: string;
  tokenTtlSeconds: number;
  /**
   * Accept each presented credential once (the default); false for callers that retry the
   * same token (`--one-time-credentials=false`).
   */
  oneTimeCredentials?: boolean;
  log?: (fields: Record<string, unknown>, msg: string) => void;
  audit?: ExchangeAudit;
}

/** The outcome of a verification made only to explain it (see ExchangeService.explain). */
export interface Explanation {
  /** Whether the credential would be exchanged. */
  ok: boolean;
  /** The refusal's stable code and public message, when refused. */
  code?: string;
  message?: string;
  /** Every check made, in order, the refusing one last (redacted; never the token). */
  trace: TraceStep[];
}

/** A presented credential that passed every check of the exchange; nothing recorded yet. */
export interface VerifiedExchange {
  identityId: string;
  kind: TrustRule['kind'];
  compiled: CompiledTrustRule;
  facts: VerifiedFacts;
  /** The credential's one-time key and the end of its validity. */
  oneTime: OneTimeKey;
  aud: string[];
  cap: Capability[];
}

interface Exchanged {
  token: string;
  expiry: string;
  jti: string;
  facts: VerifiedFacts;
  /** The facts as the audit keeps them (see factsToRecord). */
  recorded: Record<string, unknown>;
  aud: string[];
}

const MAX_AUD = 5;

function bad(msg: string): LatchkeyError<StsErrorCode> {
  return new LatchkeyError<StsErrorCode>('EXCHANGE_BAD_REQUEST', msg);
}

/** Where the caller came from, for the minted token's `act` claim. */
export function actOf(facts: VerifiedFacts): Record<string, string> {
  return facts.kind === 'aws'
    ? { aws_arn: facts.arn, aws_account: facts.account }
    : { iss: facts.issuer, sub: facts.subject };
}

export class ExchangeService {
  readonly #once: OneTimeRecorder;

  constructor(private readonly d: ExchangeDeps) {
    this.#once = new OneTimeRecorder(d.store);
  }

  /** The audience a claim-match or static rule naming none requires: this issuer's URL. */
  get defaultAudience(): string {
    return this.d.issuerUrl;
  }

  /**
   * Exchanges, and records the outcome (granted or refused, with the private detail). `trace`
   * receives every check made, in order, the refusing one last.
   */
  async exchange(req: ExchangeRequest, trace = new TrustTrace()): Promise<{ token: string; expiry: string }> {
    try {
      const out = await this.#exchange(req, trace);
      this.d.audit?.record({
        identity: req.identity, remoteAddr: req.remoteAddr ?? null, granted: true,
        // The verified facts (what a dry run of a rule change replays), never the token.
        details: { jti: out.jti, ...out.recorded, aud: out.aud },
      });
      return { token: out.token, expiry: out.expiry };
    } catch (err) {
      if (err instanceof LatchkeyError) {
        // The check that refused, as the last step (a verifier's own throws do not record themselves).
        if (!trace.lastFailed) trace.step(err.code, false);
        this.d.audit?.record({
          identity: req.identity, remoteAddr: req.remoteAddr ?? null, granted: false, code: err.code,
          details: { message: err.message, ...err.detail, trace: trace.steps },
        });
      }
      throw err;
    }
  }

  /**
   * Verifies `req.token` for `req.identity` exactly as an exchange would (verifyCredential:
   * no one-time record, nothing minted, nothing audited) and refuses by returning: the trace
   * says which check failed and why. For `latchkey iam identities test`.
   */
  async explain(req: Omit<ExchangeRequest, 'remoteAddr'>): Promise<Explanation> {
    const trace = new TrustTrace();
    try {
      await this.verifyCredential(req, trace);
      return { ok: true, trace: trace.steps };
    } catch (err) {
      if (!(err instanceof LatchkeyError)) throw err;
      if (!trace.lastFailed) trace.step(err.code, false);
      return { ok: false, code: err.code, message: err.message, trace: trace.steps };
    }
  }

  /**
   * Every check of the exchange, in order, without a side effect: nothing recorded (not even
   * the one-time use), nothing minted, nothing audited. Throws the refusal; `trace` receives
   * each check.
   */
  async verifyCredential(req: ExchangeRequest, trace = new TrustTrace()): Promise<VerifiedExchange> {
    if (!isUidp(req.identity)) throw bad(`identity must be ${UIDP_FORMAT}`);
    const identityId = req.identity;
    const aud = req.aud.length ? req.aud : [this.d.apiAudience];
    if (aud.length > MAX_AUD || aud.some((a) => a.length === 0 || a.length > 512)) throw bad(`give 1 to ${MAX_AUD} aud values of 1 to 512 characters`);
    for (const c of req.cap) if (!isCapability(c)) throw bad(`unknown capability ${JSON.stringify(c.slice(0, 64))}`);
    const cap = [...new Set(req.cap)] as Capability[];

    const identity = await this.d.iam.identityCache.get(identityId);
    if (!identity) throw new LatchkeyError<StsErrorCode>('IDENTITY_NOT_FOUND', `identity ${identityId} does not exist`);
    const rel = identity.relationship;
    const rule: TrustRule | undefined = rel.kind === 'user' || rel.kind === 'pull_token' ? undefined : rel;
    if (!rule) {
      throw new LatchkeyError<StsErrorCode>('IDENTITY_NOT_ASSUMABLE', rel.kind === 'user'
        ? `identity ${identityId} is a person's; workloads cannot assume it`
        : `identity ${identityId} is a registry pull token; it is used with its secret at the registry, not exchanged`);
    }
    const compiled = compileTrustRule(rule, this.d.issuerUrl);
    const verifier = this.d.verifiers[rule.kind] as CredentialVerifier;
    const { facts, oneTime } = await verifier.verify(req.token, { identityId, rule, compiled, now: this.d.clock(), trace } as VerifyContext);
    matchTrustRule(compiled, facts, trace);

    if (cap.length) {
      const granted = await this.d.iam.authorizer.allCapabilities(identityId);
      const missing = cap.filter((c) => !granted.has(c));
      if (missing.length) {
        throw new LatchkeyError<StsErrorCode>('CAPABILITY_NOT_GRANTED', `identity ${identityId} has no role binding that grants ${missing.join(', ')}`);
      }
    }
    return { identityId, kind: rule.kind, compiled, facts, oneTime, aud, cap };
  }

  /**
   * The one-time step: records the verified credential's key in the store, shared by every
   * replica (batched with the other exchanges of the same moment: one insert for all). A credential recorded before is CREDENTIAL_REPLAYED; a store failure refuses too
   * (STORE_UNAVAILABLE), since accepting unrecorded would let the credential through twice.
   */
  async acceptOnce(oneTime: OneTimeKey, trace: TrustTrace): Promise<void> {
    if (this.d.oneTimeCredentials === false) return;
    const first = await this.#once.record(oneTime);
    if (!trace.step('credential.once', first, 'not presented before')) {
      throw new LatchkeyError<StsErrorCode>('CREDENTIAL_REPLAYED',
        'this credential was already exchanged, and each is accepted once: present a fresh one (a new signed request, or a new token from your platform)');
    }
  }

  async #exchange(req: ExchangeRequest, trace: TrustTrace): Promise<Exchanged> {
    const { identityId, kind, compiled, facts, oneTime, aud, cap } = await this.verifyCredential(req, trace);
    await this.acceptOnce(oneTime, trace);
    const minted = await this.d.issuer.mint({
      sub: identityId,
      aud,
      ttlSeconds: Math.min(this.d.tokenTtlSeconds, 3600),
      cap: cap.length ? cap : undefined,
      extra: { act: actOf(facts) },
    });
    this.d.log?.({ identity: identityId, kind, ...detailOf(facts), jti: minted.jti }, 'identity exchanged');
    return { token: minted.token, expiry: minted.expiry.toISOString(), jti: minted.jti, facts, recorded: factsToRecord(facts, compiled), aud };
  }
}
