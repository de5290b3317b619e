/**
 * Float64 FFT middle product for Toeplitz hashing: y_i = parity((s∗x)[i + n − 1]).
 * Right-angle (negacyclic) convolution: a real sequence of length N = 2K is folded into K complex values
 * a_j = s_j + i·s_{j+K}, i.e. reduced mod z^K − i (a factor of z^N + 1). Weighting by ω^j (ω = e^{iπ/N}) turns the
 * product mod z^K − i into a cyclic one of length K, so the whole negacyclic product of two real length-N
 * sequences costs three complex transforms of length K = N/2, with no Hermitian pairing, hence no bit reversal:
 * forward is decimation-in-frequency (natural in, bit-reversed out), inverse decimation-in-time (the reverse).
 * The negacyclic wrap only reaches indices below n − 1 when N ≥ n + m − 1, which the middle product never reads.
 * Coefficients are integers ≤ n < 2^25; every output used is checked to lie within `maxError` of an integer,
 * otherwise null is returned and the caller falls back to the exact NTT.
 */

interface FftPlan {
  K: number;
  /** Per-stage twiddles: wr[h + k] + i·wi[h + k] = e^{−iπk/h}. */
  wr: Float64Array;
  wi: Float64Array;
  /** Weights ω^j = e^{iπj/(2K)}, j < K. */
  cr: Float64Array;
  ci: Float64Array;
}

let cachedPlan: FftPlan | null = null;

/** e^{iθ·t} for t < count, as products of a coarse and a fine table (error ~1e-16, no 2^23 cos/sin calls). */
function unitRoots(theta: number, count: number, outR: Float64Array, outI: Float64Array, off: number, sign: number): void {
  const S = 1 << 10;
  const fr = new Float64Array(S);
  const fi = new Float64Array(S);
  for (let b = 0; b < S; b++) {
    fr[b] = Math.cos(theta * b);
    fi[b] = Math.sin(theta * b);
  }
  for (let a = 0; a * S < count; a++) {
    const gr = Math.cos(theta * a * S);
    const gi = Math.sin(theta * a * S);
    const end = Math.min(S, count - a * S);
    for (let b = 0; b < end; b++) {
      outR[off + a * S + b] = gr * fr[b] - gi * fi[b];
      outI[off + a * S + b] = sign * (gr * fi[b] + gi * fr[b]);
    }
  }
}

function fftPlan(K: number): FftPlan {
  if (cachedPlan && cachedPlan.K === K) return cachedPlan;
  const wr = new Float64Array(Math.max(2, K));
  const wi = new Float64Array(Math.max(2, K));
  const top = K >>> 1;
  if (top >= 1) unitRoots(Math.PI / top, top, wr, wi, top, -1);
  // Smaller stages subsample the top one: e^{−iπk/h} = top[k·(top/h)].
  for (let h = top >>> 1; h >= 1; h >>>= 1) {
    const step = top / h;
    for (let k = 0; k < h; k++) {
      wr[h + k] = wr[top + k * step];
      wi[h + k] = wi[top + k * step];
    }
  }
  const cr = new Float64Array(K);
  const ci = new Float64Array(K);
  unitRoots(Math.PI / (2 * K), K, cr, ci, 0, 1);
  const p = { K, wr, wi, cr, ci };
  // Keep one plan (the pipeline hashes blocks of one size); a 2^23 plan is 256 MB, so never more than one.
  cachedPlan = p;
  return p;
}

/** Stages whose butterflies span at most BLOCK points are done block by block (cache-resident), not in sweeps. */
const BLOCK = 1 << 12;

/** Forward DIF, natural order in, bit-reversed out. Radix-4 sweeps (two radix-2 stages fused) plus one radix-2. */
function fftForward(re: Float64Array, im: Float64Array, p: FftPlan): void {
  forwardRange(re, im, p, 0, p.K, p.K >>> 1);
}

/** DIF on [lo, hi) with hi − lo = 2h. Depth first: one radix-4 sweep splits the range into four independent
 * quarters, each finished before the next, so all but the top sweeps run in cache. */
