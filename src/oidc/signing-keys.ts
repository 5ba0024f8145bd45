// The issuer's ES256 signing keys: created on first start, kept in the database so every
// replica and every restart shares them, rotated on a fixed schedule.
//
// Schedule (all fixed when a key is created, so replicas agree without coordination):
//   activatesAt                      the key starts signing
//   retiresAt = activatesAt + R      its successor (created R - P earlier, published P ahead) takes over
//   expiresAt = retiresAt + maxTtl   its last token has expired: it leaves the JWKS

import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { SigningKey, Store } from '../store/contract.js';
import { createJwtSigner, type JwtSigner } from './jwt-signer.js';

export interface KeyScheduleOptions {
  /** Seconds a key signs before its successor takes over. */
  rotationSeconds: number;
  /** Seconds a successor is published before it signs. */
  publishAheadSeconds: number;
  /** Longest token lifetime: a retired key stays published this long (plus a margin). */
  maxTokenTtlSeconds: number;
}

const EXPIRY_MARGIN_S = 300;

/**
 * How often a token with an unknown `kid` may make this replica reload keys from the store.
 * `now` is a monotonic millisecond clock (the schedule's clock may be frozen in tests).
 */
export interface UnknownKidReloadLimit {
  intervalMs: number;
  now: () => number;
}

const UNKNOWN_KID_RELOAD: UnknownKidReloadLimit = { intervalMs: 1000, now: () => performance.now() };

export class SigningKeys {
  #keys: SigningKey[] = [];
  #imported = new Map<string, CryptoKey>();
  #current: { kid: string; key: CryptoKey; sign: JwtSigner } | undefined;
  #jwks: { keys: JWK[] } = { keys: [] };
  /** The last reload an unknown kid caused: when it began, and its outcome (shared by every waiter). */
  #kidReload: { at: number; done: Promise<void>; settled: boolean } | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date,
    private readonly opts: KeyScheduleOptions,
    private readonly kidReload: UnknownKidReloadLimit = UNKNOWN_KID_RELOAD,
  ) {}

  /** Loads keys, creates the first or the next key when due, drops expired ones. */
  async refresh(): Promise<void> {
    const now = this.clock().getTime();
    let keys = await this.store.listSigningKeys();
    for (const k of keys) {
      if (Date.parse(k.expiresAt) <= now) await this.store.deleteSigningKey(k.kid);
    }
    keys = keys.filter((k) => Date.parse(k.expiresAt) > now);
    const active = pickActive(keys, now);
    if (!active) {
      keys.push(await this.#create(new Date(now)));
    } else {
      const successorDue = Date.parse(active.retiresAt) - this.opts.publishAheadSeconds * 1000;
      const hasSuccessor = keys.some((k) => Date.parse(k.activatesAt) > Date.parse(active.activatesAt));
      if (now >= successorDue && !hasSuccessor) keys.push(await this.#create(new Date(Date.parse(active.retiresAt))));
    }
    await this.#load(keys, now);
  }

  /** The key to sign with now. Call refresh() first (at start-up and periodically). */
  current(): { kid: string; key: CryptoKey; sign: JwtSigner } {
    if (!this.#current) throw new Error('signing keys not loaded: call refresh() first');
    return this.#current;
  }

  /** Public keys for the JWKS: the next key, the current one, and retired ones still in use. */
  jwks(): { keys: JWK[] } {
    return this.#jwks;
  }

  /**
   * The public key for `kid`, reloading from the store when a replica made it. The kid comes from
   * an unverified token, so reloads are limited: at most one begins per interval, and every
   * request that meets an unknown kid meanwhile waits on that one (or finds no key). A reload still
   * in flight is never doubled.
   */
  async publicKey(kid: string): Promise<CryptoKey | undefined> {
    const key = this.#imported.get(kid);
    if (key) return key;
    const now = this.kidReload.now();
    let reload = this.#kidReload;
    if (!reload || (reload.settled && now - reload.at >= this.kidReload.intervalMs)) {
      const begun = { at: now, settled: false, done: this.refresh() };
      begun.done.then(() => { begun.settled = true; }, () => { begun.settled = true; });
      this.#kidReload = reload = begun;
    }
    await reload.done;
    return this.#imported.get(kid);
  }

  /** Synchronous lookup of a loaded key (no reload). */
  loadedKey(kid: string): CryptoKey | undefined {
    return this.#imported.get(kid);
  }

  async #create(activatesAt: Date): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256' };
    const retiresAt = activatesAt.getTime() + this.opts.rotationSeconds * 1000;
    const k: SigningKey = {
      kid,
      alg: 'ES256',
      privateJwk,
      publicJwk,
      createdAt: this.clock().toISOString(),
      activatesAt: activatesAt.toISOString(),
      retiresAt: new Date(retiresAt).toISOString(),
      expiresAt: new Date(retiresAt + (this.opts.maxTokenTtlSeconds + EXPIRY_MARGIN_S) * 1000).toISOString(),
    };
    await this.store.insertSigningKey(k);
    return k;
  }

  async #load(keys: SigningKey[], now: number): Promise<void> {
    const imported = new Map<string, CryptoKey>();
    for (const k of keys) {
      imported.set(k.kid, this.#imported.get(k.kid) ?? ((await importJWK(k.publicJwk as JWK, 'ES256')) as CryptoKey));
    }
    const active = pickActive(keys, now);
    if (!active) throw new Error('no active signing key after refresh');
    if (this.#current?.kid !== active.kid) {
      this.#current = {
        kid: active.kid,
        key: (await importJWK(active.privateJwk as JWK, 'ES256')) as CryptoKey,
        sign: createJwtSigner(active.kid, active.privateJwk as JWK),
      };
    }
    this.#keys = keys;
    this.#imported = imported;
    this.#jwks = {
      keys: [...keys].sort((a, b) => a.activatesAt.localeCompare(b.activatesAt)).map((k) => k.publicJwk as JWK),
    };
  }
}

/** The newest key that has activated and not retired. */
function pickActive(keys: SigningKey[], now: number): SigningKey | undefined {
  let best: SigningKey | undefined;
  for (const k of keys) {
    if (Date.parse(k.activatesAt) > now || Date.parse(k.retiresAt) <= now) continue;
    if (!best || k.activatesAt > best.activatesAt) best = k;
  }
  return best;
}
