// The token cache: one file per (API, audience) under $XDG_CACHE_HOME/latchkey/tokens, mode
// 0600 in a 0700 directory, replaced atomically. A person's entry keeps the refresh token; a
// workload's keeps how it logged in (identity + provider), so it can exchange again. The AWS
// token a workload presented is never stored: it is a replayable credential.
// Reading it is on the hot path of `latchkey auth token` (dist/fast/cached-token.cjs): only the
// built-ins Node has already loaded at start-up (fs, path). node:crypto and node:fs/promises
// cost ~4 ms to load, a fifth of Node's start-up, so they are loaded only when needed, and
// files are read synchronously (a command line has nothing else to do meanwhile).

import { promises as fsp, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from './write-file-atomic.js';

interface SessionBase {
  version: 1;
  api: string;
  issuer: string;
  /** The audience asked for; null for the server's default API audience. */
  audience: string | null;
  token: string;
  /** RFC 3339. */
  expiry: string;
  /** The token's `sub`: the identity's UIDP. */
  subject: string;
}

export interface HumanSession extends SessionBase {
  kind: 'human';
  refreshToken?: string;
}

export interface WorkloadSession extends SessionBase {
  kind: 'workload';
  /** The assumable identity exchanged for. */
  identity: string;
  /** How to exchange again: sign a new AWS token, re-read a token file, or not at all. */
  provider: 'aws' | 'github-actions' | 'kubernetes' | 'token-file' | 'none';
  awsRegion?: string;
  /** The file read again on renewal (token-file, kubernetes). */
  tokenFile?: string;
  /** The audience asked of GitHub Actions, when not the issuer's URL. */
  tokenAudience?: string;
}

export type Session = HumanSession | WorkloadSession;

/** The fields that tie a session to the settings it was made with (readSession checks them). */
export function sessionScope(s: { api: string; issuer: string; audience: string | undefined }): Pick<SessionBase, 'version' | 'api' | 'issuer' | 'audience'> {
  return { version: 1, api: s.api, issuer: s.issuer, audience: s.audience ?? null };
}

/** Longest file name (before .json) that spells the pair out; file systems allow 255 bytes. */
const MAX_SPELLED_NAME = 200;

/**
 * The cache file of an (API, audience) pair: the pair itself in hex (one name per pair, no
 * hashing, and no two names that differ only in case, for case-insensitive file systems); a
 * pair too long to spell out is named `sha256.HEX`, loading node:crypto only then.
 */
export async function sessionFile(dir: string, api: string, audience: string | undefined): Promise<string> {
  const pair = `${api}\n${audience ?? ''}`;
  const spelled = Buffer.from(pair, 'utf8').toString('hex');
  if (spelled.length <= MAX_SPELLED_NAME) return join(dir, `${spelled}.json`);
  const { createHash } = await import('node:crypto');
  return join(dir, `sha256.${createHash('sha256').update(pair, 'utf8').digest('hex')}.json`);
}

function isSession(v: unknown): v is Session {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return s.version === 1 && typeof s.token === 'string' && typeof s.expiry === 'string'
    && typeof s.subject === 'string' && typeof s.api === 'string'
    && (s.kind === 'human' || (s.kind === 'workload' && typeof s.identity === 'string'));
}

/** The cached session, or undefined when there is none (or it is unreadable). */
export async function readSession(dir: string, api: string, audience: string | undefined): Promise<Session | undefined> {
  let text: string;
  try {
    text = readFileSync(await sessionFile(dir, api, audience), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const v: unknown = JSON.parse(text);
    // The file must be for this very pair: never hand out one API's token for another.
    return isSession(v) && v.api === api && (v.audience ?? undefined) === audience ? v : undefined;
  } catch {
    return undefined;
  }
}

export async function writeSession(dir: string, session: Session): Promise<void> {
  await ensurePrivateDir(dir);
  await writeFileAtomic(await sessionFile(dir, session.api, session.audience ?? undefined), `${JSON.stringify(session, null, 2)}\n`, 0o600);
}

/** Deletes the cached session; false when there was none. */
export async function deleteSession(dir: string, api: string, audience: string | undefined): Promise<boolean> {
  try {
    await fsp.rm(await sessionFile(dir, api, audience));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Seconds until the token expires (negative once it has). */
export function secondsLeft(session: Session, nowMs: number): number {
  const exp = Date.parse(session.expiry);
  return Number.isNaN(exp) ? -1 : Math.floor((exp - nowMs) / 1000);
}

/** True while the token has more than `marginSeconds` left. */
export function isFresh(session: Session, nowMs: number, marginSeconds: number): boolean {
  return secondsLeft(session, nowMs) > marginSeconds;
}
