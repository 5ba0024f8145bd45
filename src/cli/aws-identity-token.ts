// The AWS token for this machine: AWS credentials found the way the AWS SDKs find them
// (fromNodeProviderChain: environment, shared config and SSO profiles, web identity / EKS IRSA,
// the ECS and EKS Pod Identity container endpoint, EC2 IMDSv2), bound to the issuer's URL.

import { buildAwsToken } from './build-aws-token.js';
import { cjsExports } from './cjs-exports.js';
import { CliError } from './cli-error.js';
import type { CliContext } from './context.js';
import { fetchDiscovery } from './discovery.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The STS region to sign for: --aws-region; else AWS_REGION (or AWS_DEFAULT_REGION) when
 * AWS_STS_REGIONAL_ENDPOINTS=regional; else undefined, the global endpoint (us-east-1), which
 * every Latchkey server accepts.
 */
export function stsRegionFrom(flag: string | undefined, env: Env): string | undefined {
  if (flag) return flag;
  if (env.AWS_STS_REGIONAL_ENDPOINTS === 'regional') return env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  return undefined;
}

export async function awsIdentityToken(ctx: CliContext, req: { identity: string; region?: string }): Promise<string> {
  const { issuer } = await fetchDiscovery(ctx);
  const region = stsRegionFrom(req.region, ctx.env);
  const { fromNodeProviderChain } = cjsExports(await import('@aws-sdk/credential-providers'));
  ctx.debug(`signing GetCallerIdentity for ${region ? `sts.${region}` : 'the global STS endpoint'}, audience ${issuer}`);
  try {
    return await buildAwsToken({ identity: req.identity, audience: issuer, region, credentials: fromNodeProviderChain() });
  } catch (err) {
    if (err instanceof TypeError) throw new CliError('USAGE', err.message);
    throw new CliError('AWS_CREDENTIALS', `cannot find AWS credentials: ${(err as Error).message.split('\n')[0]}`, {
      hint: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or AWS_PROFILE, '
        + 'or run where a role is available (EC2 IMDSv2, ECS/EKS, IRSA)',
    });
  }
}
