import { describe, expect, it } from 'vitest';
import { finiteKeyAnalysis, finiteKeyLength, finiteSizeLeakageBits } from '../planner/keyrate/finite-key.ts';
import { dbToTransmittance, expectedCounts, slotProbabilities } from '../planner/keyrate/expected-counts.ts';
import { chernoffInterval, hoeffdingDelta } from '../planner/keyrate/bounds.ts';
import { binaryEntropy, normalQuantile } from '../planner/keyrate/math.ts';
import { DecoyProtocolParamsSchema, KeyrateParamsFileSchema } from '../planner/keyrate/params.ts';
import type { DecoyProtocolParams } from '../planner/keyrate/types.ts';

/** Micius-like protocol (Liao et al. 2017): 100 MHz, 0.8/0.1/0 with 0.5/0.25/0.25. */
const micius: DecoyProtocolParams = {
  sourceRateHz: 1e8,
  intensities: [0.8, 0.1, 0],
  intensityProbabilities: [0.5, 0.25, 0.25],
  keyBasisProbability: 0.5,
  extraneousCountProbability: 1e-6,
  afterpulseProbability: 0.001,
  intrinsicQber: 0.01,
  errorCorrectionEfficiency: 1.16,
  epsilonSec: 1e-10,
  epsilonCor: 1e-15,
};

/** A constant-loss pass of `durationS` one-second slots. */
function constantPass(lossDb: number, durationS = 300, p: DecoyProtocolParams = micius, passes = 1) {
  const eta = new Float64Array(durationS).fill(dbToTransmittance(lossDb));
  return finiteKeyAnalysis(expectedCounts(eta, 1, p, { passes }), p);
}

describe('helpers', () => {
  it.each([
    [0, 0],
    [0.5, 1],
    [0.11, 0.4999],
    [1, 0],
  ])('h(%f) = %f', (x, h) => expect(binaryEntropy(x)).toBeCloseTo(h, 3));

  it.each([
    [0.5, 0],
    [0.975, 1.959964],
    [1e-15, -7.941345],
    [0.01, -2.326348],
  ])('Φ⁻¹(%f) = %f', (p, z) => expect(normalQuantile(p)).toBeCloseTo(z, 4));

  it('Chernoff interval brackets the observation and gives 2·ln(1/ε) above an empty count', () => {
    const e = 1e-10;
    expect(chernoffInterval(0, e)).toEqual({ lower: 0, upper: 2 * Math.log(1 / e) });
    for (const x of [1, 10, 1e3, 1e6]) {
      const iv = chernoffInterval(x, e);
      expect(iv.lower).toBeLessThan(x);
      expect(iv.upper).toBeGreaterThan(x);
      // For large x it approaches the normal ±√(2 x ln 1/ε): relative width shrinks like 1/√x.
      if (x >= 1e6) expect((iv.upper - iv.lower) / x).toBeLessThan(0.02);
    }
  });

  it('Chernoff is tighter than Lim’s Hoeffding for a small count of a large basis', () => {
    const iv = chernoffInterval(100, 1e-10);
    const d = hoeffdingDelta(1e6, 1e-10);
    expect(iv.upper - iv.lower).toBeLessThan(2 * d);
  });

  it('finite-size leakage exceeds n·h(Q) and approaches it per bit for large n', () => {
    for (const n of [1e4, 1e6, 1e8]) {
      const q = 0.02;
      const l = finiteSizeLeakageBits(n, q, 1e-15);
      expect(l).toBeGreaterThan(n * binaryEntropy(q));
      if (n === 1e8) expect(l / (n * binaryEntropy(q))).toBeLessThan(1.01);
    }
  });
});

describe('detection model', () => {
  it('without signal only extraneous clicks and afterpulses, half of them errors', () => {
    const p = slotProbabilities(0, 0.8, micius);
    const dark = 1 - (1 - micius.extraneousCountProbability) ** 2;
    expect(p.detection).toBeCloseTo(dark * 1.001, 15);
    expect(p.error / p.detection).toBeCloseTo(0.5, 6);
  });

  it('at high transmittance the error rate tends to the intrinsic QBER', () => {
    const p = slotProbabilities(1, 0.8, { ...micius, afterpulseProbability: 0 });
    expect(p.error / p.detection).toBeCloseTo(micius.intrinsicQber, 3);
  });

  it('sifts X with q² and Z with (1−q)² of the detections', () => {
    const q = 0.8;
    const c = expectedCounts([1e-3], 1, { ...micius, keyBasisProbability: q });
    const total = (c.nX[0] + c.nZ[0]) / (q * q + (1 - q) ** 2);
    expect(c.nX[0] / total).toBeCloseTo(q * q, 10);
    expect(c.nZ[0] / total).toBeCloseTo((1 - q) ** 2, 10);
  });
});

