// Reading, splitting, decoding and normalising a whole file once its header is
// known, as a stream of packed row batches, the compressed pieces of the file and its SHA-256, and
// the totals at the end. A big file runs this in a parsing thread (parse-worker)
// while the import's own thread writes what arrives; a small one runs it in line,
// where a thread would cost more to start than it saves.
import fs from 'node:fs';
import type { ImportKind } from '../../../shared/domain';
import type { TextEncoding } from './detect-text';
import type { HeaderMatch } from './header-detect';
import { openSource } from './open-source';
import type { PackedBatch } from './packed-rows';
import { RowProcessor, type ProcessorStats } from './row-processor';
import { SourceCopy } from './source-copy';

export interface ParseJob {
  file: string;
  fileName: string;
  encoding?: TextEncoding;
  delimiter?: string;
  sheet?: string;
  kind: ImportKind;
  match: HeaderMatch;
  /** Rows up to this line (title and header) are not data. */
  headerLine: number;
  acceptPartial: boolean;
}

export type ParseEvent =
  | { t: 'rows'; batch: PackedBatch; position: number }
  | { t: 'pieces'; pieces: Buffer[]; sha256: string }
  | { t: 'end'; stats: ProcessorStats };

export async function* parseFile(job: ParseJob): AsyncGenerator<ParseEvent> {
  const source = openSource(job.file, { encoding: job.encoding, delimiter: job.delimiter, sheet: job.sheet });
  const processor = new RowProcessor(job);
  const copy = new SourceCopy(source.format === 'xlsx' ? 0 : 1);
  for await (const rows of source.batches(copy.tap)) {
    for (const row of rows) {
      if (row.line <= job.headerLine) continue;
      processor.push(row);
      if (processor.out.full) yield { t: 'rows', batch: processor.out.take(), position: source.position() };
    }
  }
  if (processor.out.count) yield { t: 'rows', batch: processor.out.take(), position: source.position() };
  if (source.format === 'xlsx') {
    // The text reader hands every byte to the copy as it reads; a workbook is read by the zip reader, so it is copied here.
    for await (const chunk of fs.createReadStream(job.file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) copy.tap(chunk);
  }
  yield { t: 'pieces', ...(await copy.finish()) };
  yield { t: 'end', stats: processor.stats };
}
