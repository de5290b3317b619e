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

/** In place: natural order in, bit-reversed order out. Values must be in [0, p). */
export function nttForward(a: Float64Array, plan: Plan): void {
  const n = plan.n;
  const tw = plan.tw;
  const P = NTT_PRIME;
  for (let half = n >>> 1; half >= 1; half >>>= 1) {
    for (let i = 0; i < n; i += 2 * half) {
      for (let k = 0; k < half; k++) {
        const u = a[i + k];
        const v = a[i + k + half];
        let s = u + v;
        if (s >= P) s -= P;
        a[i + k] = s;
        let d = u - v;
        if (d < 0) d += P;
        const x = d * tw[half + k];
        let r = x - Math.floor(x * PINV) * P;
        if (r < 0) r += P;
        else if (r >= P) r -= P;
        a[i + k + half] = r;
      }
    }
  }
}

/** In place: bit-reversed order in, natural order out, scaled by 1/n. */
export function nttInverse(a: Float64Array, plan: Plan): void {
  const n = plan.n;
  const tw = plan.itw;
  const P = NTT_PRIME;
  for (let half = 1; half < n; half <<= 1) {
    for (let i = 0; i < n; i += 2 * half) {
      for (let k = 0; k < half; k++) {
        const u = a[i + k];
        const x = a[i + k + half] * tw[half + k];
        let v = x - Math.floor(x * PINV) * P;
        if (v < 0) v += P;
        else if (v >= P) v -= P;
        let s = u + v;
        if (s >= P) s -= P;
        a[i + k] = s;
        let d = u - v;
        if (d < 0) d += P;
        a[i + k + half] = d;
      }
    }
  }
  const ni = plan.nInv;
  for (let i = 0; i < n; i++) a[i] = mulMod(a[i], ni);
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
