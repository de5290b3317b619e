import { describe, expect, it } from 'vitest';
import type { DetectionEvent } from '../../planner/ports.ts';
import { DETECTOR_CHANNELS, SYNC_CHANNEL } from '../../planner/ports.ts';
import { simulateAndPostProcess } from './sky-sim-pass.ts';
import { resolvePulseOffset, resolvePulseOffsetOnComb, synchronise } from './sync.ts';
import { syntheticPass } from './synthetic-pass.ts';
import { seedFrom, Xoshiro128 } from './prng.ts';

const T = 10_000;
function pass(driftPpm: number, offsetPs: number, seed = 4) {
  return syntheticPass({
    seed,
    pulses: 5e7,
    pulsePeriodPs: T,
    detectionProbability: [2e-3, 2.5e-4, 1e-6],
    intensityProbabilities: [0.5, 0.25, 0.25],
    keyBasisProbability: 0.5,
    qber: 0.02,
    offsetPs,
    driftPpm,
    jitterPs: 60,
    darkCountsPerPulse: 5e-6,
    firstPulse: 500_000,
  });
}

describe('synchronise', () => {
  it.each([
    { driftPpm: 0, offsetPs: 1e6 },
    { driftPpm: 4.2, offsetPs: 7.3e9 + 1234 },
    { driftPpm: -37, offsetPs: 55_555 },
  ])('recovers drift $driftPpm ppm and assigns every signal click its pulse', ({ driftPpm, offsetPs }) => {
    const p = pass(driftPpm, offsetPs);
    const s = synchronise(p.detections, { pulsePeriodPs: T });
    if ('error' in s) throw new Error(s.error);
    expect(Math.abs(s.driftPpm - driftPpm)).toBeLessThan(0.01);
    expect(s.jitterRmsPs).toBeGreaterThan(40);
    expect(s.jitterRmsPs).toBeLessThan(80);
    expect(s.acquisitionResultant).toBeGreaterThan(0.9);
    // Relative pulse numbers are consistent across chunks: nominal + relative differ from the truth by one constant.
    const truthOffset = new Set<number>();
    for (const d of s.detections.slice(0, 2000)) {
      const ev = p.detections[d.source];
      const trueK = 500_000 + Math.round((ev.timePs - offsetPs) / (T * (1 + driftPpm * 1e-6)));
      truthOffset.add(trueK - (s.chunks[d.chunk].nominalPulse + d.relPulse));
    }
    expect(truthOffset.size).toBeLessThanOrEqual(2); // dark counts inside the gate may land one pulse off
    // Most dark counts fall outside the ±3σ gate.
    expect(s.inGateFraction).toBeGreaterThan(0.97);
  });

  it('reports an error value, not an exception, on noise or too little data', () => {
    expect(synchronise([], { pulsePeriodPs: T })).toEqual({ error: 'too few detections to synchronise (0)' });
    const noise: DetectionEvent[] = Array.from({ length: 500 }, (_, i) => ({ timePs: i * 1e6 + ((i * 7919 * 7907) % T), channel: i & 3 }));
    const r = synchronise(noise, { pulsePeriodPs: T });
    expect('error' in r && r.error).toMatch(/no pulse-clock correlation/);
  });
});

