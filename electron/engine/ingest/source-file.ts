// The file a batch was imported from, written out again from the store: its
// pieces inflated in order, and its SHA-256 compared with the one recorded at
// import — so an auditor can hold the very bytes the figures came from, even for
// a batch that was withdrawn later.
import fs from 'node:fs';
import crypto from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { EngineError } from '../../../shared/errors';
import { appendAudit } from '../audit/audit-log';
import { getBatch } from './batches';
import { blobId, unpackPiece } from './source-copy';

export interface SourceFileResult {
  path: string;
  bytes: number;
  sha256: string;
  /** The bytes hash to what was recorded when the batch was imported. */
  matches: boolean;
}

export function writeSourceFile(db: Database, batchId: number, outPath: string, user: string): SourceFileResult {
  const batch = getBatch(db, batchId);
  const piece = db.prepare('SELECT data FROM source_blob WHERE id = ?').pluck();
  const codec = db.prepare('SELECT blob_codec FROM import_batch WHERE id = ?').pluck().get(batchId) as string | null;
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(outPath, 'w');
  let bytes = 0;
  try {
    for (let seq = 0; ; seq++) {
      const data = piece.get(blobId(batchId, seq)) as Buffer | undefined;
      if (!data) {
        if (seq === 0) throw new EngineError('NOT_FOUND', `批次 #${batchId} 导入时没有保存原始文件（升级前导入的批次）`);
        break;
      }
      const chunk = unpackPiece(data, codec);
      hash.update(chunk);
      fs.writeSync(fd, chunk);
      bytes += chunk.length;
    }
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(outPath, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  const sha256 = hash.digest('hex');
  const matches = sha256 === batch.sha256;
  appendAudit(db, { actor: user, action: 'import.source', target: `batch:${batchId}`, detail: { file: batch.fileName, sha256, matches } });
  return { path: outPath, bytes, sha256, matches };
}
