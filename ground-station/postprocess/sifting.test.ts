import { describe, expect, it } from 'vitest';
import { coinFrom, squashClicks } from './sifting.ts';

describe('squashClicks (double clicks as the squashing model requires)', () => {
  // Channels: 0 = H (X,0), 1 = V (X,1), 2 = D (Z,0), 3 = A (Z,1).
  it.each([
    { name: 'a single H click', channels: [0], basis: 0, bit: 0, double: 0, coins: 0 },
    { name: 'a single A click', channels: [3], basis: 1, bit: 1, double: 0, coins: 0 },
    { name: 'two clicks on one detector (an afterpulse)', channels: [2, 2], basis: 1, bit: 0, double: 0, coins: 0 },
    { name: 'H and V: X basis, coin bit', channels: [0, 1], basis: 0, bit: 1, double: 1, coins: 1 },
    { name: 'D and A: Z basis, coin bit', channels: [2, 3], basis: 1, bit: 1, double: 1, coins: 1 },
    { name: 'H and D: coin basis and coin bit', channels: [0, 2], basis: 1, bit: 1, double: 1, coins: 2 },
  ])('$name', ({ channels, basis, bit, double, coins }) => {
    let flips = 0;
    const r = squashClicks(channels.map(() => 42), channels, () => ((flips++, 1) as 1));
    expect(Array.from(r.pulses)).toEqual([42]);
    expect([r.basis[0], r.bit[0], r.doubleClicks, flips]).toEqual([basis, bit, double, coins]);
  });

  it('sorts pulses, ignores non-BB84 channels and rejects mismatched inputs', () => {
    const r = squashClicks([9, 3, 9, 5], [0, 1, 4, 2], () => 0);
    expect(Array.from(r.pulses)).toEqual([3, 9, 5].sort((a, b) => a - b));
    expect(Array.from(r.bit)).toEqual([1, 0, 0]);
    expect(() => squashClicks([1], [], () => 0)).toThrow(/differ in length/);
  });

  it('draws coins from the private byte source, bit by bit', () => {
    const coin = coinFrom((n) => new Uint8Array(n).fill(0b10110010));
    expect(Array.from({ length: 8 }, coin)).toEqual([0, 1, 0, 0, 1, 1, 0, 1]);
  });
});
