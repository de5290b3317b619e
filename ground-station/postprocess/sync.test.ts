import { describe, expect, it } from 'vitest';
import type { DetectionEvent } from '../../planner/ports.ts';
import { DETECTOR_CHANNELS } from '../../planner/ports.ts';
import { resolvePulseOffset, synchronise } from './sync.ts';
import { syntheticPass } from './synthetic-pass.ts';

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
});
