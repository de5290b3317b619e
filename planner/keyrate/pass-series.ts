/**
 * What a planner looks at over a pass, slot by slot: channel loss, detection rate, QBER, and the secret key that
 * the finite-key bound would grant if the window closed at that instant (accumulated key). Pure; rendered by
 * report-svg.ts.
 */
import { expectedCounts, slotProbabilities } from './expected-counts.ts';
import { finiteKeyAnalysis } from './finite-key.ts';
import { windowWeights, type TransmissionWindow, type TransmittanceProfile } from './profile.ts';
import type { DecoyProtocolParams } from './types.ts';

export interface PassSeries {
  tS: number[];
  lossDb: number[];
  /** Detections per second, all bases and intensities (what the time tagger counts). */
  countRateHz: number[];
  /** Error fraction of those detections. */
  qber: number[];
  /** Secret bits if the window closed at tS (0 before the window opens). */
  accumulatedKeyBits: number[];
  inWindow: boolean[];
}

/** Evaluates the series; the accumulated key is computed at ≤ `maxKeyPoints` instants and held in between. */
export function passSeries(profile: TransmittanceProfile, protocol: DecoyProtocolParams, window: TransmissionWindow, maxKeyPoints = 400): PassSeries {
  const n = profile.tS.length;
  const w = windowWeights(profile, window);
  const out: PassSeries = { tS: [], lossDb: [], countRateHz: [], qber: [], accumulatedKeyBits: [], inWindow: [] };
  const stride = Math.max(1, Math.ceil(n / maxKeyPoints));
  const partial = new Float64Array(n);
  let key = 0;
  for (let i = 0; i < n; i++) {
    const eta = profile.transmittance[i];
    let det = 0;
    let err = 0;
    for (let k = 0; k < 3; k++) {
      const p = slotProbabilities(eta, protocol.intensities[k], protocol);
      det += protocol.intensityProbabilities[k] * p.detection;
      err += protocol.intensityProbabilities[k] * p.error;
    }
    partial[i] = w[i];
    if (w[i] > 0 && (i % stride === 0 || i === n - 1)) {
      key = finiteKeyAnalysis(expectedCounts(profile.transmittance, profile.slotDurationS, protocol, { weights: partial }), protocol).secretKeyBits;
    }
    out.tS.push(profile.tS[i]);
    out.lossDb.push(eta > 0 ? -10 * Math.log10(eta) : Number.POSITIVE_INFINITY);
    out.countRateHz.push(det * protocol.sourceRateHz);
    out.qber.push(det > 0 ? err / det : 0.5);
    out.accumulatedKeyBits.push(key);
    out.inWindow.push(w[i] > 0);
  }
  return out;
}
