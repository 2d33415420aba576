// What a zip entry may be when the workstation reads a zip someone else wrote
// (a statement bundle, a platform delivery): a plain relative name and a regular
// file. A name with `..`, a drive or a backslash, a symlink or a device is
// refused before a byte of it is inflated.

/** A plain relative name: no absolute path, drive, backslash, `.` or `..` segment, control character. */
export function plainName(name: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  return name.length > 0 && name.length <= 200 && !/[\\\0-\x1f]/.test(name) && !name.startsWith('/') && !/^[A-Za-z]:/.test(name) && name.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/** From an entry's external attributes (Unix mode in the high 16 bits; 0 when a DOS tool wrote it): a regular file or folder. */
export function plainEntryMode(attr: number, isDirectory: boolean): boolean {
  const mode = (attr >>> 16) & S_IFMT;
  return mode === 0 || mode === (isDirectory ? S_IFDIR : S_IFREG);
}
