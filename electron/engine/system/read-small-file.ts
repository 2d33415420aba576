// Input files read without following a link and without believing their size:
// a path may name anything (a symlink to /dev/zero, a FIFO, a file that grows).
import fs from 'node:fs';
import path from 'node:path';
import { EngineError } from '../../../shared/errors';

/** Exactly `size` bytes of a regular file, opened with O_NOFOLLOW; refused if it is not that file any more. */
export function readRegularFile(file: string, size: number): Buffer {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    const s = fs.fstatSync(fd);
    if (!s.isFile() || s.size !== size) throw new EngineError('BAD_REQUEST', `${path.basename(file)} 在读取时被改动`);
    const buf = Buffer.alloc(size);
    let off = 0;
    while (off < size) {
      const n = fs.readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    fs.closeSync(fd);
  }
}

/** A small input file (a trust file, a key file, an anchor), refused past its cap before a byte is read. */
export function readSmallFile(file: string, cap: number): Buffer {
  const st = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!st) throw new EngineError('NOT_FOUND', `找不到文件：${file}`);
  if (st.isSymbolicLink() || !st.isFile()) throw new EngineError('BAD_REQUEST', `${path.basename(file)} 不是普通文件（不跟随链接）`);
  if (st.size > cap) throw new EngineError('BAD_REQUEST', `${path.basename(file)} 超过 ${Math.round(cap / 1024)} KB，不是所需的文件`);
  return readRegularFile(file, st.size);
}
