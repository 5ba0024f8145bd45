// The issuer's ES256 signing keys: created on first start, kept in the database so every
// replica and every restart shares them, rotated on a fixed schedule (key-schedule.ts).
//
// Every replica holds the same set of keys: a replica that creates or deletes one tells the
// others (the cluster bus), which reload; each also reloads every KEY_RELOAD_MS in case a
// notice was lost. What is published and which key signs are computed from that set and the
// time at each call, so replicas with the same keys agree at every moment.
// The container registry's token service has keys of its own (purpose 'registry'), kept and
// rotated the same way, each with a certificate (docs/registry.md).

import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { BusNotice, ClusterBus } from '../cluster/index.js';
import type { KeyPurpose, SigningKey, Store } from '../store/contract.js';
import { createJwtSigner, type JwtSigner } from './jwt-signer.js';
import { CREATE_LEAD_MS, KEY_RELOAD_MS, isPublished, nextChange, pickActive } from './key-schedule.js';

export interface KeyScheduleOptions {
  /** Seconds a key signs before its successor takes over. */
  rotationSeconds: number;
  /** Seconds a successor is published before it signs. */
  publishAheadSeconds: number;
  /** Longest token lifetime: a retired key stays published this long (plus a margin). */
  maxTokenTtlSeconds: number;
  /** Whose keys these are (default 'issuer'): each purpose has its own keys and schedule. */
  purpose?: KeyPurpose;
  /** The key id of a new key (default: a random UUID). The registry's is the libtrust key ID. */
  kidOf?: (publicJwk: JWK) => string;
  /** A certificate for a new key, kept with it (the registry's rootcertbundle). */
  certify?: (key: { kid: string; privateJwk: JWK; publicJwk: JWK; notBefore: Date; notAfter: Date }) => Promise<string>;
}

export interface SigningKeysOptions {
  /** Tells other replicas about keys created or deleted here, and this one about theirs. */
  bus?: ClusterBus;
  /** Counts reloads caused by a notice ('notify') or a re-established listener ('reconnect'). */
  onReload?: (cause: 'notify' | 'reconnect') => void;
  /** A reload that failed (the database is away); the keys already loaded stay in use. */
  onError?: (err: unknown) => void;
  /** How often a token with an unknown `kid` may cause a reload (default: once a second). */
  kidReload?: UnknownKidReloadLimit;
}

/**
 * How often a token with an unknown `kid` may make this replica reload keys from the store.
 * `now` is a monotonic millisecond clock (the schedule's clock may be frozen in tests).
 */
export interface UnknownKidReloadLimit {
  intervalMs: number;
  now: () => number;
}

const UNKNOWN_KID_RELOAD: UnknownKidReloadLimit = { intervalMs: 1000, now: () => performance.now() };
const EXPIRY_MARGIN_S = 300;

interface Loaded {
  key: SigningKey;
  publicKey: CryptoKey;
  privateKey: CryptoKey;
  sign: JwtSigner;
}

