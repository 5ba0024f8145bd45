// Wraps an STS client so each GetCallerIdentity call is timed and its failures counted.

import type { StsClient } from '../aws/index.js';
import type { Metrics } from './metrics.js';

export function instrumentSts(sts: StsClient, metrics: Metrics): StsClient {
  return {
    async getCallerIdentity(req) {
      const end = metrics.stsDuration.startTimer();
      try {
        const out = await sts.getCallerIdentity(req);
        end({ result: 'ok' });
        return out;
      } catch (err) {
        const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'INTERNAL';
        end({ result: code });
        metrics.stsErrors.inc({ code });
        throw err;
      }
    },
  };
}
