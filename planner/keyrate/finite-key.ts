/**
 * The finite-key secret length of efficient decoy-state BB84 with three intensities (μ1 > μ2 > μ3, vacuum last),
 * after Lim et al., PRA 89, 022307 (2014), with multiplicative Chernoff bounds on the decoy estimates as in
 * Sidhu et al., npj Quantum Inf. 8, 18 (2022). Derivation and notation: docs/finite-key.md.
 *
 * One estimator for two callers: the planner passes EXPECTED counts (planner/keyrate/expected-counts.ts), the
 * ground station's post-processing passes OBSERVED counts and its measured reconciliation leakage.
 */
import { countInterval, type BoundKind } from './bounds.ts';
import { binaryEntropy, normalQuantile } from './math.ts';
import type { BasisIntensityCounts, DecoyProtocolParams, FiniteKeyDetails, FiniteKeyResult } from './types.ts';

export interface FiniteKeyOptions {
  /** λ_EC actually disclosed by reconciliation; when absent, max(f_EC·n·h(Q), finite-size bound) is used. */
  leakageBits?: number;
  /** Concentration bound for the decoy estimates; Chernoff (default) or Lim's Hoeffding. */
  bound?: BoundKind;
}

type Triple = [number, number, number];

/** τ_n = Σ_k p_k e^{−μ_k} μ_k^n / n!: probability that a pulse holds n photons. */
function tau(n: 0 | 1, mu: Triple, p: Triple): number {
  let t = 0;
  for (let k = 0; k < 3; k++) t += p[k] * Math.exp(-mu[k]) * (n === 0 ? 1 : mu[k]);
  return t;
}

/** Bounds n^±_k = e^{μ_k}/p_k · (interval of n_k) on the counts had every pulse used intensity k. */
function scaledIntervals(counts: Triple, mu: Triple, p: Triple, bound: BoundKind, eps: number): { lo: Triple; hi: Triple } {
  const total = counts[0] + counts[1] + counts[2];
  const lo: Triple = [0, 0, 0];
  const hi: Triple = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    const iv = countInterval(bound, counts[k], total, eps);
    const f = Math.exp(mu[k]) / p[k];
    lo[k] = f * iv.lower;
    hi[k] = f * iv.upper;
  }
  return { lo, hi };
}

/** Lower bounds on vacuum (s0) and single-photon (s1) events of one basis (Lim 2014, eqs. 2–3). */
function vacuumAndSinglePhoton(n: Triple, mu: Triple, p: Triple, bound: BoundKind, eps: number): { s0: number; s1: number } {
  const [m1, m2, m3] = mu;
  const { lo, hi } = scaledIntervals(n, mu, p, bound, eps);
  const t0 = tau(0, mu, p);
  const t1 = tau(1, mu, p);
  const s0Bound = Math.max(0, (t0 * (m2 * lo[2] - m3 * hi[1])) / (m2 - m3));
  const s1Num = lo[1] - hi[2] - ((m2 * m2 - m3 * m3) / (m1 * m1)) * (hi[0] - s0Bound / t0);
  const s1Bound = Math.max(0, (t1 * m1 * s1Num) / (m1 * (m2 - m3) - m2 * m2 + m3 * m3));
  // Vacuum and single-photon events are detections of this basis, so s0 + s1 ≤ n. Statistics that do not fit the
  // photon-number model (an eavesdropper, a faulty source, or chance) can push the bounds above that; capping them
  // keeps valid lower bounds (min(bound, limit) ≤ bound ≤ truth) and keeps ℓ from exceeding the sifted key.
  const total = n[0] + n[1] + n[2];
  const s0 = Math.min(s0Bound, total);
  const s1 = Math.min(s1Bound, total - s0);
  return { s0, s1 };
}

/**
 * γ(a, b, c, d) of Lim et al. (2014), eq. 5: the random-sampling correction from the Z-basis phase error b
 * (c single-photon events) to the X basis (d single-photon events), failing with probability a.
 */
export function samplingCorrection(a: number, b: number, c: number, d: number): number {
  const bb = Math.min(Math.max(b, 1e-15), 0.5);
  const v = ((c + d) * (1 - bb) * bb) / (c * d * Math.LN2);
  const logArg = ((c + d) / (c * d * (1 - bb) * bb)) * ((21 * 21) / (a * a));
  if (!(logArg > 1)) return 0;
  return Math.sqrt(v * Math.log2(logArg));
}

/**
 * Finite-size leakage of one-way reconciliation at block length n and QBER q, to second order (Tomamichel et al.,
 * "Fundamental finite key limits for one-way information reconciliation in QKD", QIP 16, 280 (2017)):
 * n·h(q) + √(n·q(1−q))·log2((1−q)/q)·Φ⁻¹(1−ε_cor), with Φ⁻¹(1−ε) = −Φ⁻¹(ε) evaluated in the tail where it is accurate. The −½·log2 n term is dropped (conservative).
 */
