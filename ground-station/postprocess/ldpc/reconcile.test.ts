import { describe, expect, it } from 'vitest';
import { binaryEntropy } from '../bitops.ts';
import { seedFrom, Xoshiro128 } from '../prng.ts';
import type { LdpcPlan } from './frame-layout.ts';
import { parityCheckMatrix } from './matrix.ts';
import { ldpcReconcile, type LdpcOptions } from './reconcile.ts';
import { LdpcSender, localLdpcPort, type LdpcPort } from './sender.ts';

function keys(nBits: number, q: number, seed: number): { alice: Uint8Array; bob: Uint8Array } {
  const rng = new Xoshiro128(seedFrom(seed));
  const alice = new Uint8Array(nBits);
  for (let i = 0; i < nBits; i++) alice[i] = rng.nextU32() & 1;
  const bob = alice.slice();
  for (let i = 0; i < nBits; i++) if (rng.nextFloat() < q) bob[i] ^= 1;
  return { alice, bob };
}

/** Seeded punctured values so the runs are reproducible (production uses node:crypto). */
function seededSecret(seed: number): (count: number) => Uint8Array {
  const rng = new Xoshiro128(seedFrom(seed));
  return (count) => {
    const b = new Uint8Array(count);
    for (let i = 0; i < count; i++) b[i] = rng.nextU32() & 1;
    return b;
  };
}

/** Wraps a port and counts every bit the sender puts on the wire (syndrome bits, hash bits, revealed values). */
function countingPort(inner: LdpcPort): { port: LdpcPort; sent: () => number; plan: () => LdpcPlan | null } {
  let sent = 0;
  let plan: LdpcPlan | null = null;
  return {
    sent: () => sent,
    plan: () => plan,
    port: {
      syndromes: async (p) => {
        // structuredClone: only plain data may cross, as over a network
        plan = structuredClone(p);
        const r = structuredClone(await inner.syndromes(plan));
        p.frames.forEach((f) => (sent += parityCheckMatrix(p.n, f.rate, p.matrixSeed).m));
        sent += 32 * r.confirmHashes.length;
        return r;
      },
      reveal: async (reqs) => {
        const r = structuredClone(await inner.reveal(structuredClone(reqs)));
        for (const q of reqs) sent += q.count;
        return r;
      },
    },
  };
}

function puncturedTotal(plan: LdpcPlan): number {
  return plan.frames.reduce((a, f) => a + f.punctured, 0);
}

