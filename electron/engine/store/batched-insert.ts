// Many rows into one table, PER_STATEMENT to an INSERT: one call into SQLite per
// batch instead of per row, which for tens of thousands of rows is most of the cost.
import type { Database } from 'better-sqlite3';

const PER_STATEMENT = 64;

/**
 * `head`: `INSERT INTO t (a, b, …)`; `row`: one row's `(?, ?, …)` (literals allowed);
 * `width`: the parameters per row. Call `add` with each row's parameters, then `flush`.
 */
export function batchedInsert(db: Database, head: string, row: string, width: number): { add(values: unknown[]): void; flush(): void } {
  const statement = (rows: number) => db.prepare(`${head} VALUES ${Array.from({ length: rows }, () => row).join(', ')}`);
  const many = statement(PER_STATEMENT);
  const one = statement(1);
  let held: unknown[] = [];
  return {
    add(values) {
      if (values.length !== width) throw new Error(`batchedInsert: ${values.length} values for a row of ${width}`);
      held.push(...values);
      if (held.length === PER_STATEMENT * width) {
        many.run(held);
        held = [];
      }
    },
    flush() {
      for (let i = 0; i < held.length; i += width) one.run(held.slice(i, i + width));
      held = [];
    },
  };
}
