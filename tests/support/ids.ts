import { checkChar } from '../../shared/gb11643';

/** A valid 18-character ID for region and birth date, made unique by `n`. */
export function makeCertNo(region: string, birth: string, n: number): string {
  const first17 = `${region}${birth}${String(n % 1000).padStart(3, '0')}`;
  return first17 + checkChar(first17);
}

/** A small deterministic PRNG so generated files are the same every run. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}
