// Public surface of the sts context: the token exchange.
export { ExchangeService, type ExchangeDeps, type ExchangeRequest } from './exchange-service.js';
export { STS_ERROR_STATUS, type StsErrorCode } from './errors.js';
export { ExchangeAudit, REFUSAL_WINDOW_MS, type ExchangeAuditEntry } from './exchange-audit.js';
