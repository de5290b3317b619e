/**
 * A transmittance profile: one transmittance per equal time slot of a pass (or of a loss-profile file), and the
 * transmission window, the part of it used for key. Evaluating a profile = expected counts → finite-key length.
 */
import { expectedCounts } from './expected-counts.ts';
import { finiteKeyAnalysis, type FiniteKeyOptions } from './finite-key.ts';
import type { BasisIntensityCounts, DecoyProtocolParams, FiniteKeyDetails } from './types.ts';

export interface TransmittanceProfile {
  /** Slot centres, seconds from the profile's reference instant (the first look sample of a pass, or the loss profile's time axis). */
  tS: Float64Array;
  /** Total transmittance of each slot (source to detection). */
  transmittance: Float64Array;
  slotDurationS: number;
  /** 0 for slots that may not carry key (constraints: sun, elevation); absent → every slot usable. */
  usable?: Uint8Array;
}

/** The window [startS, endS], on the profile's time axis. */
export interface TransmissionWindow {
  startS: number;
  endS: number;
}

/** Fraction of each slot inside the window: edges are fractional, so the key is continuous in the window ends. */
export function windowWeights(profile: TransmittanceProfile, window: TransmissionWindow, out = new Float64Array(profile.tS.length)): Float64Array {
  const lo = window.startS;
  const hi = window.endS;
  const half = profile.slotDurationS / 2;
  for (let i = 0; i < out.length; i++) {
    const a = Math.max(lo, profile.tS[i] - half);
    const b = Math.min(hi, profile.tS[i] + half);
    const usable = profile.usable ? profile.usable[i] : 1;
    out[i] = usable && b > a ? (b - a) / profile.slotDurationS : 0;
  }
  return out;
}

/**
 * The window from the first to the last usable slot with light (transmittance > 0: slots below the horizon only
 * add extraneous counts); empty at the first slot when there is none.
 */
export function fullWindow(profile: TransmittanceProfile): TransmissionWindow {
  const half = profile.slotDurationS / 2;
  let startS = Number.POSITIVE_INFINITY;
  let endS = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < profile.tS.length; i++) {
    if ((profile.usable && !profile.usable[i]) || !(profile.transmittance[i] > 0)) continue;
    startS = Math.min(startS, profile.tS[i] - half);
    endS = Math.max(endS, profile.tS[i] + half);
  }
  if (!(endS > startS)) {
    const t = profile.tS.length ? profile.tS[0] : 0;
    return { startS: t, endS: t };
  }
  return { startS, endS };
}

/** Centre of the best (highest-transmittance) usable slot: where an optimised window is anchored. */
export function bestSlotCentreS(profile: TransmittanceProfile): number {
  let best = -1;
  let t = 0;
  for (let i = 0; i < profile.tS.length; i++) {
    if (profile.usable && !profile.usable[i]) continue;
    if (profile.transmittance[i] > best) {
      best = profile.transmittance[i];
      t = profile.tS[i];
    }
  }
  return t;
}

export interface ProfileEvaluation {
  counts: BasisIntensityCounts;
  /** For the whole block (all `passes`). */
  block: FiniteKeyDetails;
  /** Weighted slot count inside the window, and the mean loss over it (dB, weighted). */
  windowSlots: number;
  meanLossDb: number;
}

export interface EvaluateOptions extends FiniteKeyOptions {
  passes?: number;
}

/** Per-profile scratch space: the optimiser evaluates one profile a thousand times (no allocation, no log10). */
const scratch = new WeakMap<TransmittanceProfile, { weights: Float64Array<ArrayBuffer>; lossDb: Float64Array<ArrayBuffer> }>();

function scratchOf(profile: TransmittanceProfile): { weights: Float64Array<ArrayBuffer>; lossDb: Float64Array<ArrayBuffer> } {
  let s = scratch.get(profile);
  if (!s) {
    const lossDb = Float64Array.from(profile.transmittance, (t) => (t > 0 ? -10 * Math.log10(t) : 300));
    s = { weights: new Float64Array(profile.tS.length), lossDb };
    scratch.set(profile, s);
  }
  return s;
}

/** Expected counts and the finite-key result of one block of `passes` identical passes. */
export function evaluateProfile(profile: TransmittanceProfile, protocol: DecoyProtocolParams, window: TransmissionWindow, opts: EvaluateOptions = {}): ProfileEvaluation {
  const s = scratchOf(profile);
  const w = windowWeights(profile, window, s.weights);
  const counts = expectedCounts(profile.transmittance, profile.slotDurationS, protocol, { weights: w, passes: opts.passes ?? 1 });
  let slots = 0;
  let lossSum = 0;
  for (let i = 0; i < w.length; i++) {
    if (!(w[i] > 0)) continue;
    slots += w[i];
    lossSum += w[i] * s.lossDb[i];
  }
  const block = finiteKeyAnalysis(counts, protocol, opts);
  return { counts, block, windowSlots: slots, meanLossDb: slots > 0 ? lossSum / slots : Number.POSITIVE_INFINITY };
}
