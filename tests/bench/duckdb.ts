// The reference run: DuckDB on the same files, in memory.
import { DuckDBInstance } from '@duckdb/node-api';

async function timed(sqls: string[]): Promise<{ seconds: number; rows: unknown[][] }> {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  const t0 = performance.now();
  let rows: unknown[][] = [];
  for (const s of sqls) rows = (await c.runAndReadAll(s)).getRows() as unknown[][];
  const seconds = (performance.now() - t0) / 1000;
  c.closeSync();
  // Closed, so its threads and memory are gone before the next measured step runs.
  inst.closeSync();
  return { seconds, rows };
}

const q = (p: string) => `'${p.replace(/'/g, "''")}'`;

export function duckReadCsv(file: string, delim: string) {
  return timed([`CREATE TABLE x AS SELECT * FROM read_csv(${q(file)}, delim=${q(delim)}, header=true, all_varchar=true)`, 'SELECT count(*) FROM x']);
}

/** Read both files, group per key, FULL OUTER JOIN, classify every key: the whole job. */
export function duckReconcile(ledger: string, taxUtf8: string) {
  return timed([
    `CREATE TABLE l AS SELECT * FROM read_csv(${q(ledger)}, delim=',', header=true, all_varchar=true)`,
    `CREATE TABLE t AS SELECT * FROM read_csv(${q(taxUtf8)}, delim='|', header=true, all_varchar=true)`,
    `WITH la AS (SELECT "缴费单号" AS k, sum(CAST(replace("划扣金额", ',', '') AS DECIMAL(18,2))) AS amt FROM l GROUP BY 1),
          ta AS (SELECT "缴费单号" AS k, sum(CAST("实缴金额" AS DECIMAL(18,2))) AS amt, max("缴费状态") AS st, count(*) AS n FROM t GROUP BY 1)
     SELECT CASE WHEN ta.k IS NULL THEN 'LEDGER_ONLY' WHEN la.k IS NULL THEN 'EXTERNAL_ONLY'
                 WHEN la.amt <> ta.amt THEN 'AMOUNT_MISMATCH' WHEN ta.st <> '已缴费' THEN 'STATUS_MISMATCH' ELSE 'MATCHED' END AS cls, count(*)
     FROM la FULL OUTER JOIN ta ON la.k = ta.k GROUP BY 1 ORDER BY 1`,
  ]);
}
