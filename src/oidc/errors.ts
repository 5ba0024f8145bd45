// Refusals of the token context: presented Latchkey tokens that do not verify.
export type TokenErrorCode =
  | 'UNAUTHENTICATED'      // no bearer token at all
  | 'TOKEN_INVALID'        // not ours: malformed, wrong algorithm, unknown key, bad signature, wrong issuer
  | 'TOKEN_EXPIRED'        // ours, but past exp
  | 'TOKEN_WRONG_AUDIENCE'; // ours, but minted for another audience
