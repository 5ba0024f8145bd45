// The IAM context's pure helpers the CLI uses: UIDPs and capabilities. Taken from their own
// modules, not src/iam/index.ts: that index also exports the server's services, whose imports
// (the STS client, undici) would add a megabyte of code to the start-up of every IAM command.

export { isUidp, parentOf } from '../iam/uidp.js';
export { BUILTIN_ROLES, CAPABILITIES, isCapability, type Capability } from '../iam/capabilities.js';