describe('synchronise on the sync detector (a pulse every P-th pulse on SYNC_CHANNEL)', () => {
  const P = 10_000;
  const first = 500_000;
  /** The synthetic pass plus its sync comb (90 % detected, 300 ps jitter, 50 background clicks on the sync
   * channel) and a tagger clock jump of `jumpPs` at `jumpAtPs` (every later reading shifted). */
  function withSync(driftPpm: number, offsetPs: number, jumpPs: number, jumpAtPs: number) {
    const p = pass(driftPpm, offsetPs, 5);
    const rng = new Xoshiro128(seedFrom(99));
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
    const tag = (k: number) => offsetPs + (k - first) * T * (1 + driftPpm * 1e-6);
    const events: DetectionEvent[] = [...p.detections];
    for (let k = Math.ceil(first / P) * P; k < first + 5e7; k += P) if (rng.nextFloat() < 0.9) events.push({ timePs: tag(k) + 127 * gauss(), channel: SYNC_CHANNEL });
    for (let i = 0; i < 50; i++) events.push({ timePs: tag(first) + rng.nextFloat() * 5e7 * T, channel: SYNC_CHANNEL });
    events.sort((a, b) => a.timePs - b.timePs);
    const tagged = events.map((e) => (e.timePs >= jumpAtPs ? { ...e, timePs: e.timePs + jumpPs } : e));
    // True pulse of a detection, from its un-jumped reading.
    const truePulse = (i: number) => first + Math.round((events[i].timePs - offsetPs) / (T * (1 + driftPpm * 1e-6)));
    return { events: tagged, truePulse };
  }

  it.each([
    { driftPpm: 3.7, offsetPs: 2e6, jumpPs: 0 },
    { driftPpm: -41, offsetPs: 9.1e9 + 77, jumpPs: 12_345_678 },
    { driftPpm: 0.5, offsetPs: 1e6, jumpPs: -3_141_592 },
  ])('numbers every signal click with its absolute pulse (drift $driftPpm ppm, clock jump $jumpPs ps)', ({ driftPpm, offsetPs, jumpPs }) => {
    const { events, truePulse } = withSync(driftPpm, offsetPs, jumpPs, offsetPs + 2.2e11);
    // The station's prediction of the pulse at tagger reading 0 is 1,234 pulses off; the comb snaps it.
    const zeroPulse = first - Math.round(offsetPs / T) + 1234;
    const s = synchronise(events, { pulsePeriodPs: T, syncPeriodPulses: P, zeroPulse });
    if ('error' in s) throw new Error(s.error);
    expect(s.syncLocked).toBe(true);
    expect(s.segments).toBe(jumpPs === 0 ? 1 : 2);
    expect(s.syncRejected).toBeGreaterThanOrEqual(45); // the background clicks on the sync channel
    expect(s.syncRejected).toBeLessThanOrEqual(60);
    expect(Math.abs(s.driftPpm - driftPpm)).toBeLessThan(0.01);
    expect(s.jitterRmsPs).toBeGreaterThan(40);
    expect(s.jitterRmsPs).toBeLessThan(80);
    expect(s.inGateFraction).toBeGreaterThan(0.97);
    let exact = 0;
    for (const d of s.detections) if (s.chunks[d.chunk].nominalPulse + zeroPulse + d.relPulse === truePulse(d.source)) exact++;
    expect(exact / s.detections.length).toBeGreaterThan(0.99);
  });

  it('falls back to the quantum detections when the sync channel is silent', () => {
    const p = pass(2, 1e6);
    const s = synchronise(p.detections, { pulsePeriodPs: T, syncPeriodPulses: P });
    if ('error' in s) throw new Error(s.error);
    expect(s.syncLocked).toBeUndefined();
    expect(Math.abs(s.driftPpm - 2)).toBeLessThan(0.01);
  });

  it('resolves every chunk of a low sky-sim pass (25°, ~9 kHz of detections) at the intrinsic QBER', async () => {
    const out = await simulateAndPostProcess({ tcaMs: Date.parse('2026-11-29T16:50:00Z'), maxElevationDeg: 25, recordSeconds: 10 });
    const r = out.report;
    expect(r.sync!.chunks).toBeGreaterThan(10);
    expect(r.sync!.chunksResolved).toBe(r.sync!.chunks);
    expect(r.sync!.jitterRmsPs).toBeLessThan(200);
    expect(r.verified).toBe(true);
    expect(r.qber).toBeLessThan(0.03);
    expect(r.siftedBits).toBeGreaterThan(15_000);
  });
});

describe('resolvePulseOffset', () => {
  it('finds the integer pulse offset from a public sample by bit agreement', () => {
    const p = pass(1, 0);
    const truth = 500_000;
    const sample = p.detections.slice(0, 200).map((ev) => {
      const { basis, bit } = DETECTOR_CHANNELS[ev.channel];
      return { pulse: Math.round(ev.timePs / (T * (1 + 1e-6))) + truth - 37, basis, bit };
    });
    const r = resolvePulseOffset(sample, p.pulseRecord, 100)!;
    expect(r.offsetPulses).toBe(37);
    expect(r.sampleQber).toBeLessThan(0.1);
    expect(r.margin).toBeGreaterThan(2);
  });

  it.each([
    { periods: 12, extra: 0 },
    { periods: -3_700, extra: 1 },
    { periods: 9_999, extra: -1 },
  ])('after a clock jump, finds base + $periods sync periods ($extra) on the comb, far outside any window', ({ periods, extra }) => {
    const p = pass(1, 0);
    const truth = 50_000_000;
    const P = 10_000;
    const base = 37;
    const offset = base + periods * P + extra;
    const sample = p.detections.slice(0, 200).map((ev) => {
      const { basis, bit } = DETECTOR_CHANNELS[ev.channel];
      return { pulse: Math.round(ev.timePs / (T * (1 + 1e-6))) + truth - offset, basis, bit };
    });
    const record = (k: number) => p.pulseRecord(k - truth + 500_000);
    const inWindow = resolvePulseOffset(sample, record, 2000);
    expect(inWindow === null || inWindow.sampleQber > 0.3).toBe(true); // no lock anywhere in the usual window
    const r = resolvePulseOffsetOnComb(sample, record, base, P)!;
    expect(r.offsetPulses).toBe(offset);
    expect(r.sampleQber).toBeLessThan(0.1);
    expect(r.margin).toBeGreaterThan(2);
  });
});
