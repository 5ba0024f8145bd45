// A person signed in at an upstream provider becomes (or is found as) a Latchkey user identity,
// keyed by (upstream issuer, subject). Role bindings that owners made for their email before they
// ever logged in are claimed here, but only on the provider's word that it verified the email.

import type { IamService, Identity } from '../iam/index.js';
import type { UpstreamClaims } from '../oidc/upstream/index.js';

export async function signInPerson(iam: IamService, claims: UpstreamClaims, remoteAddr: string | null): Promise<Identity> {
  // An unverified email is not recorded at all, so nothing downstream can mistake it for one.
  const email = claims.emailVerified ? claims.email?.toLowerCase() : undefined;
  const { identity } = await iam.identities.upsertUser(
    { caller: null, remoteAddr },
    { issuer: claims.issuer, subject: claims.subject, ...(email ? { email } : {}) },
    claims.name ?? email ?? claims.subject,
  );
  if (email) await iam.bindings.claimPending(identity.id, email);
  return identity;
}
