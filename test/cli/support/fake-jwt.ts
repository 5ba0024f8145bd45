// Unsigned tokens with the claims the CLI reads (sub, exp, aud): the CLI never verifies a
// token (the server does), it only reads when it expires and whom it is for.

export function fakeJwt(claims: { sub: string; exp: number; aud?: string; iss?: string; email?: string }): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`;
}
