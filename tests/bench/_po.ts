import { parseFile } from '/work/main/electron/engine/ingest/parse-pipeline';
import builtin from "/work/main/resources/profiles/builtin.json";
const file = process.argv[2]!;
const t0 = performance.now();
let rows = 0;
const marks: string[] = [];
for await (const ev of parseFile({ file, fileName: file, profiles: (builtin as any).profiles, acceptPartial: false })) {
  if (ev.t === "rows") rows += ev.block.n;
  else marks.push(`${ev.t}@${((performance.now() - t0) / 1000).toFixed(2)}`);
}
console.log(rows, ((performance.now() - t0) / 1000).toFixed(2), 's', marks.join(' '), Math.round(process.memoryUsage().rss / 1e6), 'MB');
