// Per item a text or none, where most items may have none: the open breaks' keys
// and match keys as a run reads them (at week ten some 130,000 keyed breaks, whose
// keys the carry holds and whose match key is their key). An array of that many
// nulls cost 3–5 ms to make, and a run made three; these keep only the texts there
// are, by place, unless a whole column was read.

export class SparseTexts {
  private readonly some = new Map<number, string>();

  /** `length` items, none with a text yet; or `all`, a text or null per item, as read. */
  constructor(
    readonly length: number,
    private readonly all: readonly (string | null)[] | null = null,
  ) {
    if (all && all.length !== length) throw new Error('SparseTexts: a column of another length');
  }

  static of(all: readonly (string | null)[]): SparseTexts {
    return new SparseTexts(all.length, all);
  }

  /** Item i's text, or null. */
  at(i: number): string | null {
    if (this.all) return this.all[i] ?? null;
    return this.some.get(i) ?? null;
  }

  set(i: number, text: string): void {
    if (!(i >= 0 && i < this.length)) throw new Error(`SparseTexts: no item ${i}`);
    if (this.all) throw new Error('SparseTexts: a column read whole is not written');
    this.some.set(i, text);
  }

  /** The items with a text, in their order. */
  *entries(): Generator<[index: number, text: string]> {
    if (this.all) {
      for (let i = 0; i < this.all.length; i++) if (this.all[i] !== null && this.all[i] !== undefined) yield [i, this.all[i]!];
      return;
    }
    for (const i of [...this.some.keys()].sort((a, b) => a - b)) yield [i, this.some.get(i)!];
  }

  /** How many items have a text. */
  get count(): number {
    if (!this.all) return this.some.size;
    let n = 0;
    for (const t of this.all) if (t !== null && t !== undefined) n++;
    return n;
  }
}
