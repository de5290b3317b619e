/**
 * Deterministic pseudo-randomness for the PUBLIC parts of post-processing (Cascade shuffles, BICONF subsets,
 * sample choices). Both parties expand the same announced seed into the same sequence. Never used for secrets:
 * secret randomness (MAC keys, privacy-amplification seeds) comes from node:crypto or the shared key pool.
 */

/** xoshiro128** (Blackman & Vigna): 128-bit state, 32-bit outputs, fast in 32-bit integer arithmetic. */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: readonly [number, number, number, number]) {
    this.s0 = seed[0] | 0;
    this.s1 = seed[1] | 0;
    this.s2 = seed[2] | 0;
    this.s3 = seed[3] | 0;
    // An all-zero state is a fixed point of the generator.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 0x9e3779b9;
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r >>> 0;
  }

  /** Uniform integer in [0, bound), bound ≤ 2^32 (Lemire's multiply-shift; the bias is < bound/2^32). */
  below(bound: number): number {
    return Math.floor((this.nextU32() * bound) / 4294967296);
  }

  /** Uniform double in [0, 1). */
  nextFloat(): number {
    return this.nextU32() / 4294967296;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A 128-bit seed from any 32-bit integer (splitmix32-style expansion), for tests and derived sub-seeds. */
export function seedFrom(n: number): [number, number, number, number] {
  let z = n | 0;
  const out: number[] = [];
  for (let i = 0; i < 4; i++) {
    z = (z + 0x9e3779b9) | 0;
    let x = z;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    out.push((x ^ (x >>> 16)) >>> 0);
  }
  return out as [number, number, number, number];
}

/** A stateless 32-bit mix of (seed, counter): lets either party recompute any word of a public random mask. */
export function hash32(seed: number, counter: number): number {
  let x = (seed ^ Math.imul(counter, 0x9e3779b1)) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A uniformly random permutation of 0..n−1 (Fisher–Yates driven by the public seed): the definition of a Cascade
 * pass order. cascade-sender.ts runs the same swaps in two leaner, monomorphic loops (its hot path); tests check
 * those against this plain one, so the two stay separate on purpose.
 */
export function randomPermutation(n: number, seed: readonly [number, number, number, number]): Int32Array {
  // xoshiro128** inlined (same sequence as Xoshiro128.below).
  let s0 = seed[0] | 0;
  let s1 = seed[1] | 0;
  let s2 = seed[2] | 0;
  let s3 = seed[3] | 0;
  if ((s0 | s1 | s2 | s3) === 0) s0 = 0x9e3779b9;
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const x = Math.imul(s1, 5);
    const r = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const j = Math.floor((r * (i + 1)) / 4294967296);
    const tmp = p[i];
    p[i] = p[j];
    p[j] = tmp;
  }
  return p;
}
