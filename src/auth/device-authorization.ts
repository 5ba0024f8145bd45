// OAuth 2.0 Device Authorization Grant (RFC 8628) for headless logins: the CLI gets a device
// code and a user code, shows the user code, and polls; the person confirms the user code on our
// device page in any browser and signs in at the upstream; the next poll gets the tokens. Both
// codes are stored hashed; the device code is redeemed once.

import { LatchkeyError, isLatchkeyError } from '../errors/index.js';
import type { AuthStore } from './auth-store.js';
import { CLI_CLIENT_ID, PATHS, SLOW_DOWN_STEP_S, USER_CODE_GUESS_WINDOW_S } from './constants.js';
import type { AuthErrorCode } from './errors.js';
import type { DeviceCode } from './records.js';
import { newSecret, newUserCode, normalizeUserCode, sha256 } from './secrets.js';
import { UserCodeGuesses, type Guesser } from './user-code-guesses.js';

export interface DeviceAuthorizationDeps {
  store: AuthStore;
  clock: () => Date;
  issuerUrl: string;
  /** Seconds a device code waits for approval. */
  ttl: number;
  /** Seconds between polls. */
  interval: number;
  /** Wrong user codes one browser may type before it must wait (user-code-guesses.ts). */
  maxWrongUserCodes: number;
}

/** RFC 8628 §3.2 device authorization response. */
export interface DeviceAuthorizationResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/** Polls this much early are forgiven (network and timer jitter), not answered with slow_down. */
const POLL_SLACK_MS = 500;
const refuse = (code: AuthErrorCode, message: string) => new LatchkeyError<AuthErrorCode>(code, message);

export class DeviceAuthorization {
  readonly #guesses: UserCodeGuesses;

  constructor(private readonly d: DeviceAuthorizationDeps) {
    this.#guesses = new UserCodeGuesses(d.clock, d.maxWrongUserCodes, USER_CODE_GUESS_WINDOW_S * 1000);
  }

  /** A new device code for the CLI (user codes are retried on the rare collision). */
  async start(): Promise<DeviceAuthorizationResponse> {
    for (let attempt = 0; ; attempt++) {
      const deviceCode = newSecret('lkdc_');
      const userCode = newUserCode();
      const now = this.d.clock();
      try {
        await this.d.store.insertDeviceCode({
          deviceCodeHash: sha256(deviceCode),
          userCodeHash: sha256(userCode),
          clientId: CLI_CLIENT_ID,
          status: 'pending',
          identity: null,
          interval: this.d.interval,
          lastPolledAt: null,
          createdAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + this.d.ttl * 1000).toISOString(),
        });
      } catch (err) {
        if (attempt < 3 && isLatchkeyError(err, 'STORE_CONFLICT')) continue;
        throw err;
      }
      const page = `${this.d.issuerUrl}${PATHS.device}`;
      return {
        device_code: deviceCode,
        user_code: userCode,
        verification_uri: page,
        verification_uri_complete: `${page}?user_code=${userCode}`,
        expires_in: this.d.ttl,
        interval: this.d.interval,
      };
    }
  }

  /**
   * The pending device code a typed user code names, or a refusal. After too many wrong codes
   * from `who`, every code is refused unread, right or wrong. Parses untrusted input.
   */
  async pendingFor(rawUserCode: string, who: Guesser): Promise<DeviceCode> {
    const wait = this.#guesses.blockedFor(who);
    if (wait > 0) {
      const minutes = Math.ceil(wait / 60);
      throw new LatchkeyError<AuthErrorCode>('AUTH_TOO_MANY_USER_CODES',
        `too many wrong codes were entered from this browser or network: wait ${minutes} minute${minutes === 1 ? '' : 's'}, then type the code your terminal shows exactly (run \`latchkey auth login --headless\` again if it has expired)`,
        { retryAfter: wait });
    }
    const userCode = normalizeUserCode(rawUserCode);
    const d = userCode ? await this.d.store.findDeviceCode({ userCodeHash: sha256(userCode) }) : undefined;
    if (!d || d.status !== 'pending' || this.#expired(d)) {
      this.#guesses.wrong(who);
      throw refuse('AUTH_USER_CODE_INVALID', 'that code is unknown, already used or expired: check the code your terminal shows, or run `latchkey auth login --headless` again');
    }
    return d;
  }

  /** The person signed in: the device code's next poll gets their tokens. */
  async approve(deviceCodeHash: string, identity: string): Promise<void> {
    const d = await this.d.store.findDeviceCode({ deviceCodeHash });
    const ok = d && !this.#expired(d) && (await this.d.store.updateDeviceCode({ ...d, status: 'approved', identity }, 'pending'));
    if (!ok) throw refuse('AUTH_USER_CODE_INVALID', 'this headless login expired or was already approved: run `latchkey auth login --headless` again');
  }

  /** The sign-in failed: the CLI's next poll stops with access_denied. */
  async deny(deviceCodeHash: string): Promise<void> {
    const d = await this.d.store.findDeviceCode({ deviceCodeHash });
    if (d) await this.d.store.updateDeviceCode({ ...d, status: 'denied' }, 'pending');
  }

  /**
   * One poll of the token endpoint (RFC 8628 §3.4–3.5): the approving identity, once; otherwise
   * authorization_pending, slow_down, expired_token or access_denied. Parses untrusted input.
   */
  async poll(deviceCode: string, clientId: string): Promise<string> {
    const hash = sha256(deviceCode);
    const d = await this.d.store.findDeviceCode({ deviceCodeHash: hash });
    if (!d || d.clientId !== clientId) throw refuse('AUTH_DEVICE_CODE_INVALID', 'the device code is unknown or was already redeemed: run `latchkey auth login --headless` again');
    if (this.#expired(d)) {
      await this.d.store.deleteDeviceCode(hash);
      throw refuse('AUTH_DEVICE_CODE_EXPIRED', 'nobody approved the login in time: run `latchkey auth login --headless` again');
    }
    if (d.status === 'denied') {
      await this.d.store.deleteDeviceCode(hash);
      throw refuse('AUTH_ACCESS_DENIED', 'the sign-in in the browser failed or was refused: run `latchkey auth login --headless` again');
    }
    if (d.status === 'approved' && d.identity) {
      if (!(await this.d.store.deleteDeviceCode(hash))) throw refuse('AUTH_DEVICE_CODE_INVALID', 'the device code was already redeemed');
      return d.identity;
    }
    const now = this.d.clock();
    const early = d.lastPolledAt !== null && now.getTime() - Date.parse(d.lastPolledAt) < d.interval * 1000 - POLL_SLACK_MS;
    await this.d.store.updateDeviceCode({ ...d, lastPolledAt: now.toISOString(), interval: early ? d.interval + SLOW_DOWN_STEP_S : d.interval }, 'pending');
    if (early) throw refuse('AUTH_SLOW_DOWN', `polling too fast: wait ${d.interval + SLOW_DOWN_STEP_S} seconds between polls`);
    throw refuse('AUTH_AUTHORIZATION_PENDING', 'waiting for the person to approve the login in a browser');
  }

  #expired(d: DeviceCode): boolean {
    return Date.parse(d.expiresAt) <= this.d.clock().getTime();
  }
}
