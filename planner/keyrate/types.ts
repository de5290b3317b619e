/**
 * The contract of the finite-key model (issue: optical link budget and finite-key yield). The planner's yield
 * prediction and the ground station's post-processing both call `finiteKeyLength` (planner/keyrate/finite-key.ts)
 * with these types: the same estimator, not a copy.
 *
 * Convention (Lim et al., PRA 89, 022307, 2014): X basis carries the key, Z basis tests it; three intensities
 * μ1 > μ2 > μ3 (μ3 = vacuum or near it); index 0,1,2 below is μ1,μ2,μ3.
 */

/** Security and protocol parameters, the names of the `keyrate --params` JSON file. */
export interface DecoyProtocolParams {
  sourceRateHz: number;
  intensities: [number, number, number];
  intensityProbabilities: [number, number, number];
  /** Probability that the sender and receiver each choose X (the key basis). */
  keyBasisProbability: number;
  /** Dark + background count probability per detector gate (time slot). */
  extraneousCountProbability: number;
  afterpulseProbability: number;
  /** Misalignment error probability of a signal detection. */
  intrinsicQber: number;
  /** f_EC ≥ 1: leakage = f_EC · n · h(Q) (or the finite-size bound if larger). */
  errorCorrectionEfficiency: number;
  epsilonSec: number;
  epsilonCor: number;
}

/** Observed (or expected) detections and errors per basis and intensity, in one finite-key block. */
export interface BasisIntensityCounts {
  /** Sifted detections in the X basis per intensity. */
  nX: [number, number, number];
  /** Bit errors in the X basis per intensity (known after error correction; estimated by the planner). */
  mX: [number, number, number];
  /** Sifted detections in the Z basis per intensity. */
  nZ: [number, number, number];
  /** Bit errors in the Z basis per intensity (announced publicly). */
  mZ: [number, number, number];
}

export interface FiniteKeyResult {
  /** ℓ, the extractable secret length in bits (0 when no key can be extracted). */
  secretKeyBits: number;
  /** n_X, the sifted key-basis bits. */
  siftedKeyBits: number;
  /** QBER of the key basis. */
  qber: number;
  /** Lower bound on vacuum events in the X basis (s_X,0). */
  vacuumEvents: number;
  /** Lower bound on single-photon events in the X basis (s_X,1). */
  singlePhotonEvents: number;
  /** Upper bound on the single-photon phase-error rate (φ_X). */
  phaseErrorRate: number;
  /** λ_EC used in the bound. */
  errorCorrectionLeakageBits: number;
  /** Why the key is zero, when it is. */
  reason?: string;
}

// ---------------------------------------------------------------- additive extensions (issue 3)

/** Diagnostics of `finiteKeyAnalysis`: the bound's intermediate estimates, for reports, tests and the optimiser. */
export interface FiniteKeyDetails extends FiniteKeyResult {
  /** ℓ before flooring and clamping at 0: negative when the block is too small; a smooth objective for optimisers. */
  rawSecretKeyBits: number;
  /** Lower bounds on vacuum and single-photon events in the Z (test) basis. */
  vacuumEventsZ: number;
  singlePhotonEventsZ: number;
  /** Upper bound on single-photon bit errors in the Z basis (v_Z,1). */
  singlePhotonErrorsZ: number;
  /** The ε-independent part: the privacy-amplification and correctness cost 6·log2(21/ε_sec) + log2(2/ε_cor). */
  securityCostBits: number;
}
