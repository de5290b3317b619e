import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTerminalFile } from '../planner/link/terminal-file.ts';
import { syntheticPass } from '../planner/link/synthetic-pass.ts';
import { expectedPassKey } from '../planner/keyrate/pass-yield.ts';
import { addYieldToInterSatelliteWindows, addYieldToPasses } from '../planner/keyrate/add-yield.ts';
import { optimizeProfile } from '../planner/keyrate/optimize.ts';
import { expectedBlockKey } from '../planner/keyrate/multi-pass.ts';
import { nelderMead } from '../planner/keyrate/nelder-mead.ts';
import { evaluateProfile, fullWindow, windowWeights, type TransmittanceProfile } from '../planner/keyrate/profile.ts';
import { LinkParamsSchema } from '../planner/link/params.ts';
import type { Pass, InterSatelliteWindow } from '../planner/types.ts';

const parsed = parseTerminalFile(readFileSync(new URL('../tle-data/terminals/micius-xinglong.json', import.meta.url), 'utf8'), 'micius');
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const { link, protocol } = parsed.value;
const pass70 = syntheticPass({ altitudeKm: 500, maxElevationDeg: 70, stepS: 5 });

describe('Nelder–Mead', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const r = nelderMead((x) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2, [-1.2, 1], { maxEvaluations: 2000, fTolerance: 1e-14, xTolerance: 1e-9 });
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
  });
});

describe('window weights', () => {
  const profile: TransmittanceProfile = { tS: Float64Array.from([-1, 0, 1]), transmittance: Float64Array.from([1e-3, 1e-3, 1e-3]), slotDurationS: 1 };
  it.each([
    [0.5, [0, 1, 0]],
    [1, [0.5, 1, 0.5]],
    [5, [1, 1, 1]],
  ])('half-width %f → %j', (w, expected) => {
    expect(Array.from(windowWeights(profile, { startS: -w, endS: w }))).toEqual(expected);
  });
});

