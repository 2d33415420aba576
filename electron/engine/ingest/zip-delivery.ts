// A .zip delivery (the platform's 9102 download holds result.txt; a bureau may
// zip a week's extracts): each data file inside is imported as a batch of its
// own, named `<zip>/<entry>` so its origin says where it came from. All the
// entries commit together or none does. The zip is hostile until proven
// otherwise: entry names must be plain, entries regular files, sizes are counted
// while inflating (the declared sizes are not believed), a zip inside a zip and
// anything that is not a data file are refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import StreamZip from 'node-stream-zip';
import type { Database } from 'better-sqlite3';
import type { ImportArgs } from '../../../shared/contract';
import { EngineError } from '../../../shared/errors';
import type { ImportSummary } from '../../../shared/import-types';
import type { TaskContext } from '../jobs/job-types';
import { plainEntryMode, plainName } from '../system/zip-names';

export const ZIP_LIMITS = {
  dataFiles: 50,
  entries: 200,
  /** Inflated bytes of all entries together: this many times the zip's size … */
  ratio: 200,
  /** … and never less than this, nor more than `max`. */
  min: 256 * 1024 * 1024,
  max: 8 * 1024 * 1024 * 1024,
} as const;

const DATA_FILE = /\.(txt|csv|tsv|dat|xlsx|json)$/i;
/** What an archiver adds on its own (macOS resource forks, Finder and Explorer files): not data, named in the summary. */
const OS_LITTER = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/i;

export function isZip(file: string): boolean {
  return /\.zip$/i.test(file);
}

type ImportOne = (db: Database, args: ImportArgs, ctx: TaskContext) => Promise<ImportSummary>;

interface ZipData {
  zip: StreamZip.StreamZipAsync;
  /** The data files, by name. */
  data: StreamZip.ZipEntry[];
  /** An archiver's own files, named in the summary. */
  skipped: string[];
  /** Inflated bytes allowed for all entries together. */
  cap: number;
  refuse(why: string): EngineError;
}

/** Opens the zip and checks every entry before a byte is inflated. */
async function openZipData(file: string, zipName: string): Promise<ZipData> {
  const refuse = (why: string) => new EngineError('IMPORT_REFUSED', `文件 ${zipName}（zip）不予导入：${why}`);
  const st = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!st) throw new EngineError('NOT_FOUND', `找不到文件：${file}`);
  if (!st.isFile()) throw refuse('它不是普通文件（不跟随链接）');
  const zip = new StreamZip.async({ file, storeEntries: true });
  try {
    let entries: StreamZip.ZipEntry[];
    try {
      entries = Object.values(await zip.entries());
    } catch (e) {
      throw refuse(`不是有效的 zip 文件（${String((e as Error).message).slice(0, 120)}）`);
    }
    if (entries.length > ZIP_LIMITS.entries) throw refuse(`条目超过 ${ZIP_LIMITS.entries} 个`);
    const data: StreamZip.ZipEntry[] = [];
    const skipped: string[] = [];
    for (const e of entries) {
      const name = e.name.replace(/\/$/, '');
      const shown = `“${name.slice(0, 100)}”`;
      if (!plainName(name)) throw refuse(`条目名${shown}不是普通的相对路径（绝对路径、..、反斜杠或控制字符）`);
      if (!plainEntryMode(e.attr, e.isDirectory)) throw refuse(`条目${shown}是链接或特殊文件`);
      if (e.isDirectory) continue;
      if (OS_LITTER.test(name)) {
        skipped.push(name);
        continue;
      }
      if (e.encrypted) throw refuse(`条目${shown}有密码保护`);
      if (isZip(name)) throw refuse(`条目${shown}本身又是 zip：请先解开外层，逐个导入`);
      if (!DATA_FILE.test(name)) throw refuse(`条目${shown}不是可导入的数据文件（.txt .csv .tsv .dat .xlsx .json）；zip 里的每个文件都要能导入，不会悄悄跳过`);
      data.push(e);
    }
    if (data.length === 0) throw refuse('里面没有数据文件');
    if (data.length > ZIP_LIMITS.dataFiles) throw refuse(`数据文件超过 ${ZIP_LIMITS.dataFiles} 个`);
    data.sort((a, b) => (a.name < b.name ? -1 : 1));
    return { zip, data, skipped, cap: Math.min(Math.max(st.size * ZIP_LIMITS.ratio, ZIP_LIMITS.min), ZIP_LIMITS.max), refuse };
  } catch (e) {
    await zip.close().catch(() => undefined);
    throw e;
  }
}