export class SigningKeys {
  #loaded = new Map<string, Loaded>();
  #keys: SigningKey[] = [];
  // current() and jwks() are answered from these until the schedule next changes.
  #view: { until: number; from: number; current: Loaded | undefined; jwks: { keys: JWK[] } } | undefined;
  #reloading: Promise<void> | undefined;
  #reloadAgain = false;
  /** The last reload an unknown kid caused: when it began, and its outcome (shared by every waiter). */
  #kidReload: { at: number; done: Promise<void>; settled: boolean } | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date,
    private readonly opts: KeyScheduleOptions,
    private readonly options: SigningKeysOptions = {},
  ) {
    options.bus?.subscribe((n: BusNotice) => {
      if (n === 'all' || n.cache === 'keys') {
        options.onReload?.(n === 'all' ? 'reconnect' : 'notify');
        this.reload().catch((err) => options.onError?.(err));
      }
    });
  }

  /** Loads keys, creates the first or the next key when due, drops expired ones. */
  async refresh(): Promise<void> {
    const now = this.clock().getTime();
    let keys = await this.store.listSigningKeys(this.#purpose);
    let changed = false;
    for (const k of keys) {
      if (Date.parse(k.expiresAt) <= now) changed = (await this.store.deleteSigningKey(k.kid)) || changed;
    }
    keys = keys.filter((k) => Date.parse(k.expiresAt) > now);
    const active = pickActive(keys, now);
    if (!active) {
      keys.push(await this.#create(new Date(now)));
      changed = true;
    } else if (now >= this.#successorDue(active) && !keys.some((k) => k.activatesAt > active.activatesAt)) {
      keys.push(await this.#create(new Date(Date.parse(active.retiresAt))));
      changed = true;
    }
    await this.#load(keys);
    if (changed) await this.options.bus?.publish([{ cache: 'keys' }]);
    if (!pickActive(keys, now)) throw new Error('no active signing key after refresh');
  }

  /** Loads the keys from the store, nothing more (another replica changed them). */
  async reload(): Promise<void> {
    if (this.#reloading) {
      this.#reloadAgain = true;
      return this.#reloading;
    }
    this.#reloading = (async () => {
      try {
        do {
          this.#reloadAgain = false;
          await this.#load(await this.store.listSigningKeys(this.#purpose));
        } while (this.#reloadAgain);
      } finally {
        this.#reloading = undefined;
      }
    })();
    return this.#reloading;
  }

  /** Milliseconds until this replica should call refresh() again (a key due, or the periodic reload). */
  nextRefreshInMs(): number {
    const now = this.clock().getTime();
    const active = pickActive(this.#keys, now);
    let at = now + KEY_RELOAD_MS;
    if (active && !this.#keys.some((k) => k.activatesAt > active.activatesAt)) {
      // Replicas whose timers fire together would each create a successor; a random part of
      // the lead spreads them out, and the first one's notice stops the others.
      at = Math.min(at, this.#successorDue(active) + Math.random() * (CREATE_LEAD_MS / 4));
    }
    for (const k of this.#keys) at = Math.min(at, Math.max(now, Date.parse(k.expiresAt)));
    return Math.max(1_000, at - now);
  }

  /** The key to sign with now. Call refresh() first (at start-up and periodically). */
  current(): { kid: string; key: CryptoKey; sign: JwtSigner } {
    const c = this.#viewAt(this.clock().getTime()).current;
    if (!c) throw new Error('signing keys not loaded: call refresh() first');
    return { kid: c.key.kid, key: c.privateKey, sign: c.sign };
  }

  /** Seconds since the signing key started signing (0 before keys are loaded). */
  currentKeyAgeSeconds(): number {
    const now = this.clock().getTime();
    const c = this.#viewAt(now).current;
    return c ? Math.max(0, (now - Date.parse(c.key.activatesAt)) / 1000) : 0;
  }

  /** Public keys for the JWKS: the next key, the current one, and retired ones still in use. */
  jwks(): { keys: JWK[] } {
    return this.#viewAt(this.clock().getTime()).jwks;
  }

  /**
   * The public key for `kid`, reloading from the store when a replica made it (keys are pushed,
   * so this is for a notice not yet arrived). The kid comes from an unverified token, so reloads
   * are limited: at most one begins per interval, and every request that meets an unknown kid
   * meanwhile waits on that one (or finds no key). A reload still in flight is never doubled.
   */
  async publicKey(kid: string): Promise<CryptoKey | undefined> {
    const key = this.#loaded.get(kid);
    if (key) return key.publicKey;
    const limit = this.options.kidReload ?? UNKNOWN_KID_RELOAD;
    const now = limit.now();
    let reload = this.#kidReload;
    if (!reload || (reload.settled && now - reload.at >= limit.intervalMs)) {
      const begun = { at: now, settled: false, done: this.reload() };
      begun.done.then(() => { begun.settled = true; }, () => { begun.settled = true; });
      this.#kidReload = reload = begun;
    }
    await reload.done;
    return this.#loaded.get(kid)?.publicKey;
  }

  /**
   * Every key in use, oldest first: the next one (from the moment it is created), the current
   * one, and retired ones whose tokens may still be alive. The registry's certificate bundle.
   */
  inUse(): readonly SigningKey[] {
    return [...this.#keys].sort((a, b) => a.activatesAt.localeCompare(b.activatesAt) || a.kid.localeCompare(b.kid));
  }

  get #purpose(): KeyPurpose {
    return this.opts.purpose ?? 'issuer';
  }

  /** Synchronous lookup of a loaded key (no reload). */
  loadedKey(kid: string): CryptoKey | undefined {
    return this.#loaded.get(kid)?.publicKey;
  }

  #successorDue(active: SigningKey): number {
    return Date.parse(active.retiresAt) - this.opts.publishAheadSeconds * 1000 - CREATE_LEAD_MS;
  }

  #viewAt(now: number) {
    const v = this.#view;
    if (v && now >= v.from && now < v.until) return v;
    const active = pickActive(this.#keys, now);
    const published = this.#keys.filter((k) => isPublished(k, now)).sort((a, b) => a.activatesAt.localeCompare(b.activatesAt) || a.kid.localeCompare(b.kid));
    this.#view = {
      from: now,
      until: nextChange(this.#keys, now),
      current: active ? this.#loaded.get(active.kid) : undefined,
      jwks: { keys: published.map((k) => k.publicJwk as JWK) },
    };
    return this.#view;
  }

  async #create(activatesAt: Date): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const bare = await exportJWK(publicKey);
    const kid = this.opts.kidOf ? this.opts.kidOf(bare) : randomUUID();
    const publicJwk = { ...bare, kid, alg: 'ES256', use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256' };
    const retiresAt = activatesAt.getTime() + this.opts.rotationSeconds * 1000;
    const expiresAt = retiresAt + (this.opts.maxTokenTtlSeconds + EXPIRY_MARGIN_S) * 1000;
    const certificatePem = this.opts.certify
      ? await this.opts.certify({ kid, privateJwk, publicJwk, notBefore: this.clock(), notAfter: new Date(expiresAt) })
      : undefined;
    const k: SigningKey = {
      kid,
      ...(this.#purpose !== 'issuer' ? { purpose: this.#purpose } : {}),
      ...(certificatePem !== undefined ? { certificatePem } : {}),
      alg: 'ES256',
      privateJwk,
      publicJwk,
      createdAt: this.clock().toISOString(),
      activatesAt: activatesAt.toISOString(),
      retiresAt: new Date(retiresAt).toISOString(),
      expiresAt: new Date(expiresAt).toISOString(),
    };
    await this.store.insertSigningKey(k);
    return k;
  }

  async #load(keys: SigningKey[]): Promise<void> {
    const loaded = new Map<string, Loaded>();
    for (const k of keys) {
      loaded.set(k.kid, this.#loaded.get(k.kid) ?? {
        key: k,
        publicKey: (await importJWK(k.publicJwk as JWK, 'ES256')) as CryptoKey,
        privateKey: (await importJWK(k.privateJwk as JWK, 'ES256')) as CryptoKey,
        sign: createJwtSigner(k.kid, k.privateJwk as JWK),
      });
    }
    this.#loaded = loaded;
    this.#keys = keys;
    this.#view = undefined;
  }
}
