/**
 * The simulated detections against the analytic expectation of the key-yield model: counts per basis and
 * intensity and QBER, within 5σ (Poisson/binomial). The detections are sifted the way post-processing would:
 * tagger time → pulse index (the delay is known here: static geometry, no offset or drift), a 2 ns gate, the
 * satellite's records for the detected indices.
 */
import { describe, expect, it } from 'vitest';
import { expectedCounts } from '../planner/keyrate/expected-counts.ts';
import type { DecoyProtocolParams } from '../planner/keyrate/types.ts';
import { DETECTOR_CHANNELS, type DetectionEvent } from '../planner/ports.ts';
import { VirtualClock } from './clock/virtual-clock.ts';
import { createSimulatedPass, type SimulatedPass } from './simulated-pass.ts';
import { drivePass, staticLook } from './testing/drive.ts';
import { SYNC_CHANNEL } from './simulation.ts';
import type { SimConfigInput } from './config.ts';
import { TELESCOPE_MOUNT } from './mount/profiles.ts';

const T0 = Date.UTC(2026, 10, 29, 17, 0, 0);
const RANGE_KM = 800;
const ETA_CHANNEL = 2e-3;
const DARK_HZ = 1000;
const GATE_PS = 2000;

const quietConfig: SimConfigInput = {
  detectors: { efficiency: 0.5, darkCountRateHz: DARK_HZ, deadTimeNs: 0, afterpulseProbability: 0, jitterFwhmPs: 350 },
  sky: { nightSkyRateHz: 0 },
  scintillation: { scintillationIndexZenith: 0 },
  pointing: { tipTiltRmsUrad: 0, fsmNoiseUrad: 0 },
  source: { syncPeriodPulses: 10_000 },
  // Parked where the satellite hangs, so recording can start after a short wait (slews are tested elsewhere).
  mount: { ...TELESCOPE_MOUNT, park: { azDeg: 120, elDeg: 60 } },
};

async function recordStatic(seed: number, recordS: number, config: SimConfigInput = quietConfig, readPeriodMs = 100) {
  const clock = new VirtualClock({ startMs: T0 });
  const pass = createSimulatedPass({ lookSamples: staticLook(T0, 120_000, { azDeg: 120, elDeg: 60, rangeKm: RANGE_KM }), link: () => ETA_CHANNEL, clock, seed, config });
  if (!pass.ok) throw new Error(pass.reason);
  const recordFromMs = T0 + 1_000;
  const events = await drivePass(pass, clock, { recordFromMs, endMs: recordFromMs + recordS * 1000, readPeriodMs });
  return { pass, events, recordFromMs };
}

interface Sifted {
  n: Record<'X' | 'Z', [number, number, number]>;
  m: Record<'X' | 'Z', [number, number, number]>;
}

function sift(pass: SimulatedPass, events: DetectionEvent[], recordFromMs: number): Sifted {
  const sim = pass.simulation;
  const periodPs = 1e12 / sim.config.source.repetitionRateHz;
  const startPs = sim.toEpochPs(recordFromMs);
  const delayPs = sim.delayPsAt(recordFromMs);
  const idx: number[] = [], chans: number[] = [];
  for (const e of events) {
    if (e.channel === SYNC_CHANNEL) continue;
    const x = (e.timePs + startPs - delayPs) / periodPs;
    const k = Math.round(x);
    if (Math.abs(x - k) * periodPs > GATE_PS / 2) continue;
    idx.push(k);
    chans.push(e.channel);
  }
  const recs = pass.satellite.pulseRecords(idx);
  const out: Sifted = { n: { X: [0, 0, 0], Z: [0, 0, 0] }, m: { X: [0, 0, 0], Z: [0, 0, 0] } };
  recs.forEach((r, i) => {
    const d = DETECTOR_CHANNELS[chans[i]];
    if (d.basis !== r.basis) return;
    out.n[r.basis][r.intensityIndex]++;
    if (d.bit !== r.bit) out.m[r.basis][r.intensityIndex]++;
  });
  return out;
}

