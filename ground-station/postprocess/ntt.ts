/**
 * Number-theoretic transform over the prime p = 11·2^21 + 1 = 23 068 673 (generator 3), for exact convolutions
 * of bit strings. p < 2^25 keeps every product below 2^50, exact in a double, so a modular product is one
 * multiply, one floor and one fused correction — no BigInt, no 16-bit splitting. The largest transform is 2^21;
 * convolution sums stay exact as long as they are below p (callers ensure it: a sum of n ≤ p−1 bits).
 * Forward is decimation-in-frequency (natural in, bit-reversed out) and inverse decimation-in-time
 * (bit-reversed in, natural out): pointwise products do not care about order, so no bit reversal is ever done.
 */

export const NTT_PRIME = 23068673;
export const NTT_MAX_LOG2 = 21;
const GENERATOR = 3;
const PINV = 1 / NTT_PRIME;

export function mulMod(a: number, b: number): number {
  const x = a * b;
  let r = x - Math.floor(x * PINV) * NTT_PRIME;
  if (r < 0) r += NTT_PRIME;
  else if (r >= NTT_PRIME) r -= NTT_PRIME;
  return r;
}

export function powMod(a: number, e: number): number {
  let r = 1;
  let b = a % NTT_PRIME;
  while (e > 0) {
    if (e & 1) r = mulMod(r, b);
    b = mulMod(b, b);
    e = Math.floor(e / 2);
  }
  return r;
}

interface Plan {
  n: number;
  /** tw[half + k] = ω_{2·half}^k for each stage; itw the inverse roots. */
  tw: Float64Array;
  itw: Float64Array;
  nInv: number;
}

const plans = new Map<number, Plan>();

export function nttPlan(n: number): Plan {
  let p = plans.get(n);
  if (p) return p;
  if (n < 2 || (n & (n - 1)) !== 0 || n > 2 ** NTT_MAX_LOG2) throw new RangeError(`NTT length ${n} must be a power of two ≤ 2^${NTT_MAX_LOG2}`);
  const tw = new Float64Array(n);
  const itw = new Float64Array(n);
  for (let half = 1; half < n; half <<= 1) {
    const w = powMod(GENERATOR, (NTT_PRIME - 1) / (2 * half));
    const wi = powMod(w, NTT_PRIME - 2);
    tw[half] = 1;
    itw[half] = 1;
    for (let k = 1; k < half; k++) {
      tw[half + k] = mulMod(tw[half + k - 1], w);
      itw[half + k] = mulMod(itw[half + k - 1], wi);
    }
  }
  p = { n, tw, itw, nInv: powMod(n, NTT_PRIME - 2) };
  plans.set(n, p);
  return p;
}

/** In place: natural order in, bit-reversed order out. Values must be in [0, p). Two radix-2 stages are fused
 * per sweep (radix 4), which halves the passes over a 16 MB array — the transform is memory-bound. */
export function nttForward(a: Float64Array, plan: Plan): void {
  const n = plan.n;
  const tw = plan.tw;
  const P = NTT_PRIME;
  let half = n >>> 1;
  for (; half >= 2; half >>>= 2) {
    const q = half >>> 1;
    for (let i = 0; i < n; i += 2 * half) {
      for (let k = 0; k < q; k++) {
        const i0 = i + k;
        const i1 = i0 + q;
        const i2 = i0 + half;
        const i3 = i2 + q;
        const a0 = a[i0];
        const a1 = a[i1];
        const a2 = a[i2];
        const a3 = a[i3];
        let s02 = a0 + a2;
        if (s02 >= P) s02 -= P;
        let d02 = a0 - a2;
        if (d02 < 0) d02 += P;
        let s13 = a1 + a3;
        if (s13 >= P) s13 -= P;
        let d13 = a1 - a3;
        if (d13 < 0) d13 += P;
        let x = d02 * tw[half + k];
        let t2 = x - Math.floor(x * PINV) * P;
        if (t2 < 0) t2 += P;
        else if (t2 >= P) t2 -= P;
        x = d13 * tw[half + k + q];
        let t3 = x - Math.floor(x * PINV) * P;
        if (t3 < 0) t3 += P;
        else if (t3 >= P) t3 -= P;
        const w = tw[q + k];
        let y0 = s02 + s13;
        if (y0 >= P) y0 -= P;
        let e0 = s02 - s13;
        if (e0 < 0) e0 += P;
        x = e0 * w;
        let y1 = x - Math.floor(x * PINV) * P;
        if (y1 < 0) y1 += P;
        else if (y1 >= P) y1 -= P;
        let y2 = t2 + t3;
        if (y2 >= P) y2 -= P;
        let e2 = t2 - t3;
        if (e2 < 0) e2 += P;
        x = e2 * w;
        let y3 = x - Math.floor(x * PINV) * P;
        if (y3 < 0) y3 += P;
        else if (y3 >= P) y3 -= P;
        a[i0] = y0;
        a[i1] = y1;
        a[i2] = y2;
        a[i3] = y3;
      }
    }
  }
  if (half === 1) {
    for (let i = 0; i < n; i += 2) {
      const u = a[i];
      const v = a[i + 1];
      let s2 = u + v;
      if (s2 >= P) s2 -= P;
      let d = u - v;
      if (d < 0) d += P;
      a[i] = s2;
      a[i + 1] = d;
    }
  }
}

