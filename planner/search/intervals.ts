/** Interval algebra on sorted, disjoint, half-open intervals [startMs, endMs): what constraints combine with. */
import type { Interval } from '../time.ts';

/** Sorts and merges overlapping or touching intervals; drops empty ones. */
export function normalize(xs: readonly Interval[]): Interval[] {
  const s = xs.filter((i) => i.endMs > i.startMs).sort((a, b) => a.startMs - b.startMs);
  const out: Interval[] = [];
  for (const i of s) {
    const last = out[out.length - 1];
    if (last && i.startMs <= last.endMs) last.endMs = Math.max(last.endMs, i.endMs);
    else out.push({ startMs: i.startMs, endMs: i.endMs });
  }
  return out;
}

export function union(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  return normalize([...a, ...b]);
}

/** Intersection of two normalized lists (linear merge). */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i]!.startMs, b[j]!.startMs);
    const e = Math.min(a[i]!.endMs, b[j]!.endMs);
    if (e > s) out.push({ startMs: s, endMs: e });
    if (a[i]!.endMs < b[j]!.endMs) i++;
    else j++;
  }
  return out;
}

export function intersectAll(lists: readonly (readonly Interval[])[]): Interval[] {
  if (lists.length === 0) return [];
  return lists.slice(1).reduce<Interval[]>((acc, l) => intersect(acc, l), normalize(lists[0]!));
}

/** The parts of `span` not covered by `xs` (normalized). */
export function complement(xs: readonly Interval[], span: Interval): Interval[] {
  const out: Interval[] = [];
  let cur = span.startMs;
  for (const i of xs) {
    if (i.endMs <= cur) continue;
    if (i.startMs >= span.endMs) break;
    if (i.startMs > cur) out.push({ startMs: cur, endMs: i.startMs });
    cur = Math.max(cur, i.endMs);
  }
  if (cur < span.endMs) out.push({ startMs: cur, endMs: span.endMs });
  return out;
}

export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  if (a.length === 0) return [];
  const span = { startMs: a[0]!.startMs, endMs: a[a.length - 1]!.endMs };
  return intersect(a, complement(b, span));
}

export function clip(xs: readonly Interval[], span: Interval): Interval[] {
  return intersect(normalize(xs), [span]);
}

export function totalMs(xs: readonly Interval[]): number {
  return xs.reduce((s, i) => s + (i.endMs - i.startMs), 0);
}
