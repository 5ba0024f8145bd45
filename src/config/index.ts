// Public surface of the config context.
export { SERVER_SETTINGS, defaultDataDir, type ServerConfig, type LogLevel, type AwsPartition } from './server-settings.js';
export { loadServerConfig, ConfigError, isLoopbackHost } from './load-server-config.js';
export { parseDuration, type Setting } from './setting.js';
export { checkUpstreamUrl, type OidcProviderConfig } from './oidc-providers.js';