describe('finite-key length: limiting cases', () => {
  it('zero loss gives a key below the sifted key, from well-estimated single photons', () => {
    const r = constantPass(0, 10);
    expect(r.secretKeyBits).toBeGreaterThan(0);
    expect(r.secretKeyBits).toBeLessThan(r.siftedKeyBits);
    expect(r.qber).toBeCloseTo(0.01, 2);
  });

  it.each([60, 70, 100])('loss of %i dB is beyond the cut-off: zero key, with a reason', (loss) => {
    const r = constantPass(loss);
    expect(r.secretKeyBits).toBe(0);
    expect(r.reason).toBeTypeOf('string');
  });

  it('more loss never gives more key (0 … 60 dB in 2 dB steps)', () => {
    let previous = Number.POSITIVE_INFINITY;
    for (let loss = 0; loss <= 60; loss += 2) {
      const k = constantPass(loss).secretKeyBits;
      expect(k).toBeLessThanOrEqual(previous);
      previous = k;
    }
    expect(previous).toBe(0);
  });

  it('more passes per block give more key per pass (finite-size costs amortised)', () => {
    const perPass = [1, 2, 5, 20].map((n) => constantPass(40, 300, micius, n).secretKeyBits / n);
    for (let i = 1; i < perPass.length; i++) expect(perPass[i]).toBeGreaterThan(perPass[i - 1]);
  });

  it('a key-basis probability near 1 shrinks the key instead of inflating it', () => {
    const at = (q: number) => constantPass(35, 300, { ...micius, keyBasisProbability: q }).secretKeyBits;
    // Asymmetric bases pay off (more sifted key) until the test basis runs short of events.
    expect(at(0.7)).toBeGreaterThan(at(0.5));
    expect(at(0.9)).toBeLessThan(at(0.7));
    expect(at(0.999)).toBeLessThan(at(0.9));
    expect(at(0.99999)).toBe(0);
  });

  it('the decoy estimate of single photons is a lower bound of the true expected number', () => {
    const eta = dbToTransmittance(30);
    const r = constantPass(30, 300);
    // True expected single-photon detections in X: Σ_k N p_k e^{−μ} μ · Y1 · q².
    const y1 = 1 - (1 - micius.extraneousCountProbability) ** 2 * (1 - eta);
    const n = micius.sourceRateHz * 300;
    const truth = micius.intensities.reduce((s, mu, k) => s + n * micius.intensityProbabilities[k] * Math.exp(-mu) * mu * y1 * (1 + micius.afterpulseProbability), 0) * 0.25;
    expect(r.singlePhotonEvents).toBeLessThan(truth);
    expect(r.singlePhotonEvents).toBeGreaterThan(0.8 * truth);
  });

  it('approaches the asymptotic key of the true single-photon yield and error as the block grows', () => {
    // Asymptotic (GLLP with exact photon-number statistics): s0 + s1 (1 − h(e1)) − f_EC n_X h(Q), from the model's
    // own Y0, Y1, e1. The 3-intensity decoy bound is slightly loose, so ℓ/ℓ∞ → a bit below 1, from below.
    const p = { ...micius, afterpulseProbability: 0 };
    const eta = dbToTransmittance(20);
    const ratio = (seconds: number) => {
      const c = expectedCounts(new Float64Array(1).fill(eta), seconds, p);
      const r = finiteKeyAnalysis(c, p);
      const pulses = p.sourceRateHz * seconds * p.keyBasisProbability ** 2;
      const y0 = 1 - (1 - p.extraneousCountProbability) ** 2;
      const y1 = 1 - (1 - p.extraneousCountProbability) ** 2 * (1 - eta);
      const e1 = (p.intrinsicQber * eta + 0.5 * (y1 - eta)) / y1;
      let s0 = 0;
      let s1 = 0;
      p.intensities.forEach((mu, k) => {
        s0 += pulses * p.intensityProbabilities[k] * Math.exp(-mu) * y0;
        s1 += pulses * p.intensityProbabilities[k] * Math.exp(-mu) * mu * y1;
      });
      const asymptotic = s0 + s1 * (1 - binaryEntropy(e1)) - p.errorCorrectionEfficiency * r.siftedKeyBits * binaryEntropy(r.qber);
      return r.secretKeyBits / asymptotic;
    };
    const small = ratio(1);
    const large = ratio(1e5);
    expect(small).toBeLessThan(large);
    expect(large).toBeLessThan(1);
    expect(large).toBeGreaterThan(0.9);
  });

  it('Chernoff bounds give at least the Hoeffding key', () => {
    const eta = new Float64Array(300).fill(dbToTransmittance(38));
    const c = expectedCounts(eta, 1, micius);
    expect(finiteKeyLength(c, micius, { bound: 'chernoff' }).secretKeyBits).toBeGreaterThan(finiteKeyLength(c, micius, { bound: 'hoeffding' }).secretKeyBits);
  });
});

