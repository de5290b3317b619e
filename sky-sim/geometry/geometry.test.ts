import { describe, expect, it } from 'vitest';
import { createLookTrack, offsetUrad, wrap180 } from './look-track.ts';
import { syntheticPass } from './synthetic-pass.ts';

const T0 = Date.UTC(2026, 10, 29, 17, 0, 0);

describe('syntheticPass', () => {
  it.each([
    [500, 60, 15],
    [500, 89.5, 10],
    [1200, 30, 10],
  ])('alt %d km culminates at %d° and starts/ends at %d°', (altitudeKm, maxElevationDeg, minElevationDeg) => {
    const s = syntheticPass({ tcaMs: T0, altitudeKm, maxElevationDeg, minElevationDeg });
    const maxEl = Math.max(...s.map((x) => x.elDeg));
    expect(maxEl).toBeCloseTo(maxElevationDeg, 1);
    expect(s[0].elDeg).toBeGreaterThanOrEqual(minElevationDeg - 1e-6);
    expect(s[0].elDeg).toBeLessThan(minElevationDeg + 1);
    const minRange = Math.min(...s.map((x) => x.rangeKm));
    // Range at culmination is at least the altitude, equal to it at the zenith.
    expect(minRange).toBeGreaterThanOrEqual(altitudeKm - 1e-6);
    // Approaching first (negative range rate), receding last.
    expect(s[0].rangeRateKmS).toBeLessThan(0);
    expect(s[s.length - 1].rangeRateKmS).toBeGreaterThan(0);
  });

  it('gives a Micius-like pass: ~5 min above 15°, ranges 500–1,500 km', () => {
    const s = syntheticPass({ tcaMs: T0, altitudeKm: 500, maxElevationDeg: 60, minElevationDeg: 15 });
    const durS = (s[s.length - 1].tMs - s[0].tMs) / 1000;
    expect(durS).toBeGreaterThan(240);
    expect(durS).toBeLessThan(420);
    expect(Math.max(...s.map((x) => x.rangeKm))).toBeLessThan(1500);
  });
});

describe('createLookTrack', () => {
  it('interpolates azimuth the short way across north', () => {
    const r = createLookTrack([
      { tMs: 0, azDeg: 350, elDeg: 40, rangeKm: 800, rangeRateKmS: -1 },
      { tMs: 1000, azDeg: 10, elDeg: 42, rangeKm: 790, rangeRateKmS: -1 },
    ]);
    if (!r.ok) throw new Error(r.reason);
    const mid = r.track.at(500);
    expect(mid.azDeg).toBeCloseTo(0, 9);
    expect(mid.elDeg).toBeCloseTo(41, 9);
  });

  it.each([
    [[], /at least 2/],
    [[{ tMs: 0, azDeg: 0, elDeg: 0, rangeKm: 1, rangeRateKmS: 0 }, { tMs: 0, azDeg: 0, elDeg: 0, rangeKm: 1, rangeRateKmS: 0 }], /lookSamples\[1\]\.tMs/],
    [[{ tMs: 0, azDeg: NaN, elDeg: 0, rangeKm: 1, rangeRateKmS: 0 }, { tMs: 1, azDeg: 0, elDeg: 0, rangeKm: 1, rangeRateKmS: 0 }], /lookSamples\[0\]\.azDeg/],
  ])('rejects bad series with the field named (%#)', (samples, reason) => {
    const r = createLookTrack(samples);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('offsetUrad is the small-angle offset on the sky', () => {
    const o = offsetUrad({ azDeg: 359.99, elDeg: 60 }, { azDeg: 0.01, elDeg: 60.001 });
    expect(o.dxUrad).toBeCloseTo(0.02 * 0.5 * (Math.PI / 180) * 1e6, 0);
    expect(o.dyUrad).toBeCloseTo(0.001 * (Math.PI / 180) * 1e6, 3);
    expect(wrap180(540)).toBe(-180);
  });
});

describe('range interpolation', () => {
  it('a 1 Hz series interpolated with its range rate matches a 20 Hz series to < 1 m (photon delay to < 3 ns)', () => {
    const coarse = syntheticPass({ tcaMs: T0, altitudeKm: 500, maxElevationDeg: 70, minElevationDeg: 15, sampleRateHz: 1 });
    const fine = syntheticPass({ tcaMs: T0, altitudeKm: 500, maxElevationDeg: 70, minElevationDeg: 15, sampleRateHz: 20 });
    const r = createLookTrack(coarse);
    if (!r.ok) throw new Error(r.reason);
    let worstKm = 0;
    for (const s of fine) {
      if (s.tMs < r.track.startMs || s.tMs > r.track.endMs) continue;
      worstKm = Math.max(worstKm, Math.abs(r.track.at(s.tMs).rangeKm - s.rangeKm));
    }
    expect(worstKm).toBeLessThan(1e-3);
  });
});
