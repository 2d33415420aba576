import { createHash } from 'node:crypto';
import { sm3 } from 'sm-crypto-v2';

export const sm3Hex = (bytes: Uint8Array): string => sm3(bytes);
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