function forwardRange(re: Float64Array, im: Float64Array, p: FftPlan, lo: number, hi: number, h: number): void {
  if (hi - lo > BLOCK && h >= 2) {
    forwardSweeps(re, im, p, lo, hi, h, h);
    const sub = h >>> 1;
    for (let b = lo; b < hi; b += sub) forwardRange(re, im, p, b, b + sub, h >>> 2);
    return;
  }
  forwardSweeps(re, im, p, lo, hi, h, 0);
}

/** Radix-4 DIF sweeps h, h/4, … while h ≥ max(2, hMin), then the radix-2 stage if h reaches 1 and hMin ≤ 1. */
function forwardSweeps(re: Float64Array, im: Float64Array, p: FftPlan, lo: number, hi: number, h: number, hMin: number): void {
  const wr = p.wr;
  const wi = p.wi;
  for (; h >= 2 && h >= hMin; h >>>= 2) {
    if (h === 2) {
      // Last radix-4 sweep: twiddles 1, 1, −i and 1, no table loads.
      for (let i0 = lo; i0 < hi; i0 += 4) {
        const a0r = re[i0], a0i = im[i0];
        const a1r = re[i0 + 1], a1i = im[i0 + 1];
        const a2r = re[i0 + 2], a2i = im[i0 + 2];
        const a3r = re[i0 + 3], a3i = im[i0 + 3];
        const s02r = a0r + a2r, s02i = a0i + a2i;
        const t2r = a0r - a2r, t2i = a0i - a2i;
        const s13r = a1r + a3r, s13i = a1i + a3i;
        const t3r = a1i - a3i, t3i = a3r - a1r;
        re[i0] = s02r + s13r;
        im[i0] = s02i + s13i;
        re[i0 + 1] = s02r - s13r;
        im[i0 + 1] = s02i - s13i;
        re[i0 + 2] = t2r + t3r;
        im[i0 + 2] = t2i + t3i;
        re[i0 + 3] = t2r - t3r;
        im[i0 + 3] = t2i - t3i;
      }
      continue;
    }
    const q = h >>> 1;
    for (let i = lo; i < hi; i += 2 * h) {
      for (let k = 0; k < q; k++) {
        const i0 = i + k;
        const i1 = i0 + q;
        const i2 = i0 + h;
        const i3 = i2 + q;
        const a0r = re[i0], a0i = im[i0];
        const a1r = re[i1], a1i = im[i1];
        const a2r = re[i2], a2i = im[i2];
        const a3r = re[i3], a3i = im[i3];
        // stage h: (i0,i2) with w_h^k, (i1,i3) with w_h^{k+q}
        const s02r = a0r + a2r, s02i = a0i + a2i;
        const d02r = a0r - a2r, d02i = a0i - a2i;
        const s13r = a1r + a3r, s13i = a1i + a3i;
        const d13r = a1r - a3r, d13i = a1i - a3i;
        const w2r = wr[h + k], w2i = wi[h + k];
        const w3r = wr[h + k + q], w3i = wi[h + k + q];
        const t2r = d02r * w2r - d02i * w2i, t2i = d02r * w2i + d02i * w2r;
        const t3r = d13r * w3r - d13i * w3i, t3i = d13r * w3i + d13i * w3r;
        // stage q: (i0,i1) and (i2,i3) with w_q^k
        const wr1 = wr[q + k], wi1 = wi[q + k];
        re[i0] = s02r + s13r;
        im[i0] = s02i + s13i;
        const e0r = s02r - s13r, e0i = s02i - s13i;
        re[i1] = e0r * wr1 - e0i * wi1;
        im[i1] = e0r * wi1 + e0i * wr1;
        re[i2] = t2r + t3r;
        im[i2] = t2i + t3i;
        const e2r = t2r - t3r, e2i = t2i - t3i;
        re[i3] = e2r * wr1 - e2i * wi1;
        im[i3] = e2r * wi1 + e2i * wr1;
      }
    }
  }
  if (h === 1 && hMin <= 1) {
    for (let i = lo; i < hi; i += 2) {
      const ar = re[i], ai = im[i], br = re[i + 1], bi = im[i + 1];
      re[i] = ar + br;
      im[i] = ai + bi;
      re[i + 1] = ar - br;
      im[i + 1] = ai - bi;
    }
  }
}

