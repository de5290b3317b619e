/**
 * Maximal cliques of an interval graph by one sweep. "At most k of these at once" for half-open intervals is exactly
 * "at most k in every maximal clique" (interval graphs are perfect), so these cliques are the capacity rows of the
 * model — the tightest linear form of the no-overlap rule, far tighter than pairwise x_i + x_j ≤ 1.
 */
export interface Span<T> {
  startMs: number;
  endMs: number;
  item: T;
}

export function maximalCliques<T>(spans: readonly Span<T>[]): T[][] {
  type Ev = { t: number; start: boolean; i: number };
  const events: Ev[] = [];
  spans.forEach((s, i) => {
    if (s.endMs <= s.startMs) return;
    events.push({ t: s.startMs, start: true, i }, { t: s.endMs, start: false, i });
  });
  // Half-open: at equal times an end comes before a start (back-to-back spans do not overlap); ties by index keep
  // the output independent of the sort implementation.
  events.sort((a, b) => a.t - b.t || Number(a.start) - Number(b.start) || a.i - b.i);
  const active = new Set<number>();
  const cliques: T[][] = [];
  let lastWasStart = false;
  for (const ev of events) {
    if (ev.start) {
      active.add(ev.i);
      lastWasStart = true;
    } else {
      if (lastWasStart) cliques.push([...active].sort((a, b) => a - b).map((i) => spans[i].item));
      active.delete(ev.i);
      lastWasStart = false;
    }
  }
  return cliques;
}
