import { describe, expect, it } from 'vitest';
import { toeplitzHashFft } from './fft.ts';
import { mulMod, NTT_PRIME, nttForward, nttInverse, nttPlan, powMod } from './ntt.ts';
import { seedFrom, Xoshiro128 } from './prng.ts';
import { toeplitzHash, toeplitzHashNaive } from './toeplitz.ts';

function bits(n: number, seed: number, density = 0.5): Uint8Array {
  const r = new Xoshiro128(seedFrom(seed));
  const a = new Uint8Array(n);
  for (let i = 0; i < n; i++) a[i] = r.nextFloat() < density ? 1 : 0;
  return a;
}

describe('NTT over p = 11·2^21 + 1', () => {
  it('has a primitive 2^21-th root of unity at 3^((p−1)/2^21)', () => {
    const w = powMod(3, (NTT_PRIME - 1) / 2 ** 21);
    expect(powMod(w, 2 ** 21)).toBe(1);
    expect(powMod(w, 2 ** 20)).toBe(NTT_PRIME - 1);
  });

  it('multiplies exactly below 2^50 and round-trips forward/inverse', () => {
    expect(mulMod(NTT_PRIME - 1, NTT_PRIME - 1)).toBe(1);
    const plan = nttPlan(1024);
    const a = new Float64Array(1024).map((_, i) => (i * 7919) % NTT_PRIME);
    const b = a.slice();
    nttForward(b, plan);
    expect(Array.from(b)).not.toEqual(Array.from(a));
    nttInverse(b, plan);
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});

describe('toeplitzHash', () => {
  it.each([
    { n: 1, m: 1 },
    { n: 17, m: 5 },
    { n: 300, m: 120 },
    { n: 1000, m: 999 },
    { n: 513, m: 1 },
  ])('equals the O(n·m) definition (n=$n, m=$m)', ({ n, m }) => {
    const x = bits(n, n);
    const s = bits(n + m - 1, n + 1);
    expect(Array.from(toeplitzHash(x, s, m))).toEqual(Array.from(toeplitzHashNaive(x, s, m)));
  });

  it.each([
    { n: 1000, m: 700, chunk: 64 },
    { n: 4096, m: 100, chunk: 256 },
    { n: 333, m: 2000, chunk: 128 },
  ])('block-Toeplitz path equals the definition (n=$n, m=$m, chunk $chunk)', ({ n, m, chunk }) => {
    const x = bits(n, 3 * n, 0.9); // dense input: large convolution sums test exactness
    const s = bits(n + m - 1, 5, 0.9);
    expect(Array.from(toeplitzHash(x, s, m, { chunkBits: chunk }))).toEqual(Array.from(toeplitzHashNaive(x, s, m)));
  });

  it('is linear over GF(2): T(x ⊕ y) = Tx ⊕ Ty (what makes it a 2-universal family)', () => {
    const n = 5000;
    const m = 2500;
    const s = bits(n + m - 1, 9);
    const x = bits(n, 10);
    const y = bits(n, 11);
    const xy = x.map((v, i) => v ^ y[i]);
    const a = toeplitzHash(x, s, m);
    const b = toeplitzHash(y, s, m);
    expect(Array.from(toeplitzHash(xy, s, m))).toEqual(Array.from(a.map((v, i) => v ^ b[i])));
  });

  it('float FFT path equals the definition on random and edge sizes (non-power-of-two, n+m−1 at 2^k ± 1)', () => {
    const r = new Xoshiro128(seedFrom(77));
    const sizes: Array<[number, number]> = [
      [1, 1], [2, 1], [1, 2], [3, 3], [4, 5], [5, 4], [8, 9], [9, 8], [1, 700], [700, 1],
      [512, 513], [513, 512], [511, 514], [1024, 1], [1, 1024], [1023, 2], [2000, 49], [49, 2000],
    ];
    for (let t = 0; t < 12; t++) sizes.push([1 + Math.floor(r.nextFloat() * 1500), 1 + Math.floor(r.nextFloat() * 1500)]);
    for (const [n, m] of sizes) {
      for (const density of [0.5, 1]) {
        const x = bits(n, 13 * n + m, density);
        const s = bits(n + m - 1, 17 * m + n, density);
        const ref = Array.from(toeplitzHashNaive(x, s, m));
        const fast = toeplitzHashFft(x, s, m);
        expect(fast, `n=${n} m=${m}`).not.toBeNull();
        expect(Array.from(fast!), `n=${n} m=${m} density=${density}`).toEqual(ref);
        expect(Array.from(toeplitzHash(x, s, m)), `n=${n} m=${m}`).toEqual(ref);
      }
    }
  });

  it('float FFT stays exact on a dense 2^17-bit block (large sums), checked against the NTT', () => {
    const n = 100_000;
    const m = 31_073; // n + m − 1 = 131 072 = 2^17 exactly
    const x = bits(n, 21, 0.97);
    const s = bits(n + m - 1, 22, 0.97);
    const fast = toeplitzHashFft(x, s, m);
    expect(fast).not.toBeNull();
    expect(Array.from(fast!)).toEqual(Array.from(toeplitzHash(x, s, m, { chunkBits: 2 ** 20 })));
  });

  it('falls back to the exact NTT when the rounding check fails', () => {
    const n = 900;
    const m = 333;
    const x = bits(n, 31);
    const s = bits(n + m - 1, 32);
    expect(toeplitzHashFft(x, s, m, -1)).toBeNull();
    expect(Array.from(toeplitzHash(x, s, m, { fftMaxError: -1 }))).toEqual(Array.from(toeplitzHashNaive(x, s, m)));
  });

  it('refuses a seed of the wrong length', () => {
    expect(() => toeplitzHash(new Uint8Array(10), new Uint8Array(10), 5)).toThrow(/n\+m−1 = 14/);
  });
});
