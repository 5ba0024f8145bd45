// Why a cached entry was dropped (counted per cache in /metrics).
//   local      a change made through this replica
//   notify     another replica's notice of a change
//   ttl        the entry outlived --authz-cache-ttl (the fallback for a lost notice)
//   reconnect  the notice listener came back: notices may have been missed, so everything goes
export type InvalidationCause = 'local' | 'notify' | 'ttl' | 'reconnect';
