// Public surface of the errors context.
export { LatchkeyError, isLatchkeyError } from './latchkey-error.js';