export function finiteSizeLeakageBits(n: number, q: number, epsilonCor: number): number {
  if (!(n > 0) || !(q > 0) || q >= 0.5) return n * binaryEntropy(q);
  return n * binaryEntropy(q) + Math.sqrt(n * q * (1 - q)) * Math.log2((1 - q) / q) * -normalQuantile(epsilonCor);
}

function assertCounts(c: BasisIntensityCounts): void {
  for (const key of ['nX', 'mX', 'nZ', 'mZ'] as const) {
    for (const v of c[key]) if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`finiteKeyLength: ${key} must be finite and ≥ 0, got ${v}`);
  }
  for (let k = 0; k < 3; k++) {
    if (c.mX[k] > c.nX[k] || c.mZ[k] > c.nZ[k]) throw new RangeError(`finiteKeyLength: errors exceed detections at intensity ${k}`);
  }
}

/** The full analysis with its intermediate bounds. */
export function finiteKeyAnalysis(counts: BasisIntensityCounts, params: DecoyProtocolParams, opts: FiniteKeyOptions = {}): FiniteKeyDetails {
  assertCounts(counts);
  const mu = params.intensities;
  const p = params.intensityProbabilities;
  if (!(mu[0] > mu[1] + mu[2] && mu[1] > mu[2] && mu[2] >= 0)) throw new RangeError('finiteKeyLength: need μ1 > μ2 + μ3 and μ2 > μ3 ≥ 0');
  const bound = opts.bound ?? 'chernoff';
  const eps1 = params.epsilonSec / 21;
  const securityCostBits = 6 * Math.log2(21 / params.epsilonSec) + Math.log2(2 / params.epsilonCor);

  const nX = counts.nX[0] + counts.nX[1] + counts.nX[2];
  const mX = counts.mX[0] + counts.mX[1] + counts.mX[2];
  const qber = nX > 0 ? mX / nX : 0;

  const x = vacuumAndSinglePhoton(counts.nX, mu, p, bound, eps1);
  const z = vacuumAndSinglePhoton(counts.nZ, mu, p, bound, eps1);
  const { lo: mLo, hi: mHi } = scaledIntervals(counts.mZ, mu, p, bound, eps1);
  const vZ1 = Math.max(0, (tau(1, mu, p) * (mHi[1] - mLo[2])) / (mu[1] - mu[2]));

  const leak = opts.leakageBits ?? Math.max(params.errorCorrectionEfficiency * nX * binaryEntropy(qber), finiteSizeLeakageBits(nX, qber, params.epsilonCor));

  let phase = 0.5;
  let reason: string | undefined;
  if (z.s1 <= 0) reason = 'no single-photon events can be certified in the test (Z) basis';
  else if (x.s1 <= 0) reason = 'no single-photon events can be certified in the key (X) basis';
  else {
    const ratio = vZ1 / z.s1;
    phase = ratio >= 0.5 ? 0.5 : Math.min(0.5, ratio + samplingCorrection(params.epsilonSec, ratio, z.s1, x.s1));
    if (phase >= 0.5) reason = 'phase-error bound reaches 1/2';
  }
  // With φ = 1/2 the single photons give no key: the raw value then still rewards more vacuum events and less
  // leakage, so an optimiser sees a slope instead of a plateau at zero.
  const raw = x.s0 + x.s1 * (1 - binaryEntropy(phase)) - leak - securityCostBits;
  const secretKeyBits = Math.max(0, Math.floor(raw));
  if (secretKeyBits === 0 && !reason) reason = 'finite-size costs exceed the extractable entropy';
  if (nX === 0) reason = 'no detections in the key (X) basis';

  return {
    secretKeyBits,
    siftedKeyBits: nX,
    qber,
    vacuumEvents: x.s0,
    singlePhotonEvents: x.s1,
    phaseErrorRate: phase,
    errorCorrectionLeakageBits: leak,
    ...(secretKeyBits === 0 ? { reason } : {}),
    rawSecretKeyBits: raw,
    vacuumEventsZ: z.s0,
    singlePhotonEventsZ: z.s1,
    singlePhotonErrorsZ: vZ1,
    securityCostBits,
  };
}

/**
 * ℓ = ⌊s_X,0 + s_X,1 (1 − h(φ_X)) − λ_EC − 6 log2(21/ε_sec) − log2(2/ε_cor)⌋, clamped at 0.
 * Throws RangeError only for programmer mistakes (negative counts, errors above detections, bad intensities);
 * validate files with `DecoyProtocolParamsSchema` first.
 */
export function finiteKeyLength(counts: BasisIntensityCounts, params: DecoyProtocolParams, opts?: FiniteKeyOptions): FiniteKeyResult {
  const d = finiteKeyAnalysis(counts, params, opts);
  return {
    secretKeyBits: d.secretKeyBits,
    siftedKeyBits: d.siftedKeyBits,
    qber: d.qber,
    vacuumEvents: d.vacuumEvents,
    singlePhotonEvents: d.singlePhotonEvents,
    phaseErrorRate: d.phaseErrorRate,
    errorCorrectionLeakageBits: d.errorCorrectionLeakageBits,
    ...(d.reason !== undefined ? { reason: d.reason } : {}),
  };
}
