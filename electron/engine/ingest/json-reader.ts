// JSON as the platform's interfaces return it (e.g. 3260 pages of at most 100
// rows, or an array of settlement records): the rows are the largest array of
// flat objects in the document, its header the keys in the order they first
// appear. Numbers are read as the text the file wrote (an 18-digit setl_id or ID
// number as a JSON number would lose its last digits in a double; 12.50 stays
// 12.50), so the usual field checks see exactly what the file says.
import fs from 'node:fs';
import type { SourceRow, TableSource } from './table-source';

export const JSON_LIMITS = {
  /** The whole document is parsed in memory: platform pages are small, this is far above them. */
  bytes: 100 * 1024 * 1024,
  columns: 1000,
  /** How deep the rows may lie (`{"output": {"data": {"list": [...]}}}` is 3). */
  depth: 4,
} as const;

/** A JSON file the reader refuses; the message says what (the import names the file). */
export class JsonRefused extends Error {}

export function isJson(file: string): boolean {
  return /\.json$/i.test(file);
}

/**
 * The text with every number outside a string turned into a string of its own
 * digits, so JSON.parse keeps them exactly. A scanner that knows strings and
 * escapes: digits inside a string are never touched.
 */
export function numbersAsText(text: string): string {
  const out: string[] = [];
  let from = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // a string: skip to its closing quote
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === 34) break;
        else i++;
      }
      i++;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      const start = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) i++;
        else break;
      }
      out.push(text.slice(from, start), '"', text.slice(start, i), '"');
      from = i;
    } else i++;
  }
  out.push(text.slice(from));
  return out.join('');
}

type Json = null | boolean | string | Json[] | { [k: string]: Json };

const isRecord = (v: Json): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The largest array of objects within `depth` levels: the page's rows (`data`, `output.list` …, whatever the envelope is called). */
function findRows(doc: Json): { rows: { [k: string]: Json }[]; path: string } | null {
  let best: { rows: { [k: string]: Json }[]; path: string } | null = null;
  const visit = (v: Json, p: string, depth: number) => {
    if (Array.isArray(v)) {
      if (v.length && v.every(isRecord) && (!best || v.length > best.rows.length)) best = { rows: v as { [k: string]: Json }[], path: p || '（顶层）' };
      return;
    }
    if (!isRecord(v) || depth >= JSON_LIMITS.depth) return;
    for (const [k, child] of Object.entries(v)) visit(child, p ? `${p}.${k}` : k, depth + 1);
  };
  visit(doc, '', 0);
  return best;
}

/** The document's table: the header row (line 0) and one row per record (lines 1…n, the record's position). */
export function readJsonTable(file: string): SourceRow[] {
  const st = fs.statSync(file);
  if (st.size > JSON_LIMITS.bytes) throw new JsonRefused(`JSON 文件超过 ${JSON_LIMITS.bytes / 1024 / 1024} MB（接口返回的分页数据远小于此；大文件请用 CSV 或 XLSX）`);
  let text = fs.readFileSync(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let doc: Json;
  try {
    doc = JSON.parse(numbersAsText(text)) as Json;
  } catch (e) {
    // The parser's message names a position, never the document.
    throw new JsonRefused(`不是有效的 JSON：${String((e as Error).message).slice(0, 120)}`);
  }
  const found = findRows(doc);
  if (!found) throw new JsonRefused('JSON 里找不到数据行（应为对象的数组，或分页结果里的对象数组，如 output.data）');
  const header: string[] = [];
  const index = new Map<string, number>();
  for (const r of found.rows) {
    for (const k of Object.keys(r)) {
      if (index.has(k)) continue;
      if (index.size >= JSON_LIMITS.columns) throw new JsonRefused(`JSON 记录的字段超过 ${JSON_LIMITS.columns} 个`);
      index.set(k, header.length);
      header.push(k);
    }
  }
  const rows: SourceRow[] = [{ line: 0, cells: header }];
  found.rows.forEach((r, i) => {
    const cells = new Array<string>(header.length).fill('');
    for (const [k, v] of Object.entries(r)) {
      if (v !== null && typeof v === 'object') throw new JsonRefused(`第 ${i + 1} 条记录的“${k.slice(0, 40)}”是嵌套的${Array.isArray(v) ? '数组' : '对象'}，不是一个值`);
      cells[index.get(k)!] = v === null ? '' : String(v);
    }
    rows.push({ line: i + 1, cells });
  });
  return rows;
}

export function openJsonSource(file: string): TableSource {
  let done = false;
  return {
    format: 'json',
    encoding: 'utf-8',
    delimiter: null,
    totalBytes: 0,
    async *batches() {
      const rows = readJsonTable(file);
      for (let i = 0; i < rows.length; i += 1000) yield rows.slice(i, i + 1000);
      done = true;
    },
    position: () => (done ? 1 : 0),
  };
}
