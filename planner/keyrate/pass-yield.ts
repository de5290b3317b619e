/**
 * The expected secret key of one pass (or inter-satellite window): geometry → channel transmittance per slot →
 * expected counts → finite-key length, optionally with the protocol and the window optimised.
 * This is what the scheduler and `passes --yield` call.
 */
import type { Interval, UtcMs } from '../time.ts';
import type { LookSample } from '../types.ts';
import { channelTransmittance } from '../link/channel.ts';
import type { LinkParams } from '../link/params.ts';
import { optimizeProfile } from './optimize.ts';
import { evaluateProfile, fullWindow, type TransmissionWindow, type TransmittanceProfile } from './profile.ts';
import type { BoundKind } from './bounds.ts';
import type { DecoyProtocolParams, FiniteKeyResult } from './types.ts';

export interface PassYieldOptions {
  /** Optimise intensities, probabilities, basis choice and window (default false: the given protocol, whole pass). */
  optimize?: boolean;
  /** Slot length of the integration (default 1 s). */
  slotDurationS?: number;
  /** Parts of the pass where key may be exchanged (Pass.usableWindows); absent → all of it. */
  usableWindows?: Interval[];
  /** Identical passes accumulated into one block; results are per pass (default 1). */
  passes?: number;
  bound?: BoundKind;
}

export interface PassYield {
  /** Expected secret key of this pass, bits (per pass when several are accumulated). */
  expectedSecretKeyBits: number;
  /** Mean channel loss over the window (dB averaged over slots); Infinity (JSON null) when no slot is usable. */
  meanLossDb: number;
  /** Minimum loss over the usable pass, dB. */
  minLossDb: number;
  /** The transmission window actually used; equal start and end when no key can be made. */
  windowStartMs: UtcMs;
  windowEndMs: UtcMs;
  expectedSiftedKeyBits: number;
  expectedQber: number;
  /** The protocol evaluated (the optimised one with `optimize`). */
  protocol: DecoyProtocolParams;
  /** The finite-key result of the whole block (all `passes`). */
  finiteKey: FiniteKeyResult;
  /** Objective evaluations spent by the optimiser (0 without it). */
  evaluations: number;
}

/**
 * Slots of `slotDurationS` from the first to the last sample; each slot's loss is interpolated linearly in dB
 * between the two look samples around its centre (loss in dB is smooth along a pass; transmittance is not).
 * The reference instant (t = 0 of the profile) is the first sample.
 */
export function profileFromSamples(samples: readonly LookSample[], link: LinkParams, slotDurationS = 1, usableWindows?: Interval[]): TransmittanceProfile & { t0Ms: UtcMs } {
  if (samples.length === 0) return { t0Ms: 0, tS: new Float64Array(0), transmittance: new Float64Array(0), slotDurationS };
  const t0Ms = samples[0].tMs;
  const spanS = (samples[samples.length - 1].tMs - t0Ms) / 1000;
  const n = Math.max(1, Math.floor(spanS / slotDurationS + 1e-9));
  const lossDb = samples.map((s) => channelTransmittance(s, link).lossDb);
  const tS = new Float64Array(n);
  const transmittance = new Float64Array(n);
  const usable = usableWindows ? new Uint8Array(n) : undefined;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const t = (i + 0.5) * slotDurationS;
    const tMs = t0Ms + t * 1000;
    while (j < samples.length - 2 && samples[j + 1].tMs <= tMs) j++;
    const a = samples[j];
    const b = samples[Math.min(j + 1, samples.length - 1)];
    const f = b.tMs > a.tMs ? Math.min(1, Math.max(0, (tMs - a.tMs) / (b.tMs - a.tMs))) : 0;
    const la = lossDb[j];
    const lb = lossDb[Math.min(j + 1, samples.length - 1)];
    const l = Number.isFinite(la) && Number.isFinite(lb) ? la + f * (lb - la) : Number.POSITIVE_INFINITY;
    tS[i] = t;
    transmittance[i] = Number.isFinite(l) ? 10 ** (-l / 10) : 0;
    if (usable) usable[i] = usableWindows!.some((w) => tMs >= w.startMs && tMs < w.endMs) ? 1 : 0;
  }
  return { t0Ms, tS, transmittance, slotDurationS, ...(usable ? { usable } : {}) };
}

function minLossDb(p: TransmittanceProfile): number {
  let best = 0;
  for (let i = 0; i < p.tS.length; i++) if ((!p.usable || p.usable[i]) && p.transmittance[i] > best) best = p.transmittance[i];
  return best > 0 ? -10 * Math.log10(best) : Number.POSITIVE_INFINITY;
}

/** Expected key of a pass from its look samples, a link and a protocol. */
export function expectedPassKey(samples: readonly LookSample[], link: LinkParams, protocol: DecoyProtocolParams, opts: PassYieldOptions = {}): PassYield {
  const profile = profileFromSamples(samples, link, opts.slotDurationS ?? 1, opts.usableWindows);
  const passes = opts.passes ?? 1;
  const evalOpts = { passes, ...(opts.bound ? { bound: opts.bound } : {}) };
  let used: DecoyProtocolParams = protocol;
  let window: TransmissionWindow;
  let evaluation;
  let evaluations = 0;
  if (opts.optimize && profile.tS.length > 0) {
    const r = optimizeProfile(profile, protocol, evalOpts);
    used = r.protocol;
    window = r.window;
    evaluation = r.evaluation;
    evaluations = r.evaluations;
  } else {
    window = fullWindow(profile);
    evaluation = evaluateProfile(profile, protocol, window, evalOpts);
  }
  // Report the window clipped to the slots it really uses.
  let first = -1;
  let last = -1;
  const half = profile.slotDurationS / 2;
  const lo = window.startS;
  const hi = window.endS;
  for (let i = 0; i < profile.tS.length; i++) {
    if (profile.usable && !profile.usable[i]) continue;
    if (profile.tS[i] + half > lo && profile.tS[i] - half < hi) {
      if (first < 0) first = i;
      last = i;
    }
  }
  const block = evaluation.block;
  const key = Math.floor(block.secretKeyBits / passes);
  const startS = first < 0 ? lo : Math.max(lo, profile.tS[first] - half);
  const endS = first < 0 ? lo : Math.min(hi, profile.tS[last] + half);
  return {
    expectedSecretKeyBits: key,
    meanLossDb: evaluation.meanLossDb,
    minLossDb: minLossDb(profile),
    windowStartMs: profile.t0Ms + startS * 1000,
    windowEndMs: profile.t0Ms + (key > 0 ? endS : startS) * 1000,
    expectedSiftedKeyBits: block.siftedKeyBits / passes,
    expectedQber: block.qber,
    protocol: used,
    finiteKey: {
      secretKeyBits: block.secretKeyBits,
      siftedKeyBits: block.siftedKeyBits,
      qber: block.qber,
      vacuumEvents: block.vacuumEvents,
      singlePhotonEvents: block.singlePhotonEvents,
      phaseErrorRate: block.phaseErrorRate,
      errorCorrectionLeakageBits: block.errorCorrectionLeakageBits,
      ...(block.reason ? { reason: block.reason } : {}),
    },
    evaluations,
  };
}
