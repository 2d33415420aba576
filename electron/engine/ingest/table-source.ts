import type { RowSink } from './text-reader';

/** One row of a file as read: the 1-based line (as an editor counts it, or the sheet's row number) and its cells. */
export interface SourceRow {
  line: number;
  cells: string[];
  /** XLSX only: which cells held numbers rather than text. */
  numeric?: boolean[];
  /** Text files: the byte offset where the record starts (its raw bytes are kept with the batch). */
  offset?: number;
}

export interface TableSource {
  format: 'text' | 'xlsx' | 'json';
  encoding: string;
  delimiter: string | null;
  totalBytes: number;
  /**
   * The rows in file order, a batch at a time. `tap` sees every byte of a text
   * file in order as it is read (the import keeps a compressed copy). A text
   * file's records go to the sink `sinkNow` gives, once it gives one (text-reader).
   */
  batches(tap?: (bytes: Buffer) => void, sinkNow?: () => RowSink | null): AsyncIterable<SourceRow[]>;
  /** How far through the file reading has come, in the unit of `totalBytes`. */
  position(): number;
}

/** Row by row, for the few callers that only read the head of a file. */
export async function* rowsOf(source: TableSource): AsyncGenerator<SourceRow> {
  for await (const batch of source.batches()) yield* batch;
}
