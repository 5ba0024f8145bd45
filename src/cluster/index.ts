// The cluster context: how replicas sharing one database tell each other what changed.
export { localBus, type BusNotice, type CacheChange, type ClusterBus } from './cluster-bus.js';
export { PostgresBus, CHANNEL, LISTENER_APPLICATION, type PostgresBusOptions } from './postgres-bus.js';