describe('detection statistics vs the key-yield model', () => {
  it('counts per basis and intensity and the QBER agree within 5σ', async () => {
    const recordS = 2;
    const { pass, events, recordFromMs } = await recordStatic(7, recordS);
    const s = sift(pass, events, recordFromMs);
    const c = pass.simulation.config;
    const pec = DARK_HZ * GATE_PS * 1e-12;
    const params: DecoyProtocolParams = {
      sourceRateHz: c.source.repetitionRateHz,
      intensities: c.source.intensities,
      intensityProbabilities: c.source.intensityProbabilities,
      keyBasisProbability: 0.5,
      extraneousCountProbability: pec,
      afterpulseProbability: 0,
      intrinsicQber: c.receiver.misalignmentErrorProbability,
      errorCorrectionEfficiency: 1.1,
      epsilonSec: 1e-10,
      epsilonCor: 1e-15,
    };
    // The model's η includes the detector efficiency.
    const expected = expectedCounts([ETA_CHANNEL * 0.5], recordS, params);
    // Four detectors behind a passive basis split see extraneous clicks whatever the split "chose": sifted
    // extraneous counts are q·2p_ec per pulse, not the model's q²·2p_ec (an active-choice receiver).
    const q = 0.5;
    const N = c.source.repetitionRateHz * recordS;
    const extraneousGap = (i: number) => N * c.source.intensityProbabilities[i] * (q - q * q) * 2 * pec;
    for (const basis of ['X', 'Z'] as const) {
      const n = basis === 'X' ? expected.nX : expected.nZ;
      const m = basis === 'X' ? expected.mX : expected.mZ;
      for (let i = 0; i < 3; i++) {
        const eN = n[i] + extraneousGap(i);
        const eM = m[i] + extraneousGap(i) / 2;
        expect(Math.abs(s.n[basis][i] - eN), `n${basis}[${i}] = ${s.n[basis][i]}, expected ${eN.toFixed(1)}`).toBeLessThan(5 * Math.sqrt(eN) + 1);
        expect(Math.abs(s.m[basis][i] - eM), `m${basis}[${i}] = ${s.m[basis][i]}, expected ${eM.toFixed(1)}`).toBeLessThan(5 * Math.sqrt(eM) + 1);
      }
      // Enough counts for the test to mean something: the signal intensity gives ~10^4 sifted detections.
      expect(s.n[basis][0]).toBeGreaterThan(10_000);
      const qber = s.m[basis][0] / s.n[basis][0];
      const eq = (m[0] + extraneousGap(0) / 2) / (n[0] + extraneousGap(0));
      expect(Math.abs(qber - eq)).toBeLessThan(5 * Math.sqrt((eq * (1 - eq)) / n[0]));
    }
  });

  it('sync pulses arrive at every detected sync period with the configured probability', async () => {
    const { pass, events } = await recordStatic(3, 1);
    const sync = events.filter((e) => e.channel === SYNC_CHANNEL);
    const expected = 1 * (pass.simulation.config.source.repetitionRateHz / 10_000) * pass.simulation.config.source.syncDetectionProbability;
    expect(Math.abs(sync.length - expected)).toBeLessThan(5 * Math.sqrt(expected * 0.05) + 2);
    // Consecutive sync events are whole multiples of 100 µs apart (jitter of 300 ps FWHM aside).
    for (let i = 1; i < Math.min(sync.length, 2000); i++) {
      const d = (sync[i].timePs - sync[i - 1].timePs) / 1e8;
      expect(Math.abs(d - Math.round(d)) * 1e8).toBeLessThan(2000);
    }
  });
});

describe('determinism', () => {
  it('same seed, same events, whatever the read pattern; another seed, other events', async () => {
    const a = await recordStatic(11, 0.3, quietConfig, 100);
    const b = await recordStatic(11, 0.3, quietConfig, 37);
    const c = await recordStatic(12, 0.3, quietConfig, 100);
    expect(a.events.length).toBeGreaterThan(1000);
    expect(b.events).toEqual(a.events);
    expect(c.events).not.toEqual(a.events);
  });

  it('events come out in time order with channels 0..4', async () => {
    const { events } = await recordStatic(5, 0.3);
    for (let i = 1; i < events.length; i++) expect(events[i].timePs).toBeGreaterThanOrEqual(events[i - 1].timePs);
    expect(new Set(events.map((e) => e.channel))).toEqual(new Set([0, 1, 2, 3, 4]));
  });
});
