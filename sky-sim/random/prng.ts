/**
 * A small seeded PRNG with the samplers sky-sim needs. xoshiro128** (Blackman & Vigna 2018) on 32-bit integer
 * arithmetic: JavaScript has fast 32-bit ops and no fast 64-bit ones, and a period of 2^128 − 1 is far more than
 * a pass needs. Seeds are expanded with splitmix32 so that nearby seeds (1, 2, 3…) give unrelated streams.
 *
 * Every sampler consumes a variable number of uniforms; components that must not disturb each other's streams
 * (mount noise, scintillation, detections) each get their own generator via `fork(label)`.
 */

/** splitmix32: a one-step 32-bit mixer, used to expand seeds and to hash labels into stream ids. */
export function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over a string: turns a stream label into a 32-bit salt. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const TWO_POW_32 = 4294967296;

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  /** `seed` is any finite number (its integer part and the 2^32 above it are used); `salt` picks a sub-stream. */
  constructor(seed: number, salt = 0) {
    if (!Number.isFinite(seed)) throw new Error(`Rng seed must be finite, got ${seed}`);
    const lo = Math.trunc(seed) >>> 0;
    const hi = Math.trunc(seed / TWO_POW_32) >>> 0;
    let x = splitmix32(lo ^ splitmix32(hi ^ salt));
    this.s0 = x = splitmix32(x);
    this.s1 = x = splitmix32(x);
    this.s2 = x = splitmix32(x);
    this.s3 = x = splitmix32(x);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
    this.seedLo = lo;
    this.seedHi = hi;
  }

  private readonly seedLo: number;
  private readonly seedHi: number;

  /** An independent generator for one component, determined by this generator's seed and the label only. */
  fork(label: string): Rng {
    return new Rng(this.seedHi * TWO_POW_32 + this.seedLo, hashLabel(label));
  }

  /** Next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 = s2 ^ s0;
    this.s3 = s3 ^ s1;
    this.s1 = s1 ^ this.s2;
    this.s0 = s0 ^ this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** Uniform in [0, 1) with 32 bits of resolution (ample for probabilities ≥ 1e-9 used here). */
  uniform(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform in (0, 1): safe under a logarithm. */
  uniformOpen(): number {
    return (this.nextUint32() + 0.5) / TWO_POW_32;
  }

  /** Integer uniform in [0, n) for n ≤ 2^53 (two draws when n exceeds 2^32). */
  integer(n: number): number {
    if (n <= TWO_POW_32) return Math.floor(this.uniform() * n);
    return Math.floor((this.nextUint32() * TWO_POW_32 + this.nextUint32()) / (TWO_POW_32 * TWO_POW_32) * n);
  }

  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** Standard normal by the polar Box–Muller method (keeps the spare). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  exponential(mean: number): number {
    return -mean * Math.log(this.uniformOpen());
  }

  /** Poisson(λ): inversion below λ = 10, Hörmann's PTRS transformed rejection above (O(1) for any λ). */
  poisson(lambda: number): number {
    if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new Error(`poisson mean must be finite and ≥ 0, got ${lambda}`);
    if (lambda === 0) return 0;
    if (lambda < 10) {
      // Inversion by sequential search: expected λ + 1 steps.
      let k = 0;
      let p = Math.exp(-lambda);
      let cdf = p;
      const u = this.uniform();
      while (u > cdf && k < 1000) {
        k++;
        p *= lambda / k;
        cdf += p;
      }
      return k;
    }
    const slam = Math.sqrt(lambda);
    const logLam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.uniform() - 0.5;
      const v = this.uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lambda + k * logLam - logFactorial(k)) return k;
    }
  }

  /** Binomial(n, p): exact for every n, p. Inversion when n·min(p,1−p) < 10, Hörmann's BTRS otherwise. */
  binomial(n: number, p: number): number {
    if (!(p >= 0 && p <= 1) || !(n >= 0) || !Number.isInteger(n)) throw new Error(`binomial needs integer n ≥ 0 and p in [0,1], got n=${n} p=${p}`);
    if (n === 0 || p === 0) return 0;
    if (p === 1) return n;
    if (p > 0.5) return n - this.binomial(n, 1 - p);
    if (n * p < 10) return this.binomialInversion(n, p);
    return this.binomialBtrs(n, p);
  }

  private binomialInversion(n: number, p: number): number {
    // Sequential search over the pmf; q^n is exact enough because n·p < 10 keeps it above e^-10·(1-p)^… > 0.
    const q = 1 - p;
    const ratio = p / q;
    let pmf = Math.exp(n * Math.log1p(-p));
    let cdf = pmf;
    const u = this.uniform();
    let k = 0;
    while (u > cdf && k < n) {
      pmf *= (ratio * (n - k)) / (k + 1);
      k++;
      cdf += pmf;
    }
    return k;
  }

  private binomialBtrs(n: number, p: number): number {
    const q = 1 - p;
    const spq = Math.sqrt(n * p * q);
    const b = 1.15 + 2.53 * spq;
    const a = -0.0873 + 0.0248 * b + 0.01 * p;
    const c = n * p + 0.5;
    const vr = 0.92 - 4.2 / b;
    const alpha = (2.83 + 5.1 / b) * spq;
    const lpq = Math.log(p / q);
    const m = Math.floor((n + 1) * p);
    const h = logFactorial(m) + logFactorial(n - m);
    for (;;) {
      const u = this.uniform() - 0.5;
      let v = this.uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + c);
      if (k < 0 || k > n) continue;
      if (us >= 0.07 && v <= vr) return k;
      v = Math.log((v * alpha) / (a / (us * us) + b));
      if (v <= h - logFactorial(k) - logFactorial(n - k) + (k - m) * lpq) return k;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const smallLogFactorials: number[] = [0];
for (let i = 1; i < 256; i++) smallLogFactorials[i] = smallLogFactorials[i - 1] + Math.log(i);

/** ln(k!) exactly from a table below 256, Stirling's series above (error < 1e-12 there). */
export function logFactorial(k: number): number {
  if (k < 256) return smallLogFactorials[k];
  const x = k + 1;
  const ix2 = 1 / (x * x);
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + (1 / 12 - ix2 * (1 / 360 - ix2 / 1260)) / x;
}
