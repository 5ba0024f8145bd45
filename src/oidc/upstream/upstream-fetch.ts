// The only way Latchkey's server talks to upstream providers: https only (http on loopback),
// redirects never followed, a total timeout, and a cap on the answer's size. Handed to
// openid-client as its customFetch, so discovery, JWKS and the token endpoint all go through it.

import type { CustomFetch } from 'openid-client';
import { Agent, fetch as undiciFetch, type BodyInit as UndiciBody } from 'undici';
import { checkUpstreamUrl } from '../../config/index.js';

/** Why a request to an upstream failed before it produced a usable answer. */
export class UpstreamFetchError extends Error {
  override readonly name = 'UpstreamFetchError';
  constructor(readonly reason: 'insecure' | 'redirect' | 'too-large' | 'network', message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

export interface UpstreamFetchOptions {
  /** Total time for one request, connect to last byte. */
  timeoutMs: number;
  /** Largest answer body accepted. */
  maxBytes: number;
}

/** What openid-client calls (its `customFetch` signature). */
export type UpstreamFetch = CustomFetch;

export const DEFAULT_MAX_BYTES = 256 * 1024;

/** A fetch for upstream providers; call `close()` on shutdown. */
export function createUpstreamFetch(opts: UpstreamFetchOptions): UpstreamFetch & { close(): Promise<void> } {
  const agent = new Agent({
    connect: { timeout: Math.min(opts.timeoutMs, 10_000) },
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
  });
  const f = async (url: string, init: Parameters<UpstreamFetch>[1]): Promise<Response> => {
    let target: URL;
    try {
      target = checkUpstreamUrl(url, 'upstream URL');
    } catch (err) {
      throw new UpstreamFetchError('insecure', (err as Error).message);
    }
    const signals = [AbortSignal.timeout(opts.timeoutMs), ...(init.signal ? [init.signal] : [])];
    let res: Awaited<ReturnType<typeof undiciFetch>>;
    try {
      res = await undiciFetch(target, {
        method: init.method,
        headers: init.headers,
        body: (init.body instanceof URLSearchParams ? init.body.toString() : (init.body ?? undefined)) as UndiciBody | undefined,
        redirect: 'manual',
        signal: AbortSignal.any(signals),
        dispatcher: agent,
      });
    } catch (err) {
      throw new UpstreamFetchError('network', `${target.origin} did not answer (${describe(err)})`, { cause: err });
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => {});
      throw new UpstreamFetchError('redirect', `${target.origin}${target.pathname} answered with a redirect (${res.status}); redirects are not followed`);
    }
    const body = await readCapped(res, opts.maxBytes, target);
    return new Response(res.status === 204 || res.status === 304 ? null : (body as Uint8Array<ArrayBuffer>), {
      status: res.status,
      statusText: res.statusText,
      headers: new Headers([...res.headers]),
    });
  };
  return Object.assign(f, { close: () => agent.close() });
}

async function readCapped(res: Awaited<ReturnType<typeof undiciFetch>>, max: number, target: URL): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) {
    await res.body?.cancel().catch(() => {});
    throw new UpstreamFetchError('too-large', `${target.origin}${target.pathname} answered with more than ${max} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of res.body ?? []) {
      total += chunk.byteLength;
      if (total > max) throw new UpstreamFetchError('too-large', `${target.origin}${target.pathname} answered with more than ${max} bytes`);
      chunks.push(chunk);
    }
  } catch (err) {
    await res.body?.cancel().catch(() => {});
    if (err instanceof UpstreamFetchError) throw err;
    throw new UpstreamFetchError('network', `${target.origin} broke off its answer (${describe(err)})`, { cause: err });
  }
  return Buffer.concat(chunks);
}

function describe(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  return e?.cause?.code ?? e?.name ?? 'error';
}
