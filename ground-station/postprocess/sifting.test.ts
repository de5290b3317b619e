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

  it('merges clicks of one pulse however far apart they arrive, and matches a per-pulse reference on random input', () => {
    // H on pulse 7, then other pulses, then V on pulse 7 again: one double click in the X basis.
    const r = squashClicks([7, 2, 11, 7], [0, 3, 2, 1], () => 1);
    expect(Array.from(r.pulses)).toEqual([2, 7, 11]);
    expect([r.doubleClicks, r.basis[1], r.bit[1]]).toEqual([1, 0, 1]);
    // Reference: a map of detector masks per pulse, coins drawn in increasing pulse order.
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const pulses = Array.from({ length: 5000 }, () => Math.floor(rand() * 3000));
    const channels = pulses.map(() => Math.floor(rand() * 5));
    const masks = new Map<number, number>();
    pulses.forEach((p, i) => channels[i] < 4 && masks.set(p, (masks.get(p) ?? 0) | (1 << channels[i])));
    const keys = [...masks.keys()].sort((a, b) => a - b);
    let coins = 0;
    const got = squashClicks(pulses, channels, () => (coins++ & 1) as 0 | 1);
    expect(Array.from(got.pulses)).toEqual(keys);
    expect(got.doubleClicks).toBe(keys.filter((k) => (masks.get(k)! & (masks.get(k)! - 1)) !== 0).length);
    keys.forEach((k, i) => {
      const m = masks.get(k)!;
      if ((m & (m - 1)) === 0) expect([got.basis[i], got.bit[i]]).toEqual([m >= 4 ? 1 : 0, m === 2 || m === 8 ? 1 : 0]);
    });
  });

  it('draws coins from the private byte source, bit by bit', () => {
    const coin = coinFrom((n) => new Uint8Array(n).fill(0b10110010));
    expect(Array.from({ length: 8 }, coin)).toEqual([0, 1, 0, 0, 1, 1, 0, 1]);
  });
});
