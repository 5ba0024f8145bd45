// Several in-process Latchkey replicas on one real PostgreSQL database, sharing one issuer URL
// (as behind a load balancer), with the AWS emulator as their STS.

import { startAwsEmulator, type AwsEmulator } from '../../src/aws-emulator/index.js';
import { createStsClient } from '../../src/aws/index.js';
import { createDatabase, startPostgres, type PostgresServer } from './postgres.js';
import { startTestServer, type TestServer } from './test-server.js';

export const ACCOUNT = '111122223333';
export const PRINCIPAL = { account: ACCOUNT, roleName: 'build-runner', sessionName: 'i-0abc1234def567890' };
/** The rule that matches PRINCIPAL's assumed role. */
export const AWS_RULE = {
  aws_account: ACCOUNT,
  arnPattern: `^arn:aws:sts::${ACCOUNT}:assumed-role/build-runner/(.*)$`,
  userIdPattern: '^AROA[A-Z0-9]+:(.*)$',
};
/** Every replica's issuer URL: loopback, never listened on (tokens name it, nobody fetches it). */
export const ISSUER = 'http://127.0.0.1:9';

export interface Cluster {
  pg: PostgresServer;
  database: string;
  emu: AwsEmulator;
  replicas: TestServer[];
  stop(): Promise<void>;
}

export async function startCluster(n: number, o: { flags?: Record<string, string>; clock?: () => Date } = {}): Promise<Cluster> {
  const pg = await startPostgres();
  const emu = await startAwsEmulator({ principals: [PRINCIPAL] });
  const replicas: TestServer[] = [];
  try {
    const database = await createDatabase(pg.url);
    for (let i = 0; i < n; i++) {
      const sts = createStsClient({ overrides: { 'sts.amazonaws.com': emu.url } });
      // One after another: the first creates the schema and the first signing key.
      replicas.push(await startTestServer({ database, sts, clock: o.clock, flags: { issuerUrl: ISSUER, ...o.flags } }));
    }
    return {
      pg, database, emu, replicas,
      async stop() {
        for (const r of replicas) await r.stop(true).catch(() => {});
        await emu.close();
        await pg.stop();
      },
    };
  } catch (err) {
    for (const r of replicas) await r.stop(true).catch(() => {});
    await emu.close();
    await pg.stop();
    throw err;
  }
}

/** p-th percentile (nearest rank) of `xs`. */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
