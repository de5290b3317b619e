/**
 * Concentration bounds that turn an observed count into an interval for its expectation, each failing with
 * probability at most ε. The finite-key estimator uses one of them for every decoy estimate.
 *
 * - Hoeffding (Lim et al., PRA 89, 022307 (2014), eq. 2): ±√(n/2 · ln(1/ε)), where n is the whole basis' count
 *   (the bound is on how the intensities were assigned to the n detections).
 * - Multiplicative Chernoff (as in Sidhu et al., npj Quantum Inf. 8, 18 (2022), following Zhang et al.,
 *   PRA 95, 012333 (2017)): for an observed sum x of independent Bernoulli trials with mean μ, inverting
 *   P[X ≥ (1+δ)μ] ≤ e^{−δ²μ/(2+δ)} and P[X ≤ (1−δ)μ] ≤ e^{−δ²μ/2} with β = ln(1/ε) gives
 *     μ ≥ x + β/2 − √(2βx + β²/4)      and      μ ≤ x + β + √(2βx + β²).
 *   Much tighter than Hoeffding for small counts (decoy and vacuum counts of a satellite pass are small).
 */
export type BoundKind = 'chernoff' | 'hoeffding';

export interface CountInterval {
  lower: number;
  upper: number;
}

/** Chernoff interval for the mean of an observed count x ≥ 0. */
export function chernoffInterval(x: number, epsilon: number): CountInterval {
  const beta = Math.log(1 / epsilon);
  const lower = Math.max(0, x + beta / 2 - Math.sqrt(2 * beta * x + (beta * beta) / 4));
  const upper = x + beta + Math.sqrt(2 * beta * x + beta * beta);
  return { lower, upper };
}

/** Hoeffding half-width δ(n, ε) = √(n/2 · ln(1/ε)) of Lim et al. (2014). */
export function hoeffdingDelta(n: number, epsilon: number): number {
  return Math.sqrt((n / 2) * Math.log(1 / epsilon));
}

/**
 * Interval for the expectation of one intensity's count `x`, where `total` is the count summed over the
 * intensities of the same basis (Hoeffding needs it; Chernoff does not).
 */
export function countInterval(kind: BoundKind, x: number, total: number, epsilon: number): CountInterval {
  if (kind === 'chernoff') return chernoffInterval(x, epsilon);
  const d = hoeffdingDelta(total, epsilon);
  return { lower: Math.max(0, x - d), upper: x + d };
}