describe('expected key of a pass (Micius-like terminal)', () => {
  it('gives a kHz-scale secret key rate on a high pass (Liao et al. 2017 report kHz rates)', () => {
    const y = expectedPassKey(pass70, link, protocol);
    const seconds = (y.windowEndMs - y.windowStartMs) / 1000;
    const rateHz = y.expectedSecretKeyBits / seconds;
    expect(rateHz).toBeGreaterThan(300);
    expect(rateHz).toBeLessThan(10_000);
    expect(y.expectedQber).toBeGreaterThan(0.01);
    expect(y.expectedQber).toBeLessThan(0.03);
  });

  it('more key from higher passes', () => {
    const keys = [25, 40, 60, 85].map((el) => expectedPassKey(syntheticPass({ altitudeKm: 500, maxElevationDeg: el, stepS: 5 }), link, protocol).expectedSecretKeyBits);
    for (let i = 1; i < keys.length; i++) expect(keys[i]).toBeGreaterThan(keys[i - 1]);
  });

  it('optimisation never loses key against the given protocol, and is deterministic', () => {
    const plain = expectedPassKey(pass70, link, protocol);
    const a = expectedPassKey(pass70, link, protocol, { optimize: true });
    const b = expectedPassKey(pass70, link, protocol, { optimize: true });
    expect(a.expectedSecretKeyBits).toBeGreaterThan(plain.expectedSecretKeyBits);
    expect(b).toEqual(a);
    // The optimum keeps a valid protocol and a window inside the pass.
    const [m1, m2, m3] = a.protocol.intensities;
    expect(m1).toBeGreaterThan(m2 + m3);
    expect(a.protocol.keyBasisProbability).toBeLessThan(0.99);
    expect(a.windowStartMs).toBeGreaterThanOrEqual(pass70[0].tMs);
    expect(a.windowEndMs).toBeLessThanOrEqual(pass70[pass70.length - 1].tMs);
    expect(a.meanLossDb).toBeLessThan(plain.meanLossDb); // it drops the lossy low-elevation ends
  });

  it('the optimum is not beaten by a grid of nearby protocols (robustness)', () => {
    const profile = { tS: Float64Array.from({ length: 200 }, (_, i) => i - 100), transmittance: Float64Array.from({ length: 200 }, (_, i) => 10 ** (-(31 + 8 * ((i - 100) / 100) ** 2) / 10)), slotDurationS: 1 };
    const opt = optimizeProfile(profile, protocol);
    const best = opt.evaluation.block.secretKeyBits;
    for (const dm of [-0.05, 0.05]) {
      for (const dq of [-0.03, 0.03]) {
        const p = { ...opt.protocol, intensities: [opt.protocol.intensities[0] + dm, opt.protocol.intensities[1], 0] as [number, number, number], keyBasisProbability: opt.protocol.keyBasisProbability + dq };
        expect(evaluateProfile(profile, p, opt.window).block.secretKeyBits).toBeLessThanOrEqual(best);
      }
    }
  });

  it('beats every point of a coarse global grid over (μ1, μ2, p1, p2, q) for a fixed window', () => {
    const profile = { tS: Float64Array.from({ length: 200 }, (_, i) => i - 100), transmittance: Float64Array.from({ length: 200 }, (_, i) => 10 ** (-(33 + 8 * ((i - 100) / 100) ** 2) / 10)), slotDurationS: 1 };
    const window = { startS: -100.5, endS: 99.5 };
    const opt = optimizeProfile(profile, protocol, { window }).evaluation.block.secretKeyBits;
    let gridBest = 0;
    for (const mu1 of [0.3, 0.45, 0.6, 0.75, 0.9])
      for (const mu2 of [0.05, 0.1, 0.15, 0.2, 0.25])
        for (const p1 of [0.5, 0.6, 0.7, 0.8, 0.9])
          for (const p2 of [0.05, 0.1, 0.2, 0.3])
            for (const q of [0.5, 0.7, 0.8, 0.9, 0.95]) {
              if (p1 + p2 >= 0.99 || mu2 >= mu1) continue;
              const p = { ...protocol, intensities: [mu1, mu2, 0] as [number, number, number], intensityProbabilities: [p1, p2, 1 - p1 - p2] as [number, number, number], keyBasisProbability: q };
              gridBest = Math.max(gridBest, evaluateProfile(profile, p, window).block.secretKeyBits);
            }
    expect(gridBest).toBeGreaterThan(0);
    expect(opt).toBeGreaterThanOrEqual(gridBest);
  });

  it('finds an asymmetric window on a lopsided profile that does not start at its best slot', () => {
    // Best slot at t = 300 s of [0, 400): loss rises slowly before it and steeply after it.
    const t = Float64Array.from({ length: 400 }, (_, i) => i + 0.5);
    const lossDb = Array.from(t, (x) => (x < 300 ? 31 + 10 * ((300 - x) / 300) ** 2 : 31 + 15 * ((x - 300) / 100) ** 2));
    const profile = { tS: t, transmittance: Float64Array.from(lossDb, (l) => 10 ** (-l / 10)), slotDurationS: 1 };
    const r = optimizeProfile(profile, protocol);
    expect(r.window.startS).toBeLessThan(300);
    expect(r.window.endS).toBeGreaterThan(300);
    expect(300 - r.window.startS).toBeGreaterThan(2 * (r.window.endS - 300));
    expect(r.evaluation.block.secretKeyBits).toBeGreaterThan(evaluateProfile(profile, protocol, { startS: 0, endS: 400 }).block.secretKeyBits);
  });

  it('a pass too low for any key returns zero, the caller’s protocol and an empty window', () => {
    const low = syntheticPass({ altitudeKm: 500, maxElevationDeg: 12, stepS: 5 });
    const y = expectedPassKey(low, { ...link, excessLossDb: 15 }, protocol, { optimize: true });
    expect(y.expectedSecretKeyBits).toBe(0);
    expect(y.protocol).toEqual(protocol);
    expect(y.windowEndMs).toBe(y.windowStartMs);
    expect(y.finiteKey.reason).toBeTypeOf('string');
  });

  it('keeps the window inside the usable part of the pass', () => {
    const start = pass70[0].tMs;
    const usable = [{ startMs: start + 200_000, endMs: pass70[pass70.length - 1].tMs }];
    const y = expectedPassKey(pass70, link, protocol, { optimize: true, usableWindows: usable });
    expect(y.windowStartMs).toBeGreaterThanOrEqual(usable[0].startMs);
    const whole = expectedPassKey(pass70, link, protocol, { optimize: true });
    expect(y.expectedSecretKeyBits).toBeLessThan(whole.expectedSecretKeyBits);
  });
});

