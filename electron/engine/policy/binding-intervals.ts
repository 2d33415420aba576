// Bindings as intervals of time: a binding is live from its 绑定时间 up to (not
// including) its 解绑时间. The rules that speak of "at the same time" (family size,
// one cross-region authorizer, one family) are judged instant by instant: a member
// unbound on the 6th and another bound on the 20th were never in the family together,
// and leaving one family before joining another (Jiangsu allows it) is no overlap.
import type { Window } from './policy-rules';

export interface Binding {
  payer: string;
  ben: string;
  bound_at: string;
  unbound_at: string | null;
  relation: string;
  pr: string | null;
  br: string | null;
  origin: string;
}

export interface Crowded {
  /** The first instant at which the live bindings break the rule. */
  at: string;
  /** The bindings live at that instant. */
  live: Binding[];
}

/** Live during some part of the window: [bound_at, unbound_at) meets [start, end). */
export function liveIn(b: Binding, w: Window): boolean {
  return b.bound_at < w.end && (b.unbound_at === null || b.unbound_at > w.start);
}

/**
 * Sweeps one group's bindings through the window, in time order, and returns the
 * first instant at which `tooMany(live)` holds, with the bindings live then. An
 * unbinding at the same instant as a binding counts first (the intervals are
 * half-open), so a replacement on the same day is no overlap.
 */
export function firstCrowdedInstant(bindings: Binding[], w: Window, tooMany: (live: Binding[]) => boolean): Crowded | null {
  type Ev = { at: string; open: boolean; b: Binding };
  const events: Ev[] = [];
  for (const b of bindings) {
    if (!liveIn(b, w)) continue;
    events.push({ at: b.bound_at > w.start ? b.bound_at : w.start, open: true, b });
    if (b.unbound_at !== null && b.unbound_at < w.end) events.push({ at: b.unbound_at, open: false, b });
  }
  events.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.open === y.open ? 0 : x.open ? 1 : -1));
  const live = new Set<Binding>();
  for (let i = 0; i < events.length; ) {
    // Apply every event of one instant, then judge the instant.
    const at = events[i]!.at;
    for (; i < events.length && events[i]!.at === at; i++) {
      const e = events[i]!;
      if (e.open) live.add(e.b);
      else live.delete(e.b);
    }
    const now = [...live];
    if (now.length && tooMany(now)) return { at, live: now };
  }
  return null;
}

/** Groups bindings by a key (the authorizer, the bindee). */
export function groupBy(bindings: Binding[], key: (b: Binding) => string): Map<string, Binding[]> {
  const out = new Map<string, Binding[]>();
  for (const b of bindings) {
    const k = key(b);
    const list = out.get(k);
    if (list) list.push(b);
    else out.set(k, [b]);
  }
  return out;
}

export const distinct = (xs: string[]): number => new Set(xs).size;
