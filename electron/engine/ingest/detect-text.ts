// Sniffs a text file's encoding and delimiter from its first bytes.
import fs from 'node:fs';
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'gb18030' | 'gbk';

const SAMPLE = 64 * 1024;

export function readSample(file: string, bytes = SAMPLE): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8, otherwise GB18030 (a superset of GBK). */
export function detectEncoding(sample: Buffer): TextEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  // Cut at the last newline so a character split by the sample's end is not judged.
  const cut = sample.length === SAMPLE ? sample.lastIndexOf(0x0a) : sample.length;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, cut > 0 ? cut : sample.length));
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

export function decodeSample(sample: Buffer, encoding: TextEncoding): string {
  return iconv.decode(sample, encoding === 'utf-8' ? 'utf8' : encoding);
}

const CANDIDATES = [',', '|', '\t'] as const;

/**
 * The delimiter that splits the most lines into the same number (>1) of fields;
 * title lines and a 合计 line disagree, the header and data rows agree.
 */
export function detectDelimiter(text: string): string {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 30);
  let best: string = ',';
  let bestScore = -1;
  for (const d of CANDIDATES) {
    const counts = new Map<number, number>();
    for (const l of lines) {
      const n = l.split(d).length;
      if (n > 1) counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    const score = Math.max(0, ...[...counts.entries()].map(([fields, lines]) => lines * 1000 + fields));
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}
