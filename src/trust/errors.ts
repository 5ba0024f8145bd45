// Refusals of the trust context: a verified credential that does not satisfy the identity's
// claim-match rule, and a rule that cannot be written. (AWS rules keep their AWS_* codes, in
// src/aws/errors.ts.) Messages name the failing field, never the rule's values or the token.

export type TrustErrorCode =
  | 'ID_TOKEN_ISSUER_MISMATCH'    // iss does not match the rule (decided before any network call)
  | 'ID_TOKEN_SUBJECT_MISMATCH'   // sub does not match subject/subjectPattern
  | 'ID_TOKEN_AUDIENCE_MISMATCH'  // no aud value matches audience/audiencePattern (default: this issuer's URL)
  | 'ID_TOKEN_CLAIM_MISMATCH'     // a claim named by claims/claimPatterns is missing or does not match
  | 'TRUST_RULE_INVALID';         // a claimMatch/static rule that cannot be written (says what to fix)

export const TRUST_ERROR_STATUS: Readonly<Record<TrustErrorCode, 400 | 401>> = {
  ID_TOKEN_ISSUER_MISMATCH: 401,
  ID_TOKEN_SUBJECT_MISMATCH: 401,
  ID_TOKEN_AUDIENCE_MISMATCH: 401,
  ID_TOKEN_CLAIM_MISMATCH: 401,
  TRUST_RULE_INVALID: 400,
};
