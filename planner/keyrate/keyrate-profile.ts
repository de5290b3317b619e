/**
 * `keyrate` on a loss profile: the model alone, no geometry. Window [−w, w] around the profile's time 0
 * (`windowHalfWidthS` = w), or the whole profile, or — with `optimize` and no `windowHalfWidthS` — any window
 * within the profile that holds its lowest-loss slot, chosen together with the protocol.
 */
import { optimizeProfile } from './optimize.ts';
import { evaluateProfile, fullWindow, type TransmissionWindow } from './profile.ts';
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
  /** The protocol used (optimised with `optimize`), and the file's window, block and excess-loss settings. */
  params: DecoyProtocolParams & { windowHalfWidthS?: number; passes: number; excessLossDb: number };
  reason?: string;
}

export function keyrateForProfile(profile: LossProfile, file: KeyrateParamsFile, opts: { optimize?: boolean; bound?: BoundKind } = {}): KeyrateReport {
  const { windowHalfWidthS, passes, excessLossDb, ...protocol } = file;
  const tp = lossProfileToTransmittance(profile, excessLossDb);
  const fixed: TransmissionWindow | undefined = windowHalfWidthS !== undefined ? { startS: -windowHalfWidthS, endS: windowHalfWidthS } : undefined;
  const evalOpts = { passes, ...(opts.bound ? { bound: opts.bound } : {}) };
  let used: DecoyProtocolParams = protocol;
  let window: TransmissionWindow;
  let ev;
  let evaluations = 0;
  if (opts.optimize) {
    const r = optimizeProfile(tp, protocol, { ...evalOpts, ...(fixed ? { window: fixed } : {}) });
    used = r.protocol;
    window = r.window;
    ev = r.evaluation;
    evaluations = r.evaluations;
  } else {
    window = fixed ?? fullWindow(tp);
    ev = evaluateProfile(tp, protocol, window, evalOpts);
  }
  const b = ev.block;
  const half = tp.slotDurationS / 2;
  const startS = Math.max(window.startS, profile.timeS[0] - half);
  const endS = Math.min(window.endS, profile.timeS[profile.timeS.length - 1] + half);
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
    params: { ...used, ...(windowHalfWidthS !== undefined ? { windowHalfWidthS } : {}), passes, excessLossDb },
    ...(b.reason ? { reason: b.reason } : {}),
  };
}
