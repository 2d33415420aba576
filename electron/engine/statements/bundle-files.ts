// A statement bundle on disk: a folder 清算_<region>_<period>_<kind>/ and the same
// as a .zip beside it, read as a map of relative names to bytes. Every bundle may be
// hostile: nothing is followed (symlinks, FIFOs and devices are refused, checked
// with lstat and opened with O_NOFOLLOW), every size is checked against its cap and
// against the manifest before a byte is read or inflated, zip entry names must be
// plain relative names and unique, and only the files a bundle may hold are read.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import AdmZip from 'adm-zip';
import { EngineError } from '../../../shared/errors';
import { readRegularFile } from '../system/read-small-file';
import { plainEntryMode, plainName } from '../system/zip-names';

export type BundleFiles = Map<string, Buffer>;

export const BUNDLE_LIMITS = {
  /** The zip file itself. */
  zipBytes: 512 * 1024 * 1024,
  entries: 64,
  manifest: 1024 * 1024,
  /** A signature, a public key, a signer record. */
  small: 64 * 1024,
  /** One data file (statement.xlsx …), and all of them together. */
  dataFile: 256 * 1024 * 1024,
  total: 512 * 1024 * 1024,
} as const;

const ROLES = ['preparer', 'finance'] as const;
/** The signature files a bundle may hold beside what its manifest lists. */
export const SIGNATURE_FILES: readonly string[] = ROLES.flatMap((r) => [`signatures/${r}.sig`, `signatures/${r}.pem`, `signatures/${r}.json`, `signatures/${r}.json.sig`]);

export interface ReadBundle {
  files: BundleFiles;
  source: 'folder' | 'zip';
  /** Files the bundle holds that it may not (not read). */
  extra: string[];
  /** Listed files whose size on disk differs from the manifest's (not read). */
  wrongSize: { name: string; size: number }[];
}

const refuse = (p: string, why: string) => new EngineError('BAD_REQUEST', `报表包 ${path.basename(p)} 不能验证：${why}`);

/** What the manifest lists, and the size each may have; read first, under its own cap. */
function listed(manifest: Buffer | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!manifest) return out;
  try {
    const m = JSON.parse(manifest.toString('utf8')) as { files?: { name?: unknown; size?: unknown }[] };
    for (const f of Array.isArray(m.files) ? m.files.slice(0, BUNDLE_LIMITS.entries) : []) {
      if (typeof f.name === 'string' && Number.isSafeInteger(f.size) && (f.size as number) >= 0 && f.name !== 'manifest.json' && !SIGNATURE_FILES.includes(f.name)) out.set(f.name, f.size as number);
    }
  } catch {
    // A manifest that does not parse is reported by the verification itself.
  }
  return out;
}

function capOf(name: string, sizes: Map<string, number>): number {
  if (name === 'manifest.json') return BUNDLE_LIMITS.manifest;
  if (SIGNATURE_FILES.includes(name)) return BUNDLE_LIMITS.small;
  return Math.min(sizes.get(name) ?? 0, BUNDLE_LIMITS.dataFile);
}

export function readBundle(p: string): ReadBundle {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
  } catch {
    throw new EngineError('NOT_FOUND', `找不到报表包：${p}`);
  }
  if (st.isSymbolicLink()) throw refuse(p, '它是一个符号链接（不跟随）');
  if (st.isDirectory()) return readFolder(p);
  if (!st.isFile()) throw refuse(p, '它不是普通文件或文件夹');
  return readZip(p, st.size);
}

function readFolder(root: string): ReadBundle {
  const found = new Map<string, number>();
  const walk = (dir: string, depth: number) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      const s = fs.lstatSync(full);
      if (s.isSymbolicLink()) throw refuse(root, `${rel} 是符号链接（报表包里不能有链接）`);
      if (s.isDirectory()) {
        if (depth > 0 || e.name !== 'signatures') throw refuse(root, `${rel}/ 是报表包里不该有的文件夹`);
        walk(full, depth + 1);
      } else if (s.isFile()) {
        if (found.size >= BUNDLE_LIMITS.entries) throw refuse(root, `文件超过 ${BUNDLE_LIMITS.entries} 个`);
        found.set(rel, s.size);
      } else throw refuse(root, `${rel} 是特殊文件（FIFO、设备或套接字）`);
    }
  };
  walk(root, 0);
  const out: ReadBundle = { files: new Map(), source: 'folder', extra: [], wrongSize: [] };
  const mSize = found.get('manifest.json');
  if (mSize !== undefined && mSize <= BUNDLE_LIMITS.manifest) out.files.set('manifest.json', readRegularFile(path.join(root, 'manifest.json'), mSize));
  const sizes = listed(out.files.get('manifest.json'));
  let total = 0;
  for (const [name, size] of found) {
    if (name === 'manifest.json') {
      if (size > BUNDLE_LIMITS.manifest) throw refuse(root, `manifest.json 超过 ${BUNDLE_LIMITS.manifest / 1024} KB`);
      continue;
    }
    if (!SIGNATURE_FILES.includes(name) && !sizes.has(name)) {
      out.extra.push(name);
      continue;
    }
    if (SIGNATURE_FILES.includes(name) ? size > BUNDLE_LIMITS.small : size !== sizes.get(name) || size > BUNDLE_LIMITS.dataFile) {
      out.wrongSize.push({ name, size });
      continue;
    }
    total += size;
    if (total > BUNDLE_LIMITS.total) throw refuse(root, '文件总大小超过上限');
    out.files.set(name, readRegularFile(path.join(root, ...name.split('/')), size));
  }
  return out;
}