/** Inflates one entry to `out` (created, never overwritten), counting against what is left of the cap; returns the bytes written. */
async function inflateEntry(z: ZipData, e: StreamZip.ZipEntry, out: string, left: number): Promise<number> {
  const fd = fs.openSync(out, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
  let n = 0;
  try {
    for await (const chunk of (await z.zip.stream(e)) as AsyncIterable<Buffer>) {
      n += chunk.length;
      if (n > left) throw z.refuse(`解压后超过 ${Math.round(z.cap / 1024 / 1024)} MB，与 zip 的大小不相称（可能是恶意构造的文件）`);
      fs.writeSync(fd, chunk);
    }
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw z.refuse(`条目“${e.name.slice(0, 100)}”无法解压（${String((err as Error).message).slice(0, 120)}）`);
  } finally {
    fs.closeSync(fd);
  }
  return n;
}

/** The zip's data files, inflated one at a time into a private folder (under names of our own; the entry's name is only shown). */
async function* zipEntries(file: string, zipName: string): AsyncGenerator<{ name: string; path: string; index: number; count: number; skipped: string[] }> {
  const z = await openZipData(file, zipName);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongji-zip-'));
  try {
    let left = z.cap;
    for (const [index, e] of z.data.entries()) {
      const out = path.join(dir, `entry-${index}${path.extname(e.name).toLowerCase()}`);
      left -= await inflateEntry(z, e, out, left);
      yield { name: e.name, path: out, index, count: z.data.length, skipped: z.skipped };
      fs.rmSync(out, { force: true });
    }
  } finally {
    await z.zip.close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The first data file of a zip, for a preview: `fn` gets its inflated path and the name to show. */
export async function withFirstZipEntry<T>(file: string, fn: (entry: { path: string; name: string; count: number }) => Promise<T>): Promise<T> {
  const zipName = path.basename(file);
  // awaited here, so the inflated file is still there while fn reads it
  for await (const e of zipEntries(file, zipName)) return await fn({ path: e.path, name: `${zipName}/${e.name}`, count: e.count });
  throw new EngineError('IMPORT_REFUSED', `文件 ${zipName}（zip）里没有数据文件`);
}

export async function importZip(db: Database, args: ImportArgs, ctx: TaskContext, importOne: ImportOne): Promise<ImportSummary> {
  const file = path.resolve(args.path);
  const zipName = args.displayName ?? path.basename(file);
  const parts: ImportSummary[] = [];
  let skipped: string[] = [];
  db.exec('BEGIN IMMEDIATE');
  try {
    for await (const e of zipEntries(file, zipName)) {
      skipped = e.skipped;
      parts.push(
        await importOne(db, { ...args, path: e.path, displayName: `${zipName}/${e.name}` }, {
          ...ctx,
          progress: (done, total, unit, stage) => ctx.progress(done, total, unit, `[${e.index + 1}/${e.count}] ${e.name}：${stage}`),
        }),
      );
    }
    db.exec('COMMIT');
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
  const first = parts[0]!;
  const summary: ImportSummary = {
    ...first,
    file: zipName,
    rows: parts.reduce((a, p) => a + p.rows, 0),
    rejected: parts.reduce((a, p) => a + p.rejected, 0),
    problems: parts.flatMap((p) => p.problems).slice(0, 1000),
    parts,
  };
  if (skipped.length) summary.notes = [`zip 里的 ${skipped.length} 个系统文件不是数据，未导入：${skipped.slice(0, 5).join('、')}${skipped.length > 5 ? ' 等' : ''}`];
  return summary;
}
