/**
 * Privacy amplification by Toeplitz hashing: y = T·x over GF(2), T the m×n Toeplitz matrix of a uniformly random
 * seed s of n+m−1 bits (T[i][j] = s[i − j + n − 1]), a 2-universal family, so the leftover hash lemma gives the
 * output length from the finite-key bound. T·x is the middle of the convolution s∗x: y_i = (s∗x)[i + n − 1],
 * computed exactly with the NTT (integer sums, then parity) in O((n+m) log) instead of O(n·m).
 * Long inputs are cut into L = 2^20-bit chunks: T splits into Toeplitz blocks that depend only on (row − column)
 * chunk, so each seed segment and each input chunk is transformed once and products are summed in the frequency
 * domain — about the cost of one long transform, within the NTT's 2^21 limit.
 * Default path: the native kernel (native/toeplitz.cc: the same right-angle FFT with two bits per element, on both
 * cores) when it was built, then the float64 right-angle FFT of fft.ts (about 3× fewer operations than the NTT:
 * no modular reductions, half-length complex transforms); both check their rounding and return nothing rather
 * than a wrong bit, and the NTT remains the exact fallback.
 */
import { toeplitzHashFft } from './fft.ts';
import { nativeKernels, nativeThreads } from './native.ts';
import { NTT_MAX_LOG2, NTT_PRIME, mulAccumulate, mulInPlace, nttForward, nttInverse, nttPlan } from './ntt.ts';

/** The m output bits of the Toeplitz hash of `x` (one byte per bit) with `seed` (n + m − 1 bits). */
export function toeplitzHash(
  x: Uint8Array,
  seed: Uint8Array,
  m: number,
  opts: {
    chunkBits?: number;
    fftMaxError?: number;
    /** The seed was drawn uniformly at random (as the protocol does): allows the native two-bits-per-element
     * kernel, whose exactness argument is over that draw (native/toeplitz.cc). Leave unset for chosen seeds. */
    uniformSeed?: boolean;
  } = {},
): Uint8Array {
  const n = x.length;
  if (m < 0 || !Number.isInteger(m)) throw new RangeError(`toeplitzHash: bad output length ${m}`);
  if (m === 0 || n === 0) return new Uint8Array(m);
  if (seed.length !== n + m - 1) throw new RangeError(`toeplitzHash: seed must be n+m−1 = ${n + m - 1} bits, got ${seed.length}`);
  const chunk = opts.chunkBits ?? 2 ** (NTT_MAX_LOG2 - 1);
  if ((chunk & (chunk - 1)) !== 0 || chunk > 2 ** (NTT_MAX_LOG2 - 1)) throw new RangeError(`toeplitzHash: chunkBits ${chunk} must be a power of two ≤ 2^${NTT_MAX_LOG2 - 1}`);
  // Fast path: float64 FFT, exact when every used coefficient rounds with error < fftMaxError (checked);
  // otherwise, or when the caller asks for a specific NTT chunking, the exact NTT below.
  if (opts.chunkBits === undefined) {
    const native = opts.uniformSeed === true ? nativeKernels() : null;
    if (native) {
      const y = new Uint8Array(m);
      if (native.toeplitzHashPacked(x, seed, m, y, opts.fftMaxError ?? 0.25, nativeThreads()) >= 0) return y;
    }
    const y = toeplitzHashFft(x, seed, m, opts.fftMaxError ?? 0.25);
    if (y) return y;
  }
  if (n + m - 1 <= 2 * chunk) return directToeplitz(x, seed, m);
  return chunkedToeplitz(x, seed, m, chunk);
}

function nextPow2(v: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(2, v)));
}

function directToeplitz(x: Uint8Array, seed: Uint8Array, m: number): Uint8Array {
  const n = x.length;
  const N = nextPow2(n + m - 1);
  const plan = nttPlan(N);
  const a = new Float64Array(N);
  const b = new Float64Array(N);
  for (let i = 0; i < seed.length; i++) a[i] = seed[i];
  for (let i = 0; i < n; i++) b[i] = x[i];
  nttForward(a, plan);
  nttForward(b, plan);
  mulInPlace(a, b, plan.nInv);
  nttInverse(a, plan, false);
  // Cyclic wrap of length N ≥ n+m−1 only reaches indices below n−1, which the middle product does not use.
  const y = new Uint8Array(m);
  for (let i = 0; i < m; i++) y[i] = a[i + n - 1] & 1;
  return y;
}

function chunkedToeplitz(x: Uint8Array, seed: Uint8Array, m: number, L: number): Uint8Array {
  const n = x.length;
  const N = 2 * L;
  const plan = nttPlan(N);
  const C = Math.ceil(n / L);
  const R = Math.ceil(m / L);
  const X: Float64Array[] = [];
  for (let c = 0; c < C; c++) {
    const t = new Float64Array(N);
    const end = Math.min(n, (c + 1) * L);
    for (let j = c * L; j < end; j++) t[j - c * L] = x[j];
    nttForward(t, plan);
    X.push(t);
  }
  // Seed segment for block diagonal d = r − c: s[dL + n − 1 + u] for u ∈ (−L, L), out-of-range bits are 0
  // (they only meet the zero padding of x or the discarded tail of y).
  const S = new Map<number, Float64Array>();
  const segment = (d: number): Float64Array => {
    let t = S.get(d);
    if (t) return t;
    t = new Float64Array(N);
    const base = d * L + n - 1 - (L - 1);
    for (let i = 0; i < 2 * L - 1; i++) {
      const k = base + i;
      if (k >= 0 && k < seed.length) t[i] = seed[k];
    }
    nttForward(t, plan);
    S.set(d, t);
    return t;
  };
  // Exactness: the integer sum behind each output must stay below p; group chunks so each group's bit count does.
  const chunksPerGroup = Math.max(1, Math.floor((NTT_PRIME - 1) / L));
  const y = new Uint8Array(m);
  const acc = new Float64Array(N);
  for (let r = 0; r < R; r++) {
    for (let g = 0; g < C; g += chunksPerGroup) {
      acc.fill(0);
      for (let c = g; c < Math.min(C, g + chunksPerGroup); c++) mulAccumulate(acc, segment(r - c), X[c]);
      nttInverse(acc, plan);
      const end = Math.min(m, (r + 1) * L);
      for (let i = r * L; i < end; i++) y[i] ^= acc[i - r * L + L - 1] & 1;
    }
    // Segments for d = r − c are reused across rows; free the ones no later row needs (d < r+1 − (C−1)).
    S.delete(r - (C - 1));
  }
  return y;
}

/** O(n·m) reference for tests: the definition itself. */
export function toeplitzHashNaive(x: Uint8Array, seed: Uint8Array, m: number): Uint8Array {
  const n = x.length;
  const y = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    let p = 0;
    for (let j = 0; j < n; j++) p ^= seed[i - j + n - 1] & x[j];
    y[i] = p;
  }
  return y;
}
