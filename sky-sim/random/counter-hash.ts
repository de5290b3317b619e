/**
 * Counter-based randomness: 32 random bits as a pure function of (key, counter, lane). The satellite's
 * transmitter draws each pulse's basis, bit and intensity this way, so any pulse's record can be recomputed on
 * demand and nothing is stored per pulse (a 10-minute pass at 100 MHz has 6·10^10 pulses). Two rounds of the
 * murmur3 finaliser over a 64-bit counter split into 32-bit halves; statistically tested in counter-hash.test.ts.
 */
import { splitmix32 } from './prng.ts';

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface CounterKey {
  k0: number;
  k1: number;
}

/** A key for one seed (different seeds → unrelated pulse sequences). */
export function counterKey(seed: number): CounterKey {
  const lo = Math.trunc(seed) >>> 0;
  const hi = Math.trunc(seed / 4294967296) >>> 0;
  const k0 = splitmix32(lo ^ 0x5bd1e995);
  return { k0, k1: splitmix32(hi ^ k0) };
}

/** 32 random bits for counter `index` (an integer 0 ≤ index < 2^53) and lane 0..255. */
export function counterBits(key: CounterKey, index: number, lane: number): number {
  const lo = index >>> 0;
  const hi = Math.floor(index / 4294967296) >>> 0;
  let h = fmix32(lo ^ key.k0 ^ Math.imul(lane + 1, 0x27d4eb2f));
  h = fmix32(h ^ hi ^ key.k1);
  return fmix32(h + lo * 0x165667b1 + lane);
}
