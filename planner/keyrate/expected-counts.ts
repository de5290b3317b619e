/**
 * Expected detections and errors of a decoy-state BB84 block, from the channel transmittance of each time slot.
 * This is what the planner feeds to `finiteKeyLength`, and what sky-sim's detection statistics must reproduce.
 *
 * Per pulse of intensity μ through a slot of total transmittance η (source to detection, detector efficiency
 * included), with two detectors each giving an extraneous (dark + background) click with probability p_ec per
 * gate, afterpulse probability p_ap and misalignment error e_mis (docs/finite-key.md §2):
 *   D = 1 − (1 − p_ec)² e^{−ημ}                                   a click in either detector
 *   R = min(1, D (1 + p_ap))                                        detections, afterpulses included
 *   E = e_mis (1 − e^{−ημ}) + ½ (D − (1 − e^{−ημ})) + ½ p_ap D       erroneous detections
 * Extraneous-only clicks and afterpulses carry a random bit (half of them are errors). Both sides choose the key
 * basis X with probability q, so a pulse is sifted into X with q², into Z with (1 − q)².
 */
import type { BasisIntensityCounts, DecoyProtocolParams } from './types.ts';

export interface SlotProbabilities {
  /** Probability of a detection per pulse. */
  detection: number;
  /** Probability of an erroneous detection per pulse. */
  error: number;
}

/** Detection and error probability of one pulse of intensity `mu` over transmittance `eta`. */
export function slotProbabilities(eta: number, mu: number, params: Pick<DecoyProtocolParams, 'extraneousCountProbability' | 'afterpulseProbability' | 'intrinsicQber'>): SlotProbabilities {
  const signal = 1 - Math.exp(-eta * mu);
  const noClick = (1 - params.extraneousCountProbability) ** 2 * (1 - signal);
  const d = 1 - noClick;
  const detection = Math.min(1, d * (1 + params.afterpulseProbability));
  const error = Math.min(detection, params.intrinsicQber * signal + 0.5 * (d - signal) + 0.5 * params.afterpulseProbability * d);
  return { detection, error };
}

export interface ExpectedCountsOptions {
  /** Fraction of each slot inside the transmission window (0..1); absent → every slot fully used. */
  weights?: ArrayLike<number>;
  /** Identical passes accumulated into the block (multiplies every count). */
  passes?: number;
}

/**
 * Expected counts over a series of slots. `transmittance[i]` is the total transmittance of slot i, `slotDurationS`
 * its length (one number for a uniform series, or one per slot).
 */
export function expectedCounts(
  transmittance: ArrayLike<number>,
  slotDurationS: number | ArrayLike<number>,
  params: DecoyProtocolParams,
  opts: ExpectedCountsOptions = {},
): BasisIntensityCounts {
  const mu = params.intensities;
  const p = params.intensityProbabilities;
  const q = params.keyBasisProbability;
  const pec = params.extraneousCountProbability;
  const pap = params.afterpulseProbability;
  const emis = params.intrinsicQber;
  const keep = (1 - pec) * (1 - pec);
  const det: [number, number, number] = [0, 0, 0];
  const err: [number, number, number] = [0, 0, 0];
  const w = opts.weights;
  for (let i = 0; i < transmittance.length; i++) {
    const weight = w ? w[i] : 1;
    if (!(weight > 0)) continue;
    const dt = typeof slotDurationS === 'number' ? slotDurationS : slotDurationS[i];
    const pulses = params.sourceRateHz * dt * weight;
    const eta = transmittance[i];
    for (let k = 0; k < 3; k++) {
      // Inlined slotProbabilities: this loop is the optimiser's inner loop.
      const signal = 1 - Math.exp(-eta * mu[k]);
      const d = 1 - keep * (1 - signal);
      const r = Math.min(1, d * (1 + pap));
      const e = Math.min(r, emis * signal + 0.5 * (d - signal) + 0.5 * pap * d);
      det[k] += pulses * p[k] * r;
      err[k] += pulses * p[k] * e;
    }
  }
  const scale = opts.passes ?? 1;
  const xs = q * q * scale;
  const zs = (1 - q) * (1 - q) * scale;
  return {
    nX: [det[0] * xs, det[1] * xs, det[2] * xs],
    mX: [err[0] * xs, err[1] * xs, err[2] * xs],
    nZ: [det[0] * zs, det[1] * zs, det[2] * zs],
    mZ: [err[0] * zs, err[1] * zs, err[2] * zs],
  };
}

/** dB ↔ transmittance at the edges: loss profiles are in dB, the model works in transmittance. */
export function dbToTransmittance(lossDb: number): number {
  return 10 ** (-lossDb / 10);
}

export function transmittanceToDb(t: number): number {
  return t > 0 ? -10 * Math.log10(t) : Number.POSITIVE_INFINITY;
}
