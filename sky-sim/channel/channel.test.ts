import { describe, expect, it } from 'vitest';
import { Rng } from '../random/prng.ts';
import { Scintillation } from './scintillation.ts';
import { backgroundRateHz, skyConditions } from './sky-background.ts';

describe('Scintillation', () => {
  it('has mean 1, the configured index, and correlation exp(-Δt/τ)', () => {
    const s = new Scintillation({ scintillationIndexZenith: 0.1, maxScintillationIndex: 1, correlationMs: 20 }, new Rng(1));
    const xs: number[] = [];
    for (let i = 0; i < 400_000; i++) xs.push(s.step(1, 90));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    // 400 s of 20 ms correlation: ~10^4 independent samples → mean good to ~0.3 %·5.
    expect(Math.abs(mean - 1)).toBeLessThan(0.02);
    expect(variance).toBeGreaterThan(0.08);
    expect(variance).toBeLessThan(0.12);
    // Correlation of ln I at a lag of one correlation time ≈ 1/e.
    const ln = xs.map(Math.log);
    const m = ln.reduce((a, b) => a + b, 0) / ln.length;
    let c0 = 0, c20 = 0;
    for (let i = 0; i + 20 < ln.length; i++) {
      c0 += (ln[i] - m) ** 2;
      c20 += (ln[i] - m) * (ln[i + 20] - m);
    }
    expect(c20 / c0).toBeGreaterThan(Math.exp(-1) - 0.05);
    expect(c20 / c0).toBeLessThan(Math.exp(-1) + 0.05);
  });

  it('grows toward the horizon like sec(ζ)^(11/6), up to the cap', () => {
    const s = new Scintillation({ scintillationIndexZenith: 0.02, maxScintillationIndex: 0.5, correlationMs: 20 }, new Rng(1));
    const idx = (el: number) => Math.expm1(s.logSigma(el) ** 2);
    expect(idx(90)).toBeCloseTo(0.02, 10);
    expect(idx(30)).toBeCloseTo(0.02 * 2 ** (11 / 6), 10);
    expect(idx(2)).toBeCloseTo(0.5, 10);
  });
});

describe('sky background', () => {
  const params = { nightSkyRateHz: 50, fullMoonRateHz: 1500 };
  const xinglong = { latDeg: 40.3958, lonDeg: 117.5775, heightM: 960 };

  it('is the night-sky rate on a dark night and grows with the Moon and twilight', () => {
    const dark = { sunElevationDeg: -40, moonElevationDeg: -10, moonIlluminatedFraction: 1, moonAzDeg: 0 };
    expect(backgroundRateHz(params, dark, { azDeg: 0, elDeg: 60 })).toBe(50);
    const moon = { ...dark, moonElevationDeg: 50, moonAzDeg: 180 };
    const far = backgroundRateHz(params, moon, { azDeg: 0, elDeg: 30 });
    const near = backgroundRateHz(params, moon, { azDeg: 180, elDeg: 45 });
    expect(far).toBeGreaterThan(50);
    expect(near).toBeGreaterThan(far);
    expect(backgroundRateHz(params, { ...dark, sunElevationDeg: -10 }, { azDeg: 0, elDeg: 60 })).toBeCloseTo(50 + 50 * 10 ** (0.4 * 8), 6);
  });

  it('takes Sun and Moon from astronomy-engine: night and day at Xinglong', () => {
    // 2026-11-29: Beijing time 00:50 is 16:50 UTC (night); 04:00 UTC is noon there.
    const night = skyConditions(xinglong, Date.UTC(2026, 10, 28, 16, 50));
    const noon = skyConditions(xinglong, Date.UTC(2026, 10, 29, 4, 0));
    expect(night.sunElevationDeg).toBeLessThan(-18);
    expect(noon.sunElevationDeg).toBeGreaterThan(20);
    expect(noon.moonIlluminatedFraction).toBeGreaterThanOrEqual(0);
    expect(noon.moonIlluminatedFraction).toBeLessThanOrEqual(1);
  });
});
