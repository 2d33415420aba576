// SM2 signatures with SM3 over exact bytes, with the standard user ID, DER-encoded:
// what `openssl pkeyutl -verify -rawin -digest sm3 -pkeyopt distid:1234567812345678` checks.
import { sm2 } from 'sm-crypto-v2';

export const SM2_USER_ID = '1234567812345678';

export function signBytes(bytes: Uint8Array, privateKeyHex: string, publicKeyHex: string): Buffer {
  const sig = sm2.doSignature(new Uint8Array(bytes), privateKeyHex, { der: true, hash: true, publicKey: publicKeyHex, userId: SM2_USER_ID });
  return Buffer.from(sig, 'hex');
}

export function verifyBytes(bytes: Uint8Array, signatureDer: Uint8Array, publicKeyHex: string): boolean {
  try {
    return sm2.doVerifySignature(new Uint8Array(bytes), Buffer.from(signatureDer).toString('hex'), publicKeyHex, { der: true, hash: true, userId: SM2_USER_ID });
  } catch {
    return false;
  }
}
