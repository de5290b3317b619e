/**
 * The one generic window search: where is g(t) > 0 on [start, end)? Sample on a coarse step, then refine each sign
 * change with Brent to `toleranceMs`. The step must be shorter than the shortest window (or gap) that matters:
 * callers derive it from the fastest rate of their function (e.g. the Sun's elevation changes ≤ 0.25°/min).
 */
import type { Interval } from '../time.ts';
import { brentRoot } from './roots.ts';

export interface WindowSearchOptions {
  stepMs: number;
  toleranceMs?: number;
}

export function findWindows(g: (tMs: number) => number, startMs: number, endMs: number, opts: WindowSearchOptions): Interval[] {
  if (!(endMs > startMs)) return [];
  if (!(opts.stepMs > 0)) throw new Error('findWindows: stepMs must be positive');
  const tol = opts.toleranceMs ?? 1;
  const out: Interval[] = [];
  let t0 = startMs;
  let g0 = g(t0);
  let openAt: number | null = g0 > 0 ? startMs : null;
  while (t0 < endMs) {
    const t1 = Math.min(endMs, t0 + opts.stepMs);
    const g1 = g(t1);
    if ((g0 > 0) !== (g1 > 0)) {
      const tc = brentRoot(g, t0, t1, g0, g1, tol);
      if (g1 > 0) openAt = tc;
      else if (openAt !== null) {
        out.push({ startMs: openAt, endMs: tc });
        openAt = null;
      }
    }
    t0 = t1;
    g0 = g1;
  }
  if (openAt !== null) out.push({ startMs: openAt, endMs });
  return out;
}