/** Inverse DIT (conjugate twiddles), bit-reversed in, natural out, unscaled. */
function fftInverse(re: Float64Array, im: Float64Array, p: FftPlan): void {
  const K = p.K;
  const wr = p.wr;
  const wi = p.wi;
  // Radix-4 stages cover the largest power of 4 dividing K; an odd log2 K leaves one radix-2 stage at h = K/2.
  const len = (Math.log2(K) & 1) === 0 ? K : K >>> 1;
  for (let b = 0; b < K; b += len) inverseRange(re, im, p, b, len);
  const h = len;
  if (2 * h === K) {
    for (let k = 0; k < h; k++) {
      const w1r = wr[h + k], w1i = -wi[h + k];
      const br = re[k + h], bi = im[k + h];
      const vr = br * w1r - bi * w1i, vi = br * w1i + bi * w1r;
      const ar = re[k], ai = im[k];
      re[k] = ar + vr;
      im[k] = ai + vi;
      re[k + h] = ar - vr;
      im[k + h] = ai - vi;
    }
  }
}

/** DIT on [lo, lo + len), len a power of 4: the four quarters depth first, then the top radix-4 sweep. */
function inverseRange(re: Float64Array, im: Float64Array, p: FftPlan, lo: number, len: number): void {
  if (len <= BLOCK) {
    inverseStages(re, im, p, lo, lo + len, 1, len);
    return;
  }
  const q = len >>> 2;
  for (let b = lo; b < lo + len; b += q) inverseRange(re, im, p, b, q);
  inverseStages(re, im, p, lo, lo + len, q, len);
}

/** Radix-4 DIT stages h, 4h, … while 4h ≤ limit, on [lo, hi); returns the next h. */
function inverseStages(re: Float64Array, im: Float64Array, p: FftPlan, lo: number, hi: number, h: number, limit: number): number {
  const wr = p.wr;
  const wi = p.wi;
  for (; 4 * h <= limit; h <<= 2) {
    if (h === 1) {
      // First radix-4 sweep: twiddles 1, 1, +i, no table loads.
      for (let i0 = lo; i0 < hi; i0 += 4) {
        const a0r = re[i0], a0i = im[i0];
        const v1r = re[i0 + 1], v1i = im[i0 + 1];
        const a2r = re[i0 + 2], a2i = im[i0 + 2];
        const v3r = re[i0 + 3], v3i = im[i0 + 3];
        const c0r = a0r + v1r, c0i = a0i + v1i;
        const c1r = a0r - v1r, c1i = a0i - v1i;
        const c2r = a2r + v3r, c2i = a2i + v3i;
        const c3r = a2r - v3r, c3i = a2i - v3i;
        // x3 = c3·i
        const x3r = -c3i, x3i = c3r;
        re[i0] = c0r + c2r;
        im[i0] = c0i + c2i;
        re[i0 + 2] = c0r - c2r;
        im[i0 + 2] = c0i - c2i;
        re[i0 + 1] = c1r + x3r;
        im[i0 + 1] = c1i + x3i;
        re[i0 + 3] = c1r - x3r;
        im[i0 + 3] = c1i - x3i;
      }
      continue;
    }
    for (let i = lo; i < hi; i += 4 * h) {
      for (let k = 0; k < h; k++) {
        const i0 = i + k;
        const i1 = i0 + h;
        const i2 = i0 + 2 * h;
        const i3 = i2 + h;
        // stage h: (i0,i1), (i2,i3) with conj(w_h^k)
        const w1r = wr[h + k], w1i = -wi[h + k];
        const b1r = re[i1], b1i = im[i1];
        const v1r = b1r * w1r - b1i * w1i, v1i = b1r * w1i + b1i * w1r;
        const b3r = re[i3], b3i = im[i3];
        const v3r = b3r * w1r - b3i * w1i, v3i = b3r * w1i + b3i * w1r;
        const a0r = re[i0], a0i = im[i0];
        const a2r = re[i2], a2i = im[i2];
        const c0r = a0r + v1r, c0i = a0i + v1i;
        const c1r = a0r - v1r, c1i = a0i - v1i;
        const c2r = a2r + v3r, c2i = a2i + v3i;
        const c3r = a2r - v3r, c3i = a2i - v3i;
        // stage 2h: (i0,i2) with conj(w_{2h}^k), (i1,i3) with conj(w_{2h}^{k+h})
        const u2r = wr[2 * h + k], u2i = -wi[2 * h + k];
        const u3r = wr[3 * h + k], u3i = -wi[3 * h + k];
        const x2r = c2r * u2r - c2i * u2i, x2i = c2r * u2i + c2i * u2r;
        const x3r = c3r * u3r - c3i * u3i, x3i = c3r * u3i + c3i * u3r;
        re[i0] = c0r + x2r;
        im[i0] = c0i + x2i;
        re[i2] = c0r - x2r;
        im[i2] = c0i - x2i;
        re[i1] = c1r + x3r;
        im[i1] = c1i + x3i;
        re[i3] = c1r - x3r;
        im[i3] = c1i - x3i;
      }
    }
  }
  return h;
}

