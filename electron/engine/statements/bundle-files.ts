// A statement bundle on disk: a folder 清算_<region>_<period>_<kind>/ and the same
// as a .zip beside it. Read from either, as a map of relative names to bytes.
import fs from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { EngineError } from '../../../shared/errors';

export type BundleFiles = Map<string, Buffer>;

export function readBundle(p: string): { files: BundleFiles; source: 'folder' | 'zip' } {
  if (!fs.existsSync(p)) throw new EngineError('NOT_FOUND', `找不到报表包：${p}`);
  const files: BundleFiles = new Map();
  if (fs.statSync(p).isDirectory()) {
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else files.set(path.relative(p, full).split(path.sep).join('/'), fs.readFileSync(full));
      }
    };
    walk(p);
    return { files, source: 'folder' };
  }
  let zip: AdmZip;
  try {
    zip = new AdmZip(p);
  } catch (e) {
    throw new EngineError('BAD_REQUEST', `${path.basename(p)} 不是有效的 zip 报表包：${(e as Error).message}`);
  }
  const entries = zip.getEntries().filter((e) => !e.isDirectory);
  // The zip holds one top folder (the bundle's name); names are read relative to it.
  const top = entries.length && entries.every((e) => e.entryName.includes('/')) ? entries[0]!.entryName.split('/')[0] + '/' : '';
  const tops = new Set(entries.map((e) => e.entryName.split('/')[0]));
  for (const e of entries) files.set(top && tops.size === 1 ? e.entryName.slice(top.length) : e.entryName, e.getData());
  return { files, source: 'zip' };
}

/** Writes the folder's files into `<folder>.zip` under the folder's own name. */
export function zipFolder(folder: string): string {
  const zip = new AdmZip();
  zip.addLocalFolder(folder, path.basename(folder));
  const out = `${folder}.zip`;
  zip.writeZip(out);
  return out;
}
