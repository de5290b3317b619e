/**
 * `keyrate` on a loss profile: the model alone, no geometry. Window centred on the profile's time 0
 * (`windowHalfWidthS`), or the whole profile, or optimised with the protocol (`optimize`).
 */
import { optimizeProfile } from './optimize.ts';
import { evaluateProfile, fullHalfWidthS, type TransmissionWindow } from './profile.ts';
import { lossProfileToTransmittance, type LossProfile } from './loss-profile.ts';
import type { KeyrateParamsFile } from './params.ts';
import type { DecoyProtocolParams } from './types.ts';
import type { BoundKind } from './bounds.ts';

export interface KeyrateReport {
  /** Per pass (the block's ℓ divided by `passes`, floored). */
  secretKeyBits: number;
  siftedKeyBits: number;
  qber: number;
  vacuumEvents: number;
  singlePhotonEvents: number;
  phaseErrorRate: number;
  errorCorrectionLeakageBits: number;
  /** The finite-key block (all passes together). */
  block: { passes: number; secretKeyBits: number; siftedKeyBits: number; singlePhotonEvents: number; singlePhotonEventsZ: number; singlePhotonErrorsZ: number; errorCorrectionLeakageBits: number; securityCostBits: number };
  window: { startS: number; endS: number; slots: number };
  meanLossDb: number;
  optimized: boolean;
  evaluations: number;
  params: DecoyProtocolParams & { windowHalfWidthS: number; passes: number; excessLossDb: number };
  reason?: string;
}

export function keyrateForProfile(profile: LossProfile, file: KeyrateParamsFile, opts: { optimize?: boolean; bound?: BoundKind } = {}): KeyrateReport {
  const { windowHalfWidthS, passes, excessLossDb, ...protocol } = file;
  const tp = lossProfileToTransmittance(profile, excessLossDb);
  const fixed: TransmissionWindow | undefined = windowHalfWidthS !== undefined ? { centreS: 0, halfWidthS: windowHalfWidthS } : undefined;
  const evalOpts = { passes, ...(opts.bound ? { bound: opts.bound } : {}) };
  let used: DecoyProtocolParams = protocol;
  let window: TransmissionWindow;
  let ev;
  let evaluations = 0;
  if (opts.optimize) {
    const r = optimizeProfile(tp, protocol, { ...evalOpts, centreS: 0, ...(fixed ? { window: fixed } : {}) });
    used = r.protocol;
    window = r.window;
    ev = r.evaluation;
    evaluations = r.evaluations;
  } else {
    window = fixed ?? { centreS: 0, halfWidthS: fullHalfWidthS(tp, 0) };
    ev = evaluateProfile(tp, protocol, window, evalOpts);
  }
  const b = ev.block;
  const half = tp.slotDurationS / 2;
  const startS = Math.max(window.centreS - window.halfWidthS, profile.timeS[0] - half);
  const endS = Math.min(window.centreS + window.halfWidthS, profile.timeS[profile.timeS.length - 1] + half);
  return {
    secretKeyBits: Math.floor(b.secretKeyBits / passes),
    siftedKeyBits: b.siftedKeyBits / passes,
    qber: b.qber,
    vacuumEvents: b.vacuumEvents / passes,
    singlePhotonEvents: b.singlePhotonEvents / passes,
    phaseErrorRate: b.phaseErrorRate,
    errorCorrectionLeakageBits: b.errorCorrectionLeakageBits / passes,
    block: {
      passes,
      secretKeyBits: b.secretKeyBits,
      siftedKeyBits: b.siftedKeyBits,
      singlePhotonEvents: b.singlePhotonEvents,
      singlePhotonEventsZ: b.singlePhotonEventsZ,
      singlePhotonErrorsZ: b.singlePhotonErrorsZ,
      errorCorrectionLeakageBits: b.errorCorrectionLeakageBits,
      securityCostBits: b.securityCostBits,
    },
    window: { startS, endS: Math.max(startS, endS), slots: ev.windowSlots },
    meanLossDb: ev.meanLossDb,
    optimized: Boolean(opts.optimize),
    evaluations,
    params: { ...used, windowHalfWidthS: window.halfWidthS, passes, excessLossDb },
    ...(b.reason ? { reason: b.reason } : {}),
  };
}
