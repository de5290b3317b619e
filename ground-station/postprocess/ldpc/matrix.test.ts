import { describe, expect, it } from 'vitest';
import { buildParityCheckMatrix, MOTHER_RATES, syndromeOf } from './matrix.ts';
import { decodeSyndrome } from './decoder.ts';
import { seedFrom, Xoshiro128 } from '../prng.ts';

describe('LDPC mother-code matrices', () => {
  it('are deterministic in (n, rate, seed) and change with the seed', () => {
    const a = buildParityCheckMatrix(4096, 0.7, 11);
    const b = buildParityCheckMatrix(4096, 0.7, 11);
    const c = buildParityCheckMatrix(4096, 0.7, 12);
    expect(a.rowPtr).toEqual(b.rowPtr);
    expect(a.colIdx).toEqual(b.colIdx);
    expect(a.punctureOrder).toEqual(b.punctureOrder);
    expect(Buffer.from(a.colIdx.buffer).equals(Buffer.from(c.colIdx.buffer))).toBe(false);
  });

  // At n = 2^14 the construction avoids every 4-cycle except a handful in the densest code (rate 0.9, check degree
  // 54: the last high-degree variables find every open check within distance 2); measured 3.
  it.each(MOTHER_RATES.filter((_, i) => i % 2 === 0))('rate %s: right shape, concentrated checks, no repeated edge, (almost) no 4-cycle, untainted puncturing', (rate) => {
    const n = 16384;
    const h = buildParityCheckMatrix(n, rate, 3);
    expect(h.m).toBe(Math.round(n * (1 - rate)));
    const edges = h.rowPtr[h.m];
    let degSum = 0;
    for (let v = 0; v < n; v++) degSum += h.varDegree[v];
    expect(degSum).toBe(edges);
    let minDc = Infinity;
    let maxDc = 0;
    const varChecks: number[][] = Array.from({ length: n }, () => []);
    for (let j = 0; j < h.m; j++) {
      const d = h.rowPtr[j + 1] - h.rowPtr[j];
      minDc = Math.min(minDc, d);
      maxDc = Math.max(maxDc, d);
      const seen = new Set<number>();
      for (let e = h.rowPtr[j]; e < h.rowPtr[j + 1]; e++) {
        expect(seen.has(h.colIdx[e])).toBe(false);
        seen.add(h.colIdx[e]);
        varChecks[h.colIdx[e]].push(j);
      }
    }
    expect(maxDc - minDc).toBeLessThanOrEqual(1);
    // 4-cycle: two variables sharing two checks. Count pairs per check pair via each variable's check list.
    const pairs = new Set<number>();
    let fourCycles = 0;
    for (const cs of varChecks) {
      for (let x = 0; x < cs.length; x++)
        for (let y = x + 1; y < cs.length; y++) {
          const k = Math.min(cs[x], cs[y]) * 65536 + Math.max(cs[x], cs[y]);
          if (pairs.has(k)) fourCycles++;
          pairs.add(k);
        }
    }
    expect(fourCycles).toBeLessThanOrEqual(rate >= 0.9 ? 10 : 0);
    const tainted = new Set<number>();
    for (const v of h.punctureOrder) {
      expect(h.varDegree[v]).toBeGreaterThan(0);
      for (const c of varChecks[v]) {
        expect(tainted.has(c)).toBe(false);
        tainted.add(c);
      }
    }
    expect(h.punctureOrder.length).toBeGreaterThan(0.02 * n);
  });

  it('decodes a frame at a QBER well inside the code rate back to Alice’s word (sum-product and min-sum, native and JavaScript)', () => {
    const n = 4096;
    const h = buildParityCheckMatrix(n, 0.5, 1);
    const rng = new Xoshiro128(seedFrom(9));
    const x = new Uint8Array(n);
    for (let i = 0; i < n; i++) x[i] = rng.nextU32() & 1;
    const s = syndromeOf(h, x);
    const q = 0.06; // h(0.06) = 0.33, rate 0.5 leaves a wide margin
    const prior = new Float64Array(n);
    const l = Math.log((1 - q) / q);
    for (let i = 0; i < n; i++) prior[i] = (x[i] ^ (rng.nextFloat() < q ? 1 : 0)) ? -l : l;
    for (const algorithm of ['spa', 'minsum'] as const) {
      for (const native of [true, false]) {
        const out = new Uint8Array(n);
        const r = decodeSyndrome(h, s, prior, out, { maxIterations: 80, alpha: 0.78, algorithm, native });
        expect(r.ok, `${algorithm}, native ${native}`).toBe(true);
        expect(out).toEqual(x);
      }
    }
    // Far beyond the code's capacity (h(0.2) = 0.72 > 0.5) both give up rather than return a wrong word.
    const noisy = new Float64Array(n);
    for (let i = 0; i < n; i++) noisy[i] = (x[i] ^ (rng.nextFloat() < 0.2 ? 1 : 0)) ? -l : l;
    for (const native of [true, false]) {
      const r = decodeSyndrome(h, s, noisy, new Uint8Array(n), { maxIterations: 30, alpha: 0.78, algorithm: 'spa', native });
      expect(r).toEqual({ ok: false, iterations: 30 });
    }
  });
});
