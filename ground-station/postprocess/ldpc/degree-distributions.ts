/**
 * Variable-node degree distributions of the mother codes, one per rate. Each is the edge-perspective λ on three
 * degrees {2, 3, high}; check degrees are concentrated (every check has ⌊d̄c⌋ or ⌈d̄c⌉ edges), which is what
 * optimised BSC ensembles converge to (Richardson–Urbanke, Modern Coding Theory §3.17; Elkouss et al. 2009).
 *
 * Why this family instead of a published table: we had no optimised table at hand to copy exactly, and a wrong
 * coefficient would be worse than a simple family measured end to end. λ2 is set from the BSC stability condition
 * λ2·ρ'(1) < 1/B(p), B(p) = 2√(p(1−p)), at the QBER the code is meant for (rate R ↔ h(p) = (1−R)/1.1), with a
 * margin, and capped so that the degree-2 variables fit in one staircase (n2 ≤ m − 1, see matrix.ts) which keeps
 * them cycle-free. λ3 = 0.3 and degree 10 were picked by measuring frame error rates against f on 2^14-bit frames
 * (sum-product, 80 iterations; variants tried: λ3 0.2–0.6, high degree 6–20; none better at rates 0.8–0.9).
 * Measured thresholds (FER ≈ 20 % unpunctured): f ≈ 1.08 at rate 0.5, ≈ 1.15 at 0.65–0.7, ≈ 1.2 at 0.8–0.9. The
 * high-rate codes are the weak spot: a density-evolution-optimised λ would be the next step.
 */
import { binaryEntropy } from '../bitops.ts';

export interface DegreeDistribution {
  /** Code rate 1 − m/n. */
  rate: number;
  /** Variable degrees and their edge fractions λ_d (sum 1). */
  degrees: number[];
  edgeFractions: number[];
}

/** Inverse of the binary entropy on [0, 1/2] (bisection; called a handful of times). */
export function inverseBinaryEntropy(h: number): number {
  let lo = 0;
  let hi = 0.5;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (binaryEntropy(mid) < h) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Mean degree of a distribution given edge-perspective fractions: 1 / Σ λ_d / d. */
export function meanNodeDegree(degrees: number[], edgeFractions: number[]): number {
  let s = 0;
  for (let i = 0; i < degrees.length; i++) s += edgeFractions[i] / degrees[i];
  return 1 / s;
}

/** Tunables of the family (exported so the scan in tmpdbg can vary them). */
export interface FamilyParams {
  stabilityMargin: number;
  lambda3: number;
  highDegree: number;
}

export const DEFAULT_FAMILY: FamilyParams = { stabilityMargin: 0.85, lambda3: 0.3, highDegree: 10 };

export function degreeDistribution(rate: number, fam: FamilyParams = DEFAULT_FAMILY): DegreeDistribution {
  if (!(rate > 0 && rate < 1)) throw new Error(`ldpc: code rate ${rate} outside (0, 1)`);
  const pDesign = inverseBinaryEntropy((1 - rate) / 1.1);
  const invB = 1 / (2 * Math.sqrt(pDesign * (1 - pDesign)));
  const dh = fam.highDegree;
  const l3 = fam.lambda3;
  // ρ'(1) ≈ d̄c − 1 with d̄c = d̄v / (1 − R); d̄v depends on λ2, so iterate to a fixed point.
  let l2 = 0.3;
  for (let it = 0; it < 50; it++) {
    const dv = meanNodeDegree([2, 3, dh], [l2, l3, 1 - l2 - l3]);
    const dc = dv / (1 - rate);
    // staircase cap: node fraction of degree 2 = (λ2/2)·d̄v ≤ (1 − R)
    const capStair = ((1 - rate) * 2) / dv * 0.999;
    const next = Math.min((fam.stabilityMargin * invB) / (dc - 1), capStair, 1 - l3 - 0.05);
    if (Math.abs(next - l2) < 1e-9) break;
    l2 = next;
  }
  return { rate, degrees: [2, 3, dh], edgeFractions: [l2, l3, 1 - l2 - l3] };
}