describe('finite-key length with observed counts', () => {
  const observed = { nX: [400_000, 30_000, 1_000], mX: [4_400, 600, 500], nZ: [400_000, 30_000, 1_000], mZ: [4_400, 600, 500] } as const;
  const counts = { nX: [...observed.nX], mX: [...observed.mX], nZ: [...observed.nZ], mZ: [...observed.mZ] } as never;

  it('uses the reconciliation leakage it is given, bit for bit', () => {
    const a = finiteKeyAnalysis(counts, micius, { leakageBits: 100_000 });
    const b = finiteKeyAnalysis(counts, micius, { leakageBits: 150_000 });
    expect(a.errorCorrectionLeakageBits).toBe(100_000);
    expect(a.rawSecretKeyBits - b.rawSecretKeyBits).toBeCloseTo(50_000, 6);
  });

  it('reports the QBER of the key basis and the Lim cost of ε_sec, ε_cor', () => {
    const r = finiteKeyAnalysis(counts, micius);
    expect(r.qber).toBeCloseTo(5_500 / 431_000, 10);
    expect(r.securityCostBits).toBeCloseTo(6 * Math.log2(21e10) + Math.log2(2e15), 8);
  });

  it.each([
    ['negative count', { nX: [-1, 0, 0], mX: [0, 0, 0], nZ: [0, 0, 0], mZ: [0, 0, 0] }],
    ['errors above detections', { nX: [1, 0, 0], mX: [2, 0, 0], nZ: [0, 0, 0], mZ: [0, 0, 0] }],
    ['NaN', { nX: [Number.NaN, 0, 0], mX: [0, 0, 0], nZ: [0, 0, 0], mZ: [0, 0, 0] }],
  ])('rejects %s as a programmer error', (_name, bad) => {
    expect(() => finiteKeyLength(bad as never, micius)).toThrow(RangeError);
  });

  it('invariants over 2,000 random observed blocks: finite outputs, 0 ≤ ℓ ≤ n_X, φ ∈ [0, ½]', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 2000; i++) {
      const scale = 10 ** (1 + 6 * rnd());
      const n = (f: number) => Math.floor(scale * f * rnd());
      const nX: [number, number, number] = [n(1), n(0.3), n(0.05)];
      const nZ: [number, number, number] = [n(0.3), n(0.1), n(0.02)];
      const err = (x: number) => Math.floor(x * 0.2 * rnd());
      const c = { nX, nZ, mX: nX.map(err) as [number, number, number], mZ: nZ.map(err) as [number, number, number] };
      const r = finiteKeyAnalysis(c, micius);
      for (const v of [r.secretKeyBits, r.qber, r.vacuumEvents, r.singlePhotonEvents, r.phaseErrorRate, r.errorCorrectionLeakageBits]) expect(Number.isFinite(v)).toBe(true);
      expect(r.secretKeyBits).toBeGreaterThanOrEqual(0);
      expect(r.secretKeyBits).toBeLessThanOrEqual(r.siftedKeyBits);
      expect(r.phaseErrorRate).toBeGreaterThanOrEqual(0);
      expect(r.phaseErrorRate).toBeLessThanOrEqual(0.5);
    }
  });

  it('no detections: zero key with a reason', () => {
    const r = finiteKeyLength({ nX: [0, 0, 0], mX: [0, 0, 0], nZ: [0, 0, 0], mZ: [0, 0, 0] }, micius);
    expect(r.secretKeyBits).toBe(0);
    expect(r.reason).toMatch(/no detections/);
  });
});

describe('parameter validation', () => {
  it.each([
    ['μ1 ≤ μ2 + μ3', { intensities: [0.2, 0.15, 0.1] }, 'intensities.0'],
    ['μ2 ≤ μ3', { intensities: [0.8, 0.1, 0.1] }, 'intensities.1'],
    ['probabilities not summing to 1', { intensityProbabilities: [0.5, 0.3, 0.3] }, 'intensityProbabilities'],
    ['basis probability 1', { keyBasisProbability: 1 }, 'keyBasisProbability'],
    ['f_EC below 1', { errorCorrectionEfficiency: 0.9 }, 'errorCorrectionEfficiency'],
    ['unknown field', { sourceRate: 1 }, ''],
  ])('rejects %s, naming the field', (_n, patch, path) => {
    const r = DecoyProtocolParamsSchema.safeParse({ ...micius, ...patch });
    expect(r.success).toBe(false);
    if (path) expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('the keyrate params file defaults passes to 1 and excess loss to 0', () => {
    const r = KeyrateParamsFileSchema.parse(micius);
    expect(r.passes).toBe(1);
    expect(r.excessLossDb).toBe(0);
  });
});
