// The exchange: a presented AWS identity token in, a short-lived Latchkey token out.
// Order matters: every local check of the token passes before STS is called; the identity's
// rule is matched against what STS says; only then is a token minted.

import { LatchkeyError } from '../errors/index.js';
import { matchAwsRule, verifyAwsRequest, type AwsVerifierConfig, type StsClient } from '../aws/index.js';
import type { Capability, IamService } from '../iam/index.js';
import { isCapability, isUidp, UIDP_FORMAT } from '../iam/index.js';
import type { TokenIssuer } from '../oidc/index.js';
import type { Store } from '../store/contract.js';
import type { StsErrorCode } from './errors.js';
import type { ExchangeAudit } from './exchange-audit.js';

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
  sts: StsClient;
  aws: AwsVerifierConfig;
  clock: () => Date;
  /** The audience AWS tokens must be bound to: this issuer's URL. */
  issuerUrl: string;
  apiAudience: string;
  tokenTtlSeconds: number;
  log?: (fields: Record<string, unknown>, msg: string) => void;
  audit?: ExchangeAudit;
}

const MAX_AUD = 5;

function bad(msg: string): LatchkeyError<StsErrorCode> {
  return new LatchkeyError<StsErrorCode>('EXCHANGE_BAD_REQUEST', msg);
}

export class ExchangeService {
  constructor(private readonly d: ExchangeDeps) {}

  /** Exchanges, and records the outcome (granted or refused, with the private detail). */
  async exchange(req: ExchangeRequest): Promise<{ token: string; expiry: string }> {
    try {
      const out = await this.#exchange(req);
      this.d.audit?.record({ identity: req.identity, remoteAddr: req.remoteAddr ?? null, granted: true, details: { jti: out.jti, arn: out.arn, aud: out.aud } });
      return { token: out.token, expiry: out.expiry };
    } catch (err) {
      if (err instanceof LatchkeyError) {
        this.d.audit?.record({ identity: req.identity, remoteAddr: req.remoteAddr ?? null, granted: false, code: err.code, details: { message: err.message, ...err.detail } });
      }
      throw err;
    }
  }

  async #exchange(req: ExchangeRequest): Promise<{ token: string; expiry: string; jti: string; arn: string; aud: string[] }> {
    if (!isUidp(req.identity)) throw bad(`identity must be ${UIDP_FORMAT}`);
    const identityId = req.identity;
    const aud = req.aud.length ? req.aud : [this.d.apiAudience];
    if (aud.length > MAX_AUD || aud.some((a) => a.length === 0 || a.length > 512)) throw bad(`give 1 to ${MAX_AUD} aud values of 1 to 512 characters`);
    for (const c of req.cap) if (!isCapability(c)) throw bad(`unknown capability ${JSON.stringify(c.slice(0, 64))}`);
    const cap = [...new Set(req.cap)] as Capability[];

    // Checks 1-8 of the spec: nothing leaves this process unless they all pass.
    const now = this.d.clock();
    const checked = verifyAwsRequest(req.token, { identity: identityId, audience: this.d.issuerUrl, now }, this.d.aws);

    const identity = await this.d.iam.identityCache.get(identityId);
    if (!identity) throw new LatchkeyError<StsErrorCode>('IDENTITY_NOT_FOUND', `identity ${identityId} does not exist`);
    if (identity.relationship.kind !== 'aws') {
      throw new LatchkeyError<StsErrorCode>('IDENTITY_NOT_ASSUMABLE', `identity ${identityId} cannot be assumed with an AWS token`);
    }

    const caller = await this.d.sts.getCallerIdentity(checked);
    matchAwsRule(identity.relationship.aws, caller);

    if (cap.length) {
      const granted = await this.d.iam.authorizer.allCapabilities(identityId);
      const missing = cap.filter((c) => !granted.has(c));
      if (missing.length) {
        throw new LatchkeyError<StsErrorCode>('CAPABILITY_NOT_GRANTED', `identity ${identityId} has no role binding that grants ${missing.join(', ')}`);
      }
    }
    const minted = await this.d.issuer.mint({
      sub: identityId,
      aud,
      ttlSeconds: Math.min(this.d.tokenTtlSeconds, 3600),
      cap: cap.length ? cap : undefined,
      extra: { act: { aws_arn: caller.arn, aws_account: caller.account } },
    });
    this.d.log?.({ identity: identityId, arn: caller.arn, jti: minted.jti }, 'aws identity exchanged');
    return { token: minted.token, expiry: minted.expiry.toISOString(), jti: minted.jti, arn: caller.arn, aud };
  }
}
