/**
 * Rate adaptation (Elkouss, Martinez-Mateo, Martin 2011): a frame of the mother code (n symbols, m checks) carries
 * K key bits, p punctured symbols (random values only Alice knows) and s shortened symbols (values both know, from
 * a public hash), n = K + p + s. Alice sends the m-bit syndrome; since the p punctured columns are independent
 * (matrix.ts), p of those bits are spent on the punctured values and the key leaks m − p bits. The effective rate
 * is therefore R = 1 − (m − p)/K, and picking p and s sets it to 1 − f·h(QBER) without a new matrix.
 *
 * Everything here is public and recomputed by both parties from the plan the receiver announces.
 */
import { binaryEntropy } from '../bitops.ts';
import { hash32 } from '../prng.ts';
import { MOTHER_RATES, parityCheckMatrix, type ParityCheckMatrix } from './matrix.ts';

/** One frame as announced: which key bits, which mother code, how many punctured and shortened symbols. */
export interface LdpcFrameSpec {
  keyStart: number;
  keyLength: number;
  rate: number;
  punctured: number;
  shortened: number;
}

/** Everything Alice needs to compute the syndromes; plain data (it travels over the link). */
export interface LdpcPlan {
  /** Frame length of the mother codes. */
  n: number;
  matrixSeed: number;
  /** Seed of the shortened positions/values and the reveal order. */
  layoutSeed: number;
  /** Bits of Alice's per-frame confirmation hash (0 or 32). */
  confirmBits: number;
  frames: LdpcFrameSpec[];
}

/** Positions of one frame, derived from (matrix, spec, layoutSeed, frame index). */
export interface FrameLayout {
  /** Frame positions of the key bits, in key order (keyStart + i ↦ keyPos[i]). */
  keyPos: Int32Array;
  shortPos: Int32Array;
  /** Public values of the shortened symbols. */
  shortVal: Uint8Array;
  /** The order in which Alice reveals symbols after a failed decoding: punctured first (newest first), then key
   * positions in a public random order. */
  revealOrder: Int32Array;
  /** Positions kind: 0 key, 1 shortened, 2 punctured. */
  kind: Uint8Array;
}

export function frameLayout(h: ParityCheckMatrix, spec: LdpcFrameSpec, layoutSeed: number, frameIndex: number): FrameLayout {
  const { n } = h;
  const { punctured: p, shortened: s, keyLength: k } = spec;
  if (p + s + k !== n || p < 0 || s < 0 || p > h.punctureOrder.length) throw new Error(`ldpc: frame ${frameIndex} layout p=${p} s=${s} K=${k} does not fit n=${n}`);
  const kind = new Uint8Array(n);
  for (let i = 0; i < p; i++) kind[h.punctureOrder[i]] = 2;
  const rest = new Int32Array(n - p);
  let r = 0;
  for (let v = 0; v < n; v++) if (kind[v] === 0) rest[r++] = v;
  // Fisher–Yates on the non-punctured positions with a public stateless hash: the first s become shortened, the
  // rest (in this shuffled order) is the reveal order of key positions.
  const fs = (layoutSeed ^ Math.imul(frameIndex + 1, 0x27d4eb2f)) | 0;
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor((hash32(fs, i) * (i + 1)) / 4294967296);
    const t = rest[i];
    rest[i] = rest[j];
    rest[j] = t;
  }
  const shortPos = rest.slice(0, s);
  const shortVal = new Uint8Array(s);
  for (let i = 0; i < s; i++) {
    kind[shortPos[i]] = 1;
    shortVal[i] = hash32(fs ^ 0x5bd1e995, shortPos[i]) & 1;
  }
  const keyPos = new Int32Array(k);
  let q = 0;
  for (let v = 0; v < n; v++) if (kind[v] === 0) keyPos[q++] = v;
  const revealOrder = new Int32Array(p + k);
  for (let i = 0; i < p; i++) revealOrder[i] = h.punctureOrder[p - 1 - i];
  revealOrder.set(rest.subarray(s), p);
  return { keyPos, shortPos, shortVal, revealOrder, kind };
}

export interface PlanOptions {
  n: number;
  matrixSeed: number;
  layoutSeed: number;
  confirmBits: number;
  /** Fraction δ of each frame given to punctured + shortened symbols (the adaptation range). */
  delta: number;
  /** Efficiency the first syndrome aims at: leak m − p = ⌈f·h(q)·K⌉. Blind reveals raise it when needed. */
  startEfficiency: number;
}

/** Mother code, p and s for a frame of K key bits at QBER q; prefers p ≈ s (the middle of the adaptation range). */
export function chooseFrame(keyStart: number, k: number, qber: number, o: PlanOptions): LdpcFrameSpec {
  const q = Math.min(Math.max(qber, 1e-3), 0.2);
  const want = Math.ceil(o.startEfficiency * binaryEntropy(q) * k);
  let best: LdpcFrameSpec | null = null;
  let bestScore = Infinity;
  for (const rate of MOTHER_RATES) {
    const h = parityCheckMatrix(o.n, rate, o.matrixSeed);
    let p = h.m - want;
    if (p < 0) continue; // too few checks for this QBER
    p = Math.min(p, h.punctureOrder.length);
    const s = o.n - k - p;
    if (s < 0) continue;
    const excessLeak = h.m - p - want; // > 0 when the puncturing budget ran out
    const score = excessLeak * 1000 + Math.abs(p - (o.n - k) / 2);
    if (score < bestScore) {
      bestScore = score;
      best = { keyStart, keyLength: k, rate, punctured: p, shortened: s };
    }
  }
  if (!best) throw new Error(`ldpc: no mother code fits K=${k} at QBER ${qber} (n=${o.n})`);
  return best;
}

/** Cuts a key of `keyBits` into the fewest frames of at most n(1 − δ) key bits, all of nearly equal length (a
 * short last frame would pay at least m − p_max syndrome bits for a few key bits), and picks each frame's code. */
export function planFrames(keyBits: number, qber: number, o: PlanOptions): LdpcPlan {
  const kMax = Math.floor(o.n * (1 - o.delta));
  const count = Math.ceil(keyBits / kMax);
  const base = Math.floor(keyBits / count);
  const longer = keyBits - base * count;
  const frames: LdpcFrameSpec[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const k = base + (i < longer ? 1 : 0);
    frames.push(chooseFrame(start, k, qber, o));
    start += k;
  }
  return { n: o.n, matrixSeed: o.matrixSeed, layoutSeed: o.layoutSeed, confirmBits: o.confirmBits, frames };
}

/** Error-detection hash of a frame's key bits (not the security verification: that is the pipeline's ε_cor hash).
 * Catches the rare convergence to a wrong word that still satisfies the syndrome. */
export function frameHash32(bits: Uint8Array, keyStart: number, keyLength: number, seed: number): number {
  let hh = hash32(seed, keyLength);
  let w = 0;
  let i = 0;
  for (; i < keyLength; i++) {
    w = (w << 1) | bits[keyStart + i];
    if ((i & 31) === 31) {
      hh = hash32(hh ^ w, i);
      w = 0;
    }
  }
  return hash32(hh ^ w, i) >>> 0;
}
