import { describe, expect, it } from 'vitest';
import { toeplitzHashFft } from './fft.ts';
import { nativeKernels } from './native.ts';
import { seedFrom, Xoshiro128 } from './prng.ts';
import { toeplitzHash, toeplitzHashNaive } from './toeplitz.ts';

function bits(n: number, seed: number, density = 0.5): Uint8Array {
  const r = new Xoshiro128(seedFrom(seed));
  const a = new Uint8Array(n);
  for (let i = 0; i < n; i++) a[i] = r.nextFloat() < density ? 1 : 0;
  return a;
}

// `npm ci` builds the kernel (tools/build-native.mjs); a machine without g++ fails here, loudly, rather than
// silently testing only the JavaScript paths.
const native = nativeKernels();

describe('native Toeplitz kernel (two bits per element, both cores)', () => {
  it('was built by npm ci', () => {
    expect(native, 'build/native/satqkd_native.node missing: run `node tools/build-native.mjs`').not.toBeNull();
  });

  // Odd and even n and m, m = 1, m > n, sizes around the packing and power-of-two boundaries; keys of every density
  // (the seed is uniform, as in the protocol; the key is whatever reconciliation left).
  const cases = [
    [1, 1], [2, 1], [3, 2], [5, 5], [17, 5], [300, 120], [1000, 999], [513, 1], [64, 200],
    [4096, 4096], [10001, 3333], [20000, 1], [16383, 16385],
  ];
  it.each(cases.flatMap(([n, m]) => [0.5, 0, 1, 0.03].map((d) => ({ n, m, d }))))(
    'equals the O(n·m) definition (n=$n, m=$m, key density $d), on one core and on two',
    ({ n, m, d }) => {
      const x = bits(n, n + m, d);
      const s = bits(n + m - 1, 7 * n + m);
      const ref = Array.from(toeplitzHashNaive(x, s, m));
      for (const threads of [1, 2]) {
        const y = new Uint8Array(m);
        expect(native!.toeplitzHashPacked(x, s, m, y, 0.25, threads)).toBeGreaterThanOrEqual(0);
        expect(Array.from(y)).toEqual(ref);
      }
    },
  );

  it('agrees with the JavaScript FFT on a 10^6-bit key, within a small rounding error', () => {
    const n = 1_000_000;
    const m = 420_000;
    const x = bits(n, 11);
    const s = bits(n + m - 1, 12);
    const y = new Uint8Array(m);
    const err = native!.toeplitzHashPacked(x, s, m, y, 0.25, 2);
    expect(err).toBeGreaterThanOrEqual(0);
    expect(err).toBeLessThan(0.01);
    expect(Array.from(y)).toEqual(Array.from(toeplitzHashFft(x, s, m)!));
  });

  it('refuses (−1) rather than answer when a check fails, and toeplitzHash then takes an exact path', () => {
    const n = 5000;
    const m = 3000;
    const s = bits(n + m - 1, 2);
    const y = new Uint8Array(m);
    for (const threads of [1, 2]) expect(native!.toeplitzHashPacked(bits(n, 3), s, m, y, -1, threads)).toBe(-1); // no error budget: always fails
    const x2 = bits(n, 4);
    // Through the public function a failed native check costs time, never a wrong bit.
    expect(Array.from(toeplitzHash(x2, s, m, { uniformSeed: true, fftMaxError: -1 }))).toEqual(Array.from(toeplitzHashNaive(x2, s, m)));
  });

  it('is used only for seeds declared uniform: a chosen seed goes to the exact paths', () => {
    const n = 3001;
    const m = 2000;
    const x = new Uint8Array(n).fill(1);
    const s = new Uint8Array(n + m - 1).fill(1); // D = −n everywhere: digits overflow B/2 by far
    expect(Array.from(toeplitzHash(x, s, m))).toEqual(Array.from(toeplitzHashNaive(x, s, m)));
  });

  it('rejects mismatched lengths with a RangeError', () => {
    expect(() => native!.toeplitzHashPacked(new Uint8Array(10), new Uint8Array(10), 5, new Uint8Array(5), 0.25, 1)).toThrow(RangeError);
    expect(() => native!.toeplitzHashPacked(new Uint8Array(10), new Uint8Array(14), 5, new Uint8Array(4), 0.25, 1)).toThrow(RangeError);
  });
});
