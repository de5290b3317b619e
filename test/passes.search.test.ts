/** Generic window search, root finding and interval algebra. */
import { describe, expect, it } from 'vitest';
import { brentRoot, complement, findWindows, goldenMax, intersect, intersectAll, normalize, subtract, totalMs, union } from '../planner/search/index.ts';
import type { Interval } from '../planner/time.ts';

const iv = (...xs: [number, number][]): Interval[] => xs.map(([startMs, endMs]) => ({ startMs, endMs }));

describe('interval algebra', () => {
  it.each([
    ['normalize merges and sorts', normalize(iv([5, 7], [0, 2], [1, 3], [7, 8], [9, 9])), iv([0, 3], [5, 8])],
    ['union', union(iv([0, 2]), iv([1, 4], [6, 7])), iv([0, 4], [6, 7])],
    ['intersect', intersect(iv([0, 5], [8, 12]), iv([3, 9], [11, 20])), iv([3, 5], [8, 9], [11, 12])],
    ['intersect disjoint', intersect(iv([0, 1]), iv([1, 2])), []],
    ['intersectAll', intersectAll([iv([0, 10]), iv([2, 8]), iv([5, 20])]), iv([5, 8])],
    ['complement', complement(iv([2, 3], [5, 6]), { startMs: 0, endMs: 10 }), iv([0, 2], [3, 5], [6, 10])],
    ['subtract', subtract(iv([0, 10]), iv([2, 3], [9, 12])), iv([0, 2], [3, 9])],
  ])('%s', (_l, got, want) => expect(got).toEqual(want));
  it('totals', () => expect(totalMs(iv([0, 2], [5, 8]))).toBe(5));
});

describe('roots and maxima', () => {
  it.each([
    [(t: number) => t * t - 2, 0, 2, Math.SQRT2],
    [(t: number) => Math.cos(t), 0, 3, Math.PI / 2],
    [(t: number) => (t < 1.2345 ? -1 : 1), 0, 2, 1.2345], // a step: bisection fallback
  ])('Brent finds the root %#', (f, a, b, root) => {
    expect(Math.abs(brentRoot(f, a, b, f(a), f(b), 1e-9) - root)).toBeLessThan(1e-8);
  });
  it('refuses a non-bracket', () => expect(() => brentRoot((t) => t * t + 1, -1, 1, 2, 2, 1e-6)).toThrow(/bracket/));
  it('golden-section maximum', () => {
    const m = goldenMax((t) => 4 - (t - 0.3) ** 2, -2, 2, 1e-9);
    expect(m.t).toBeCloseTo(0.3, 7);
    expect(m.value).toBeCloseTo(4, 12);
  });
});

describe('findWindows', () => {
  it('finds where sin(t) > 0.5 with refined edges', () => {
    const w = findWindows((t) => Math.sin(t / 1000) - 0.5, 0, 19_000, { stepMs: 100, toleranceMs: 1e-6 });
    const expected = [
      [Math.PI / 6, (5 * Math.PI) / 6],
      [2 * Math.PI + Math.PI / 6, 2 * Math.PI + (5 * Math.PI) / 6],
      [4 * Math.PI + Math.PI / 6, 4 * Math.PI + (5 * Math.PI) / 6],
    ].map(([a, b]) => [a! * 1000, b! * 1000]);
    expect(w).toHaveLength(3);
    w.forEach((x, i) => {
      expect(x.startMs).toBeCloseTo(expected[i]![0]!, 4);
      expect(x.endMs).toBeCloseTo(expected[i]![1]!, 4);
    });
  });
  it('clips windows at the span edges', () => {
    expect(findWindows(() => 1, 10, 20, { stepMs: 3 })).toEqual(iv([10, 20]));
    expect(findWindows(() => -1, 10, 20, { stepMs: 3 })).toEqual([]);
    expect(findWindows(() => 1, 20, 10, { stepMs: 3 })).toEqual([]);
  });
});
