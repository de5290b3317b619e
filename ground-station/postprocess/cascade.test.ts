import { describe, expect, it } from 'vitest';
import { binaryEntropy } from './bitops.ts';
import { cascadeReconcile, defaultFirstBlockSize } from './cascade.ts';
import { biconfMembers, CascadeSender, localParityPort, type CascadeParityPort } from './cascade-sender.ts';
import { randomPermutation, seedFrom, Xoshiro128 } from './prng.ts';

function pair(n: number, q: number, seed: number): { a: Uint8Array; b: Uint8Array; errors: number } {
  const r = new Xoshiro128(seedFrom(seed));
  const a = new Uint8Array(n);
  const b = new Uint8Array(n);
  let errors = 0;
  for (let i = 0; i < n; i++) {
    a[i] = r.nextU32() & 1;
    const e = r.nextFloat() < q ? 1 : 0;
    b[i] = a[i] ^ e;
    errors += e;
  }
  return { a, b, errors };
}

/** Wraps a port and counts every parity bit that crosses it: the leak must equal this exactly. */
function counting(port: CascadeParityPort): { port: CascadeParityPort; bits: () => number } {
  let bits = 0;
  return {
    bits: () => bits,
    port: {
      async openPasses(specs) {
        const r = await port.openPasses(specs);
        bits += r.reduce((s, p) => s + p.length, 0);
        return r;
      },
      async parities(q) {
        const r = await port.parities(q);
        bits += r.length;
        return r;
      },
    },
  };
}

describe('cascadeReconcile', () => {
  it.each([
    { q: 0.01, maxF: 1.08 },
    { q: 0.02, maxF: 1.08 },
    { q: 0.05, maxF: 1.1 },
    { q: 0.08, maxF: 1.12 },
  ])('corrects every error on 2·10^5 bits at QBER $q with f ≤ $maxF, counting the leak exactly', async ({ q, maxF }) => {
    const n = 200_000;
    const { a, b, errors } = pair(n, q, Math.round(q * 1000));
    const c = counting(localParityPort(new CascadeSender(a)));
    const r = await cascadeReconcile(b, q, c.port, { seed: 11 });
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    expect(r.correctedIndices.length).toBe(errors);
    expect(r.leakedBits).toBe(c.bits());
    const f = r.leakedBits / (n * binaryEntropy(errors / n));
    expect(f).toBeCloseTo(r.efficiency, 10);
    expect(f).toBeLessThanOrEqual(maxF);
    expect(f).toBeGreaterThan(1); // Shannon: no scheme leaks less than n·h(Q)
  });

  it('round-saving mode trades a bounded efficiency loss for fewer exchanges, still exact', async () => {
    const n = 100_000;
    const { a, b } = pair(n, 0.03, 5);
    const b2 = b.slice();
    const plain = await cascadeReconcile(b, 0.03, localParityPort(new CascadeSender(a)), { seed: 3 });
    const fast = await cascadeReconcile(b2, 0.03, localParityPort(new CascadeSender(a)), { seed: 3, concurrentPasses: true, exchangeCostBits: 128, initialActivePasses: 3 });
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b2))).toBe(0);
    expect(fast.exchanges).toBeLessThan(plain.exchanges / 2);
    expect(fast.efficiency).toBeLessThan(1.35);
    // What the link pays: leaked parities plus two 64-bit tags per exchange.
    expect(fast.leakedBits + 128 * fast.exchanges).toBeLessThan(plain.leakedBits + 128 * plain.exchanges);
  });

  it('bisects BICONF rounds when the shuffled passes leave even error patterns, still exact', async () => {
    // One coarse pass leaves pairs of errors in even blocks; only the BICONF rounds can find them.
    const n = 2000;
    const { a, b, errors } = pair(n, 0.02, 4);
    const c = counting(localParityPort(new CascadeSender(a)));
    let biconfQueries = 0;
    const port: CascadeParityPort = {
      openPasses: c.port.openPasses,
      async parities(q) {
        for (let i = 0; i < q.length; i += 3) if (q[i] >= 1) biconfQueries++; // pass 0 is the only shuffled pass
        return c.port.parities(q);
      },
    };
    const r = await cascadeReconcile(b, 0.02, port, { seed: 2, firstBlockSize: 128, laterBlockSizes: [], biconfRounds: 200 });
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    expect(r.correctedIndices.length).toBe(errors);
    expect(r.leakedBits).toBe(c.bits());
    expect(biconfQueries).toBeGreaterThan(0);
  });

  it('sender answers range parities of its shuffled order and refuses malformed queries', () => {
    const { a } = pair(1000, 0, 3);
    const sender = new CascadeSender(a);
    const seed: [number, number, number, number] = [1, 2, 3, 4];
    const blocks = sender.openPass({ kind: 'shuffle', seed, blockSize: 64 });
    sender.openPass({ kind: 'biconf', seed: 5 });
    // The pass order is randomPermutation(n, seed): check block and range parities against it directly.
    const order = randomPermutation(1000, seed);
    const parityOf = (s: number, e: number) => {
      let p = 0;
      for (let i = s; i < e; i++) p ^= a[order[i]];
      return p;
    };
    expect(Array.from(blocks)).toEqual(Array.from({ length: 16 }, (_, b) => parityOf(b * 64, Math.min(1000, b * 64 + 64))));
    const got = sender.parities(Int32Array.of(0, 0, 1, 0, 5, 37, 0, 999, 1000, 0, 0, 1000, 1, 0, 3));
    expect(Array.from(got.subarray(0, 4))).toEqual([parityOf(0, 1), parityOf(5, 37), parityOf(999, 1000), parityOf(0, 1000)]);
    const members = biconfMembers(5, 1000);
    expect(got[4]).toBe(a[members[0]] ^ a[members[1]] ^ a[members[2]]);
    expect(sender.revealedBits).toBe(16 + 1 + 5);
    expect(() => sender.parities(Int32Array.of(0, 10, 10))).toThrow(RangeError);
    expect(() => sender.parities(Int32Array.of(0, 0, 1001))).toThrow(RangeError);
    expect(() => sender.parities(Int32Array.of(2, 0, 1))).toThrow(RangeError);
    expect(() => sender.parities(Int32Array.of(0, 0))).toThrow(RangeError);
    expect(sender.revealedBits).toBe(16 + 1 + 5); // refused queries reveal nothing
  });

  it('leaves identical keys untouched and leaks only the block parities', async () => {
    const { a } = pair(10_000, 0, 1);
    const b = a.slice();
    const r = await cascadeReconcile(b, 0.02, localParityPort(new CascadeSender(a)), { seed: 1, biconfRounds: 4 });
    const k1 = defaultFirstBlockSize(0.02, 10_000);
    expect(k1).toBe(64);
    expect(r.correctedIndices.length).toBe(0);
    expect(r.leakedBits).toBe(Math.ceil(10_000 / 64) + Math.ceil(10_000 / 256) + Math.ceil(10_000 / 1024) + 4);
    expect(r.exchanges).toBe(1);
  });

  it('is deterministic in its public seed', async () => {
    const { a, b } = pair(20_000, 0.04, 9);
    const r1 = await cascadeReconcile(b.slice(), 0.04, localParityPort(new CascadeSender(a)), { seed: 77 });
    const r2 = await cascadeReconcile(b.slice(), 0.04, localParityPort(new CascadeSender(a)), { seed: 77 });
    expect(r1.leakedBits).toBe(r2.leakedBits);
    expect(Array.from(r1.correctedIndices)).toEqual(Array.from(r2.correctedIndices));
  });
});
