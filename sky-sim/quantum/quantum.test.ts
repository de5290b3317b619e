import { describe, expect, it } from 'vitest';
import { Rng } from '../random/prng.ts';
import { detectorSchema, sourceSchema } from '../config.ts';
import { ClickKind, type Click } from './clicks.ts';
import { DetectorBank } from './detector-bank.ts';
import { DecoySource } from './source.ts';
import { TaggerClock } from './tagger-clock.ts';

function poissonClicks(rng: Rng, rateHz: number, spanPs: number, channel: number): Click[] {
  const n = rng.poisson(rateHz * spanPs * 1e-12);
  return Array.from({ length: n }, () => ({ tPs: rng.uniform() * spanPs, channel, pulseIndex: -1, kind: ClickKind.Extraneous }));
}

describe('DetectorBank', () => {
  it.each([1e5, 2e6, 1e7])('non-paralysable dead time: output rate R/(1+Rτ) at R = %d Hz', (rateHz) => {
    const det = detectorSchema.parse({ deadTimeNs: 50, afterpulseProbability: 0, jitterFwhmPs: 0 });
    const bank = new DetectorBank([det, det, det, det], 0, new Rng(1));
    const rng = new Rng(2);
    const sliceNs = 1e6; // 1 ms slices, 100 of them: dead time carried across the edges
    let out = 0;
    for (let s = 0; s < 100; s++) {
      const raw = poissonClicks(rng, rateHz, sliceNs * 1000, 0);
      for (const c of raw) c.tPs += s * sliceNs * 1000;
      const acc: Click[] = [];
      bank.process(raw, (s + 1) * sliceNs * 1000, acc);
      let minGapPs = Infinity;
      for (let i = 1; i < acc.length; i++) minGapPs = Math.min(minGapPs, acc[i].tPs - acc[i - 1].tPs);
      expect(minGapPs).toBeGreaterThanOrEqual(50_000);
      out += acc.length;
    }
    const expected = (rateHz / (1 + rateHz * 50e-9)) * 0.1;
    expect(Math.abs(out - expected)).toBeLessThan(5 * Math.sqrt(expected) + 0.01 * expected);
  });

  it('afterpulses: probability p_ap per click, after the dead time, on the same detector', () => {
    const det = detectorSchema.parse({ deadTimeNs: 50, afterpulseProbability: 0.05, afterpulseMeanDelayNs: 100, jitterFwhmPs: 0 });
    const bank = new DetectorBank([det, det, det, det], 0, new Rng(3));
    const raw: Click[] = Array.from({ length: 20_000 }, (_, i) => ({ tPs: i * 1e8, channel: i % 4, pulseIndex: i, kind: ClickKind.Signal }));
    const acc: Click[] = [];
    bank.process(raw, 20_000 * 1e8, acc);
    const ap = acc.filter((c) => c.kind === ClickKind.Afterpulse);
    expect(Math.abs(ap.length - 1000)).toBeLessThan(5 * Math.sqrt(1000));
    const delaysNs = ap.map((a) => (a.tPs % 1e8) / 1000);
    expect(Math.min(...delaysNs)).toBeGreaterThanOrEqual(50);
    const meanExcess = delaysNs.reduce((a, b) => a + b, 0) / delaysNs.length - 50;
    expect(Math.abs(meanExcess - 100)).toBeLessThan(5 * (100 / Math.sqrt(ap.length)));
    for (const a of ap) expect(a.channel).toBe(Math.floor(a.tPs / 1e8) % 4);
  });

  it('timing jitter is Gaussian with the configured FWHM', () => {
    const det = detectorSchema.parse({ deadTimeNs: 0, afterpulseProbability: 0, jitterFwhmPs: 350 });
    const bank = new DetectorBank([det, det, det, det], 0, new Rng(4));
    const raw: Click[] = Array.from({ length: 20_000 }, (_, i) => ({ tPs: i * 1e6, channel: 0, pulseIndex: i, kind: ClickKind.Signal }));
    const acc: Click[] = [];
    bank.process(raw, 1e12, acc);
    const dev = acc.map((c, i) => c.tPs - i * 1e6);
    const sd = Math.sqrt(dev.reduce((a, b) => a + b * b, 0) / dev.length);
    expect(sd * 2 * Math.sqrt(2 * Math.LN2)).toBeCloseTo(350, -1);
  });
});

describe('DecoySource', () => {
  it('draws intensities, bases and bits with the configured probabilities, reproducibly', () => {
    const src = new DecoySource(sourceSchema.parse({ intensityProbabilities: [0.5, 0.25, 0.25], keyBasisProbability: 0.7 }), 42);
    const n = 200_000;
    const counts = [0, 0, 0];
    let x = 0, ones = 0;
    const base = 3e10; // deep into a pass: indices above 2^32
    for (let k = base; k < base + n; k++) {
      const r = src.pulseRecord(k);
      counts[r.intensityIndex]++;
      if (r.basis === 'X') x++;
      ones += r.bit;
    }
    const within = (obs: number, p: number) => Math.abs(obs - n * p) < 5 * Math.sqrt(n * p * (1 - p));
    expect(within(counts[0], 0.5) && within(counts[1], 0.25) && within(counts[2], 0.25)).toBe(true);
    expect(within(x, 0.7)).toBe(true);
    expect(within(ones, 0.5)).toBe(true);
    expect(new DecoySource(src.params, 42).pulseRecord(base + 5)).toEqual(src.pulseRecord(base + 5));
    expect(() => src.pulseRecord(-1)).toThrow(/non-negative integer/);
  });
});

describe('TaggerClock', () => {
  it('applies offset, drift, jumps, resolution and gaps', () => {
    const tc = new TaggerClock({ offsetPs: 1000, driftPpb: 100, resolutionPs: 4 }, [{ atPs: 5e11, jumpPs: -2000 }], [[2e11, 3e11]]);
    expect(tc.records(1e11)).toBe(false); // not started
    tc.start(1e10);
    expect(tc.records(1e11)).toBe(true);
    expect(tc.records(2.5e11)).toBe(false);
    // 1 s after start (after the jump at 5e11): 1e12 × (1 + 1e-7) + 1000 − 2000 ps.
    expect(tc.toTaggerPs(1e10 + 1e12)).toBe(1e12 + 100_000 + 1000 - 2000);
    expect(tc.toTaggerPs(1e10 + 4e11)).toBe(4e11 + 40_000 + 1000);
    expect(tc.toTaggerPs(1e10 + 3)).toBe(1004); // quantised to 4 ps
    tc.stop(6e11);
    expect(tc.records(7e11)).toBe(false);
  });
});

describe('TaggerClock fast path', () => {
  it('gives the same readings as the general path', () => {
    const tc = new TaggerClock({ offsetPs: 777, driftPpb: -250, resolutionPs: 1 }, [], []);
    tc.start(5e9);
    const f = tc.simpleTransform()!;
    for (const t of [5e9, 5e9 + 1, 3.3e11 + 0.4, 6e14]) expect(Math.round((t - f.startPs) * f.rate + f.offsetPs)).toBe(tc.toTaggerPs(t));
    expect(new TaggerClock({ offsetPs: 0, driftPpb: 0, resolutionPs: 1 }, [{ atPs: 1, jumpPs: 2 }], []).simpleTransform()).toBeNull();
  });
});
