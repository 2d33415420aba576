// A set of break ids as ranges: the open breaks a run found unchanged are most of
// the open ones, whose ids lie in long runs (each week's new breaks are numbered
// together), so a week's set of 130,000 ids is a few hundred ranges of JSON that
// any program reading the store can take apart (json_each), not an opaque blob.

/** The ids (any order, no repeats needed) as sorted, inclusive [first, last] ranges. */
export function idRanges(ids: ArrayLike<number>): [number, number][] {
  let ascending = true;
  for (let i = 1; i < ids.length && ascending; i++) ascending = ids[i - 1]! <= ids[i]!;
  const sorted = ascending ? ids : Float64Array.from(ids).sort();
  const out: [number, number][] = [];
  for (let i = 0; i < sorted.length; i++) {
    const id = sorted[i]!;
    const last = out[out.length - 1];
    if (last && id <= last[1] + 1) last[1] = Math.max(last[1], id);
    else out.push([id, id]);
  }
  return out;
}

/** The first place in ascending ids at which `id` is or would be (ids.length when above all). */
export function lowerBound(ids: ArrayLike<number>, id: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (ids[m]! < id) lo = m + 1;
    else hi = m;
  }
  return lo;
}
