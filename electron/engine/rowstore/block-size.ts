/** Rows per stored block: big enough that a million rows are some 60 inserts, small enough that reading one row back decodes little. */
export const BLOCK_ROWS = 16384;