/** Largest supported folded length: outputs stay exact in doubles with wide margin up to here. */
export const FFT_MAX_K = 2 ** 24;

/** Fold `bits` (0/1 per byte) into weighted complex form of length K. */
function load(bits: Uint8Array, p: FftPlan, re: Float64Array, im: Float64Array): void {
  const K = p.K;
  const cr = p.cr;
  const ci = p.ci;
  const len = bits.length;
  // Real part a = bits[j], imaginary part b = bits[j + K]; (a + ib)(cr + i·ci), split so the loops are branch-free.
  const both = Math.max(0, Math.min(K, len - K));
  const onlyA = Math.min(K, len);
  for (let j = 0; j < both; j++) {
    const a = bits[j];
    const b = bits[j + K];
    re[j] = a * cr[j] - b * ci[j];
    im[j] = a * ci[j] + b * cr[j];
  }
  for (let j = both; j < onlyA; j++) {
    const a = bits[j];
    re[j] = a * cr[j];
    im[j] = a * ci[j];
  }
  // Beyond onlyA the fresh arrays are already zero.
}

/**
 * The m output bits of the Toeplitz hash via the float FFT, or null when the folded length exceeds FFT_MAX_K or
 * some used coefficient is not within `maxError` of an integer (then the caller must use the exact path).
 */
export function toeplitzHashFft(x: Uint8Array, seed: Uint8Array, m: number, maxError = 0.25): Uint8Array | null {
  const n = x.length;
  const total = n + m - 1;
  let K = 1;
  while (2 * K < total) K *= 2;
  if (K > FFT_MAX_K) return null;
  if (K < 4) K = 4;
  const p = fftPlan(K);
  const ar = new Float64Array(K);
  const ai = new Float64Array(K);
  const br = new Float64Array(K);
  const bi = new Float64Array(K);
  load(seed, p, ar, ai);
  load(x, p, br, bi);
  fftForward(ar, ai, p);
  fftForward(br, bi, p);
  const inv = 1 / K;
  for (let j = 0; j < K; j++) {
    const xr = ar[j], xi = ai[j], yr = br[j], yi = bi[j];
    ar[j] = (xr * yr - xi * yi) * inv;
    ai[j] = (xr * yi + xi * yr) * inv;
  }
  fftInverse(ar, ai, p);
  const cr = p.cr;
  const ci = p.ci;
  const y = new Uint8Array(m);
  let err = 0;
  // r_j = Re(c_j·ω^{-j}), r_{j+K} = Im(c_j·ω^{-j}); outputs are r_{i+n−1}, i < m.
  const lo = n - 1;
  const hi = n - 1 + m;
  const j0 = lo < K ? lo : K;
  const j1 = hi < K ? hi : K;
  for (let j = j0; j < j1; j++) {
    const v = ar[j] * cr[j] + ai[j] * ci[j];
    const r = Math.round(v);
    const e = Math.abs(v - r);
    if (e > err) err = e;
    y[j - lo] = r & 1;
  }
  const k0 = lo > K ? lo - K : 0;
  const k1 = hi - K;
  for (let j = k0; j < k1; j++) {
    const v = ai[j] * cr[j] - ar[j] * ci[j];
    const r = Math.round(v);
    const e = Math.abs(v - r);
    if (e > err) err = e;
    y[j + K - lo] = r & 1;
  }
  if (!(err < maxError)) return null;
  return y;
}