/** In place: bit-reversed order in, natural order out, scaled by 1/n (radix 4 as the forward transform).
 * `scaled: false` skips the 1/n pass when the caller already folded it into a pointwise product. */
export function nttInverse(a: Float64Array, plan: Plan, scaled = true): void {
  const n = plan.n;
  const tw = plan.itw;
  const P = NTT_PRIME;
  let h = 1;
  for (; 4 * h <= n; h <<= 2) {
    for (let i = 0; i < n; i += 4 * h) {
      for (let k = 0; k < h; k++) {
        const i0 = i + k;
        const i1 = i0 + h;
        const i2 = i0 + 2 * h;
        const i3 = i2 + h;
        const w1 = tw[h + k];
        let x = a[i1] * w1;
        let v1 = x - Math.floor(x * PINV) * P;
        if (v1 < 0) v1 += P;
        else if (v1 >= P) v1 -= P;
        x = a[i3] * w1;
        let v3 = x - Math.floor(x * PINV) * P;
        if (v3 < 0) v3 += P;
        else if (v3 >= P) v3 -= P;
        const a0 = a[i0];
        const a2 = a[i2];
        let b0 = a0 + v1;
        if (b0 >= P) b0 -= P;
        let b1 = a0 - v1;
        if (b1 < 0) b1 += P;
        let b2 = a2 + v3;
        if (b2 >= P) b2 -= P;
        let b3 = a2 - v3;
        if (b3 < 0) b3 += P;
        x = b2 * tw[2 * h + k];
        let v = x - Math.floor(x * PINV) * P;
        if (v < 0) v += P;
        else if (v >= P) v -= P;
        x = b3 * tw[3 * h + k];
        let vv = x - Math.floor(x * PINV) * P;
        if (vv < 0) vv += P;
        else if (vv >= P) vv -= P;
        let c0 = b0 + v;
        if (c0 >= P) c0 -= P;
        let c2 = b0 - v;
        if (c2 < 0) c2 += P;
        let c1 = b1 + vv;
        if (c1 >= P) c1 -= P;
        let c3 = b1 - vv;
        if (c3 < 0) c3 += P;
        a[i0] = c0;
        a[i1] = c1;
        a[i2] = c2;
        a[i3] = c3;
      }
    }
  }
  if (2 * h === n) {
    for (let k = 0; k < h; k++) {
      const u = a[k];
      const x = a[k + h] * tw[h + k];
      let v = x - Math.floor(x * PINV) * P;
      if (v < 0) v += P;
      else if (v >= P) v -= P;
      let s2 = u + v;
      if (s2 >= P) s2 -= P;
      let d = u - v;
      if (d < 0) d += P;
      a[k] = s2;
      a[k + h] = d;
    }
  }
  if (!scaled) return;
  const ni = plan.nInv;
  for (let i = 0; i < n; i++) a[i] = mulMod(a[i], ni);
}

/** Pointwise product x ← x·y·c (mod p); c = 1/n folds the inverse transform's scaling into this pass. */
export function mulInPlace(x: Float64Array, y: Float64Array, c = 1): void {
  const P = NTT_PRIME;
  for (let i = 0; i < x.length; i++) {
    const t = x[i] * y[i];
    let r = t - Math.floor(t * PINV) * P;
    if (r < 0) r += P;
    else if (r >= P) r -= P;
    if (c !== 1) {
      const u = r * c;
      r = u - Math.floor(u * PINV) * P;
      if (r < 0) r += P;
      else if (r >= P) r -= P;
    }
    x[i] = r;
  }
}

/** Pointwise product acc += x·y (mod p), in place in acc. */
export function mulAccumulate(acc: Float64Array, x: Float64Array, y: Float64Array): void {
  const P = NTT_PRIME;
  for (let i = 0; i < acc.length; i++) {
    const t = x[i] * y[i];
    let r = t - Math.floor(t * PINV) * P;
    if (r < 0) r += P;
    else if (r >= P) r -= P;
    r += acc[i];
    acc[i] = r >= P ? r - P : r;
  }
}
