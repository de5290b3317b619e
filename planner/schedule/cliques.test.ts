import { describe, expect, it } from 'vitest';
import { maximalCliques } from './cliques.ts';

const spans = (list: [number, number][]) => list.map(([startMs, endMs], item) => ({ startMs, endMs, item }));

describe('maximalCliques', () => {
  it.each([
    { name: 'disjoint', input: [[0, 1], [2, 3]] as [number, number][], expected: [[0], [1]] },
    { name: 'back to back (half-open) do not overlap', input: [[0, 1], [1, 2]] as [number, number][], expected: [[0], [1]] },
    { name: 'chain', input: [[0, 3], [2, 5], [4, 7]] as [number, number][], expected: [[0, 1], [1, 2]] },
    { name: 'nested', input: [[0, 10], [1, 2], [3, 4]] as [number, number][], expected: [[0, 1], [0, 2]] },
    { name: 'three at once', input: [[0, 5], [1, 6], [2, 7], [6, 8]] as [number, number][], expected: [[0, 1, 2], [2, 3]] },
    { name: 'empty span ignored', input: [[0, 0], [0, 1]] as [number, number][], expected: [[1]] },
  ])('$name', ({ input, expected }) => {
    expect(maximalCliques(spans(input))).toEqual(expected);
  });
});
