// Writes one signer's files into a bundle's signatures/ folder: the SM2 signature
// over the manifest's bytes, the public key, and the signer's record with its own
// signature. Each file is created new (O_EXCL) and never through a link (O_NOFOLLOW):
// a bundle prepared elsewhere cannot steer a write outside itself.
import fs from 'node:fs';
import path from 'node:path';
import { EngineError } from '../../../shared/errors';
import { publicKeyPem } from '../sign/sm2-keys';
import { signBytes } from '../sign/sm2-sign';
import { signerRecordBytes, type SignerRecord } from './manifest';

export function writeNewFile(file: string, data: Uint8Array | string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o644);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new EngineError('CONFLICT', `不能写入 ${path.basename(file)}：${code === 'EEXIST' ? '文件已存在' : code === 'ELOOP' ? '它是一个链接' : code}`);
  }
  try {
    fs.writeSync(fd, bytes);
  } finally {
    fs.closeSync(fd);
  }
}

export function writeSignature(sigDir: string, role: SignerRecord['role'], manifest: Buffer, record: SignerRecord, key: { privateKey: string; publicKey: string }): void {
  const st = fs.lstatSync(sigDir);
  if (!st.isDirectory() || st.isSymbolicLink()) throw new EngineError('CONFLICT', `${sigDir} 不是报表包自己的 signatures 文件夹`);
  const recordBytes = signerRecordBytes(record);
  writeNewFile(path.join(sigDir, `${role}.sig`), signBytes(manifest, key.privateKey, key.publicKey));
  writeNewFile(path.join(sigDir, `${role}.pem`), publicKeyPem(key.publicKey));
  writeNewFile(path.join(sigDir, `${role}.json`), recordBytes);
  writeNewFile(path.join(sigDir, `${role}.json.sig`), signBytes(recordBytes, key.privateKey, key.publicKey));
}