function readZip(p: string, size: number): ReadBundle {
  if (size > BUNDLE_LIMITS.zipBytes) throw refuse(p, `zip 文件超过 ${BUNDLE_LIMITS.zipBytes / 1024 / 1024} MB`);
  let zip: AdmZip;
  try {
    zip = new AdmZip(p);
  } catch (e) {
    throw new EngineError('BAD_REQUEST', `${path.basename(p)} 不是有效的 zip 报表包：${String((e as Error).message).slice(0, 200)}`);
  }
  const all = zip.getEntries();
  if (all.length > BUNDLE_LIMITS.entries * 2) throw refuse(p, `zip 里的条目超过 ${BUNDLE_LIMITS.entries * 2} 个`);
  const seen = new Set<string>();
  for (const e of all) {
    if (!plainName(e.entryName.replace(/\/$/, ''))) throw refuse(p, `zip 条目名“${e.entryName.slice(0, 100)}”不是普通的相对路径（绝对路径、..、反斜杠或控制字符）`);
    if (seen.has(e.entryName)) throw refuse(p, `zip 里有重名的条目“${e.entryName.slice(0, 100)}”`);
    seen.add(e.entryName);
    if (!e.isDirectory && !plainEntryMode(e.header.attr, false)) throw refuse(p, `zip 条目“${e.entryName.slice(0, 100)}”是链接或特殊文件`);
  }
  const entries = all.filter((e) => !e.isDirectory);
  // The zip holds one top folder (the bundle's name); names are read relative to it.
  const tops = new Set(entries.map((e) => e.entryName.split('/')[0]));
  const strip = entries.length > 0 && entries.every((e) => e.entryName.includes('/')) && tops.size === 1 ? `${[...tops][0]}/` : '';
  const byName = new Map(entries.map((e) => [e.entryName.slice(strip.length), e]));
  const out: ReadBundle = { files: new Map(), source: 'zip', extra: [], wrongSize: [] };
  const inflate = (name: string, e: AdmZip.IZipEntry, cap: number): Buffer => {
    const declared = e.header.size;
    if (declared > cap) throw refuse(p, `${name} 声明的大小 ${declared} 字节超过上限`);
    const raw = e.getCompressedData();
    let data: Buffer;
    if (e.header.method === 0) data = raw;
    else if (e.header.method === 8) {
      try {
        data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(declared, 1) });
      } catch {
        throw refuse(p, `${name} 解压后的大小与声明的不符`);
      }
    } else throw refuse(p, `${name} 用了不支持的压缩方式 ${e.header.method}`);
    if (data.length !== declared) throw refuse(p, `${name} 解压后的大小与声明的不符`);
    return data;
  };
  const me = byName.get('manifest.json');
  if (me) out.files.set('manifest.json', inflate('manifest.json', me, BUNDLE_LIMITS.manifest));
  const sizes = listed(out.files.get('manifest.json'));
  let total = 0;
  for (const [name, e] of byName) {
    if (name === 'manifest.json') continue;
    if (!plainName(name) || (!SIGNATURE_FILES.includes(name) && !sizes.has(name))) {
      out.extra.push(name);
      continue;
    }
    if (e.header.size > BUNDLE_LIMITS.dataFile) throw refuse(p, `${name} 声明的大小 ${e.header.size} 字节超过上限`);
    if (!SIGNATURE_FILES.includes(name) && e.header.size !== sizes.get(name)) {
      out.wrongSize.push({ name, size: e.header.size });
      continue;
    }
    total += e.header.size;
    if (total > BUNDLE_LIMITS.total) throw refuse(p, '文件总大小超过上限');
    out.files.set(name, inflate(name, e, capOf(name, sizes)));
  }
  return out;
}

/** Writes the folder's files into `<folder>.zip` under the folder's own name. */
export function zipFolder(folder: string): string {
  const zip = new AdmZip();
  zip.addLocalFolder(folder, path.basename(folder));
  const out = `${folder}.zip`;
  // Written beside, then renamed over: a reader never sees half a zip.
  const tmp = `${out}.tmp-${process.pid}`;
  zip.writeZip(tmp);
  fs.renameSync(tmp, out);
  return out;
}
