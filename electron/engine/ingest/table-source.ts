/** One row of a file as read: the 1-based line (as an editor counts it, or the sheet's row number) and its cells. */
export interface SourceRow {
  line: number;
  cells: string[];
  /** XLSX only: which cells held numbers rather than text. */
  numeric?: boolean[];
}

export interface TableSource {
  format: 'text' | 'xlsx';
  encoding: string;
  delimiter: string | null;
  totalBytes: number;
  rows(): AsyncIterable<SourceRow>;
  /** How far through the file reading has come, in the unit of `totalBytes`. */
  position(): number;
}