describe('addYieldToPasses / inter-satellite windows', () => {
  const pass: Pass = {
    id: 'MICIUS@XINGLONG@1970-01-01T00:00:00.000Z',
    satellite: 'MICIUS',
    station: 'XINGLONG',
    aosMs: pass70[0].tMs,
    tcaMs: 0,
    losMs: pass70[pass70.length - 1].tMs,
    maxElevationDeg: 70,
    aosAzimuthDeg: 0,
    tcaAzimuthDeg: 90,
    losAzimuthDeg: 180,
    rangeAtTcaKm: 530,
    clippedStart: false,
    clippedEnd: false,
    usableWindows: [{ startMs: pass70[0].tMs, endMs: pass70[pass70.length - 1].tMs }],
    sunlitAtTca: false,
  };

  it('adds the expected key, mean loss and window to each pass, keeping its fields', () => {
    const [p] = addYieldToPasses([pass], () => pass70, parsed.value, { optimize: true });
    expect(p.id).toBe(pass.id);
    expect(p.expectedSecretKeyBits).toBeGreaterThan(0);
    expect(p.meanLossDb).toBeGreaterThan(25);
    expect(p.keyWindow!.startMs).toBeLessThan(p.keyWindow!.endMs);
  });

  it('a pass with no usable window gets no key', () => {
    const [p] = addYieldToPasses([{ ...pass, usableWindows: [] }], () => pass70, parsed.value);
    expect(p.expectedSecretKeyBits).toBe(0);
    expect(p.keyWindow).toBeNull();
  });

  it('inter-satellite windows: no atmosphere, key from range alone', () => {
    const isl = {
      name: 'isl',
      link: LinkParamsSchema.parse({
        direction: 'inter-satellite',
        wavelengthM: 850e-9,
        transmitter: { apertureDiameterM: 0.3, divergenceFullAngleRad: 1e-5, opticsTransmittance: 0.8, pointingJitterRmsRad: 1e-6 },
        receiver: { apertureDiameterM: 0.3, opticsTransmittance: 0.5, detectorEfficiency: 0.5 },
      }),
      protocol,
    };
    const w: InterSatelliteWindow = { id: 'A~B', satelliteA: 'A', satelliteB: 'B', startMs: 0, endMs: 300_000, minRangeKm: 1000, minRangeMs: 150_000, clippedStart: false, clippedEnd: false };
    const looks = Array.from({ length: 301 }, (_, i) => ({ tMs: i * 1000, azDeg: 0, elDeg: -20, rangeKm: 1000 + Math.abs(i - 150) * 5, rangeRateKmS: 0 }));
    const [r] = addYieldToInterSatelliteWindows([w], () => looks, isl);
    expect(r.expectedSecretKeyBits).toBeGreaterThan(0);
    expect(r.minLossDb).toBeLessThan(r.meanLossDb);
  });
});

describe('whole-pass window', () => {
  it('leaves out dark slots at the ends (below the horizon) but keeps the lit ones', () => {
    const profile: TransmittanceProfile = { tS: Float64Array.from([0.5, 1.5, 2.5, 3.5]), transmittance: Float64Array.from([0, 1e-3, 1e-3, 0]), slotDurationS: 1 };
    expect(fullWindow(profile)).toEqual({ startS: 1, endS: 3 });
    const r = evaluateProfile(profile, protocol, fullWindow(profile));
    expect(r.windowSlots).toBe(2);
    expect(r.meanLossDb).toBeCloseTo(30, 9);
  });
});

describe('one finite-key block from several passes', () => {
  it('identical passes in a block equal the `passes` shortcut', () => {
    const three = expectedBlockKey([{ samples: pass70 }, { samples: pass70 }, { samples: pass70 }], link, protocol);
    const shortcut = expectedPassKey(pass70, link, protocol, { passes: 3 });
    expect(three.secretKeyBits).toBe(shortcut.finiteKey.secretKeyBits);
    expect(three.siftedKeyBitsPerPass).toHaveLength(3);
  });

  it('pooling low passes yields key that none of them gives alone', () => {
    const low = [22, 24, 26, 28].map((el) => ({ samples: syntheticPass({ altitudeKm: 500, maxElevationDeg: el, stepS: 5 }) }));
    const alone = low.map((p) => expectedPassKey(p.samples, link, protocol).expectedSecretKeyBits);
    const pooled = expectedBlockKey(low, link, protocol);
    expect(pooled.secretKeyBits).toBeGreaterThan(alone.reduce((a, b) => a + b, 0));
    const optimised = expectedBlockKey(low, link, protocol, { optimize: true });
    expect(optimised.secretKeyBits).toBeGreaterThan(pooled.secretKeyBits);
  });
});
