// A self-signed X.509 certificate for one registry signing key. Distribution 2.8 trusts a
// token whose `kid` is the libtrust key ID of a public key in its rootcertbundle; the
// certificate is how that public key is handed to it.

import 'reflect-metadata'; // @peculiar/x509 requires the Reflect metadata polyfill.
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { JWK } from 'jose';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface CertifyInput {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  notBefore: Date;
  notAfter: Date;
}

/** PEM of a certificate for the key, signed by the key itself, valid over the key's lifetime. */
export async function registryCertificate(k: CertifyInput): Promise<string> {
  const subtle = webcrypto.subtle;
  const strip = ({ kid: _kid, alg: _alg, use: _use, ...rest }: JWK) => rest;
  const privateKey = await subtle.importKey('jwk', strip(k.privateJwk) as webcrypto.JsonWebKey, ALG, false, ['sign']);
  const publicKey = await subtle.importKey('jwk', strip(k.publicJwk) as webcrypto.JsonWebKey, ALG, true, ['verify']);
  const serial = Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)));
  serial[0] = serial[0]! & 0x7f; // a positive INTEGER
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: `CN=Latchkey registry token signer ${k.kid.replace(/[^A-Z0-9:]/g, '')}`,
    notBefore: k.notBefore,
    notAfter: k.notAfter,
    signingAlgorithm: ALG,
    keys: { privateKey, publicKey },
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ],
  }, webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1]);
  return cert.toString('pem') + '\n';
}
