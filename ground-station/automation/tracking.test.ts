import { describe, expect, it } from 'vitest';
import type { LookSample } from '../../planner/types.ts';
import { EphemerisTrack, ZERO_CORRECTION, applyCorrection, updateCorrection } from './tracking.ts';

const s = (tMs: number, azDeg: number, elDeg: number): LookSample => ({ tMs, azDeg, elDeg, rangeKm: 800, rangeRateKmS: 0 });

describe('ephemeris track', () => {
  const track = new EphemerisTrack([s(0, 350, 10), s(1000, 10, 20), s(2000, 30, 30)]);
  it.each([
    { t: -5, az: 350, el: 10 },
    { t: 0, az: 350, el: 10 },
    { t: 500, az: 0, el: 15 }, // across north the short way, not through 180°
    { t: 750, az: 5, el: 17.5 },
    { t: 1500, az: 20, el: 25 },
    { t: 9999, az: 30, el: 30 },
  ])('at $t ms → az $az° el $el°', ({ t, az, el }) => {
    const p = track.at(t);
    expect(p.azDeg).toBeCloseTo(az, 9);
    expect(p.elDeg).toBeCloseTo(el, 9);
  });

  it('refuses unordered or too-short ephemerides', () => {
    expect(() => new EphemerisTrack([s(0, 0, 10)])).toThrow(/at least 2/);
    expect(() => new EphemerisTrack([s(0, 0, 10), s(0, 1, 10)])).toThrow(/increasing/);
  });
});

describe('beacon closed loop', () => {
  const D = 100e-6 * (180 / Math.PI); // 100 µrad in degrees
  it.each([
    { name: 'mount on the ephemeris, beacon above → raise elevation', fix: { dxUrad: 0, dyUrad: 100 }, achieved: { azDeg: 10, elDeg: 30 }, dAz: 0, dEl: 0.5 * D },
    { name: 'beacon right at el 60° → azimuth by 1/cos(el)', fix: { dxUrad: 100, dyUrad: 0 }, achieved: { azDeg: 10, elDeg: 60 }, dAz: (0.5 * D) / Math.cos(Math.PI / 3), dEl: 0 },
    // The mount lags the ephemeris by 0.2° in azimuth and the camera sees exactly that lag: no ephemeris error.
    { name: 'mount lag seen by the camera is not an ephemeris error', fix: { dxUrad: 0.2 * Math.cos(Math.PI / 6) * (Math.PI / 180) * 1e6, dyUrad: 0 }, achieved: { azDeg: 9.8, elDeg: 30 }, dAz: 0, dEl: 0 },
  ])('$name', ({ fix, achieved, dAz, dEl }) => {
    const eph = { azDeg: 10, elDeg: achieved.elDeg };
    const c = updateCorrection(ZERO_CORRECTION, { tMs: 0, visible: true, ...fix }, achieved, eph, 0.5);
    expect(c.dAzDeg).toBeCloseTo(dAz, 9);
    expect(c.dElDeg).toBeCloseTo(dEl, 9);
  });

  it('ignores frames without the beacon and caps the correction', () => {
    const p = { azDeg: 10, elDeg: 30 };
    expect(updateCorrection(ZERO_CORRECTION, { tMs: 0, visible: false }, p, p, 0.5)).toBe(ZERO_CORRECTION);
    const big = updateCorrection(ZERO_CORRECTION, { tMs: 0, visible: true, dxUrad: 1e6, dyUrad: -1e6 }, p, p, 1, 0.2);
    expect(big).toEqual({ dAzDeg: 0.2, dElDeg: -0.2 });
  });

  it('converges on a constant ephemeris bias while the mount follows the corrected command', () => {
    // The satellite is really 0.01° higher than the ephemeris says; the mount points where it is told.
    const biasDeg = 0.01;
    const eph = { azDeg: 100, elDeg: 45 };
    let c = ZERO_CORRECTION;
    for (let i = 0; i < 60; i++) {
      const achieved = applyCorrection(eph, c);
      const residualUrad = (eph.elDeg + biasDeg - achieved.elDeg) * (Math.PI / 180) * 1e6;
      c = updateCorrection(c, { tMs: i, visible: true, dxUrad: 0, dyUrad: residualUrad }, achieved, eph, 0.3);
    }
    expect(c.dElDeg).toBeCloseTo(biasDeg, 6);
    expect(applyCorrection({ azDeg: 359.999, elDeg: 45 }, { dAzDeg: 0.002, dElDeg: 0 }).azDeg).toBeCloseTo(0.001, 9);
  });
});