describe('rate-adaptive LDPC reconciliation', () => {
  // f bounds: measured 1.21, 1.20, 1.15 on these seeded runs (2 frames each; the 10^6-bit bench gives 1.27, 1.22,
  // 1.15), plus slack. Low QBER costs more: the high-rate mother codes decode further from capacity.
  it.each([
    [0.01, 1.3],
    [0.02, 1.25],
    [0.05, 1.2],
  ])('QBER %s: both keys end identical, leak = bits sent − punctured, f ≤ %s', async (q, fMax) => {
    const { alice, bob } = keys(29000, q, Math.round(q * 1000));
    const sender = new LdpcSender(alice, { secretBits: seededSecret(1) });
    const c = countingPort(localLdpcPort(sender));
    const r = await ldpcReconcile(bob, q, c.port, { seed: 42 });
    expect(r.failedFrames).toEqual([]);
    expect(bob).toEqual(alice);
    expect(r.frames).toBe(2);
    expect(r.leakedBits).toBe(c.sent() - puncturedTotal(c.plan()!));
    expect(sender.sentBits).toBe(c.sent());
    expect(r.efficiency).toBeGreaterThan(1);
    expect(r.efficiency).toBeLessThanOrEqual(fMax);
    // one exchange for the syndromes, then one per reveal round (default at most 8)
    expect(r.exchanges).toBeGreaterThanOrEqual(1);
    expect(r.exchanges).toBeLessThanOrEqual(9);
  });

  it('a key shorter than a frame and one with a short last frame both reconcile', async () => {
    for (const nBits of [1000, 16384 * 0.9 + 517]) {
      const { alice, bob } = keys(Math.floor(nBits), 0.03, nBits);
      const c = countingPort(localLdpcPort(new LdpcSender(alice, { secretBits: seededSecret(2) })));
      const r = await ldpcReconcile(bob, 0.03, c.port, { seed: 7 });
      expect(r.failedFrames).toEqual([]);
      expect(bob).toEqual(alice);
      expect(r.leakedBits).toBe(c.sent() - puncturedTotal(c.plan()!));
    }
  });

  it('frames that cannot be decoded are reported and left untouched, never silently wrong', async () => {
    const q = 0.05;
    const { alice, bob } = keys(29000, q, 77);
    const before = bob.slice();
    // Too little syndrome (f = 0.75, below what any code can do) and no retries: frames fail.
    const opts: LdpcOptions = { seed: 3, startEfficiency: 0.75, maxRetries: 0 };
    const c = countingPort(localLdpcPort(new LdpcSender(alice, { secretBits: seededSecret(3) })));
    const r = await ldpcReconcile(bob, q, c.port, opts);
    expect(r.failedFrames.length).toBeGreaterThan(0);
    expect(r.exchanges).toBe(1);
    const failed = new Uint8Array(alice.length);
    for (const f of r.failedFrames) failed.fill(1, f.keyStart, f.keyStart + f.keyLength);
    for (let i = 0; i < alice.length; i++) {
      if (failed[i]) expect(bob[i]).toBe(before[i]);
      else expect(bob[i]).toBe(alice[i]);
    }
    expect(r.leakedBits).toBe(c.sent() - puncturedTotal(c.plan()!));
  });

  it('blind reveals rescue frames that failed at the first syndrome, each revealed bit counted', async () => {
    const q = 0.05;
    const { alice, bob } = keys(14000, q, 78);
    const c = countingPort(localLdpcPort(new LdpcSender(alice, { secretBits: seededSecret(4) })));
    const r = await ldpcReconcile(bob, q, c.port, { seed: 4, startEfficiency: 0.95, maxRetries: 10 });
    expect(r.revealedBits).toBeGreaterThan(0);
    expect(r.exchanges).toBeGreaterThan(1);
    expect(r.failedFrames).toEqual([]);
    expect(bob).toEqual(alice);
    expect(r.leakedBits).toBe(c.sent() - puncturedTotal(c.plan()!));
  });

  it('a confirmation hash that disagrees makes the frame fail instead of accepting a wrong word', async () => {
    const q = 0.02;
    const { alice, bob } = keys(14000, q, 79);
    const before = bob.slice();
    const inner = localLdpcPort(new LdpcSender(alice, { secretBits: seededSecret(5) }));
    const port: LdpcPort = {
      syndromes: async (p) => {
        const r = await inner.syndromes(p);
        return { ...r, confirmHashes: r.confirmHashes.map((x) => (x ^ 1) >>> 0) };
      },
      reveal: inner.reveal,
    };
    const r = await ldpcReconcile(bob, q, port, { seed: 5, maxRetries: 1 });
    expect(r.failedFrames).toEqual([{ keyStart: 0, keyLength: 14000 }]);
    expect(bob).toEqual(before);
  });

  it('efficiency at 2 % counts the whole leak against n·h(e)', async () => {
    const q = 0.02;
    const { alice, bob } = keys(29000, q, 80);
    const errors = alice.reduce((a, x, i) => a + (x ^ bob[i]), 0);
    const r = await ldpcReconcile(bob, q, localLdpcPort(new LdpcSender(alice, { secretBits: seededSecret(6) })), { seed: 6 });
    expect(r.failedFrames).toEqual([]);
    expect(r.correctedIndices.length).toBe(errors);
    expect(r.efficiency).toBeCloseTo(r.leakedBits / (alice.length * binaryEntropy(errors / alice.length)), 10);
    expect(r.efficiency).toBeLessThanOrEqual(1.25); // measured 1.17
  });
});
