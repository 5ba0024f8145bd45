// A real CNCF Distribution registry (Debian's docker-registry 2.8) on loopback with Latchkey as
// its token auth, tiny OCI image layouts written by hand, and skopeo to copy them.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

export interface Registry {
  /** host:port, which is also the registry's `auth.token.service`. */
  host: string;
  dir: string;
  log(): string;
  /** Stops the registry; its data stays when `keepData` (to start it again over `dir`). */
  stop(keepData?: boolean): Promise<void>;
}

/** A free loopback port (the registry needs its service name, host:port, before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts docker-registry on 127.0.0.1:port with token auth: realm, issuer, and the PEM bundle.
 * Resolves once it logs that it listens (bounded wait).
 */
export async function startRegistry(o: { port: number; realm: string; issuer: string; bundlePem: string; dir?: string }, timeoutMs = 20_000): Promise<Registry> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'latchkey-registry-'));
  const host = `127.0.0.1:${o.port}`;
  writeFileSync(join(dir, 'bundle.pem'), o.bundlePem);
  writeFileSync(join(dir, 'config.yml'), [
    'version: 0.1',
    'log:',
    '  level: info',
    '  formatter: text',
    'storage:',
    `  filesystem: { rootdirectory: ${JSON.stringify(join(dir, 'data'))} }`,
    '  delete: { enabled: true }',
    'http:',
    `  addr: ${host}`,
    'auth:',
    '  token:',
    `    realm: ${JSON.stringify(o.realm)}`,
    `    service: ${JSON.stringify(host)}`,
    `    issuer: ${JSON.stringify(o.issuer)}`,
    `    rootcertbundle: ${JSON.stringify(join(dir, 'bundle.pem'))}`,
    '',
  ].join('\n'));
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (c: Buffer) => { log += c.toString(); });
  child.stderr?.on('data', (c: Buffer) => { log += c.toString(); });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      child.kill('SIGKILL');
      reject(new Error(`docker-registry did not start in ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    const poll = setInterval(() => {
      if (log.includes(`listening on ${host}`)) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      } else if (child.exitCode !== null) {
        clearTimeout(timer);
        clearInterval(poll);
        reject(new Error(`docker-registry exited with ${child.exitCode}:\n${log}`));
      }
    }, 25);
  });
  return {
    host, dir,
    log: () => log,
    async stop(keepData = false) {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      if (!keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Writes an OCI image layout with one tag: a layer of a few bytes (`content`), a config and a
 * manifest, each a blob named by its SHA-256. Returns the layout directory.
 */
export function writeImageLayout(parent: string, tag: string, content: string): string {
  const dir = join(parent, `layout-${sha256(Buffer.from(tag + content)).slice(0, 8)}`);
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const blob = (b: Buffer) => {
    const d = sha256(b);
    writeFileSync(join(dir, 'blobs', 'sha256', d), b);
    return { digest: `sha256:${d}`, size: b.length };
  };
  // An uncompressed tar layer is not needed by a registry: any bytes with their digest will do.
  const layer = blob(Buffer.from(content));
  const config = blob(Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [layer.digest] },
  })));
  const manifest = blob(Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }],
  })));
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(join(dir, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': tag } }],
  }));
  return dir;
}
