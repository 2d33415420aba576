// Bytes → text for the encodings the import accepts. GB18030 goes through the
// platform's WHATWG TextDecoder (ICU; about twice as fast as iconv-lite here and
// decoding the 18 characters GB18030-2022 moved out of the private-use area to
// the real characters); iconv-lite's gb18030 is the fallback on a runtime built
// without full ICU. `gbk`, chosen by hand, stays iconv-lite's GBK table.
import iconv from 'iconv-lite';
import type { TextEncoding } from './detect-text';

export type Decode = (bytes: Uint8Array) => string;

function platformDecoder(label: string): Decode | null {
  try {
    const td = new TextDecoder(label, { ignoreBOM: true });
    return (b) => td.decode(b);
  } catch {
    return null;
  }
}

/**
 * A decoder for whole pieces of a file that end on a line break (the line feed
 * byte never occurs inside a multi-byte character in UTF-8 or GB18030/GBK, so a
 * piece cut there decodes on its own). A BOM is kept: the reader drops it.
 */
export function decoderFor(encoding: TextEncoding): Decode {
  if (encoding === 'utf-8') return platformDecoder('utf-8')!;
  if (encoding === 'gb18030') return platformDecoder('gb18030') ?? ((b) => iconv.decode(Buffer.from(b.buffer, b.byteOffset, b.byteLength), 'gb18030', { stripBOM: false }));
  return (b) => iconv.decode(Buffer.from(b.buffer, b.byteOffset, b.byteLength), encoding, { stripBOM: false });
}
