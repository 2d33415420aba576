// A small input file (a trust file, a key file) read without following a link and
// refused past its cap before a byte is read: a path may name anything.
import fs from 'node:fs';
import path from 'node:path';
import { EngineError } from '../../../shared/errors';

export function readSmallFile(file: string, cap: number): Buffer {
  const st = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!st) throw new EngineError('NOT_FOUND', `找不到文件：${file}`);
  if (st.isSymbolicLink() || !st.isFile()) throw new EngineError('BAD_REQUEST', `${path.basename(file)} 不是普通文件（不跟随链接）`);
  if (st.size > cap) throw new EngineError('BAD_REQUEST', `${path.basename(file)} 超过 ${Math.round(cap / 1024)} KB，不是所需的文件`);
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = fs.readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    fs.closeSync(fd);
  }
}
