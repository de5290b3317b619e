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
  it.each([
    { name: 'beacon above boresight → raise elevation', fix: { dxUrad: 0, dyUrad: 100 }, el: 30, dAz: 0, dEl: 0.5 * 100e-6 * (180 / Math.PI) },
    { name: 'beacon right of boresight at el 60° → azimuth by 1/cos(el)', fix: { dxUrad: 100, dyUrad: 0 }, el: 60, dAz: (0.5 * 100e-6 * (180 / Math.PI)) / 0.5, dEl: 0 },
  ])('$name', ({ fix, el, dAz, dEl }) => {
    const c = updateCorrection(ZERO_CORRECTION, { tMs: 0, visible: true, ...fix }, el, 0.5);
    expect(c.dAzDeg).toBeCloseTo(dAz, 12);
    expect(c.dElDeg).toBeCloseTo(dEl, 12);
  });

  it('ignores frames without the beacon and caps the correction', () => {
    expect(updateCorrection(ZERO_CORRECTION, { tMs: 0, visible: false }, 30, 0.5)).toBe(ZERO_CORRECTION);
    const big = updateCorrection(ZERO_CORRECTION, { tMs: 0, visible: true, dxUrad: 1e6, dyUrad: -1e6 }, 30, 1, 0.2);
    expect(big).toEqual({ dAzDeg: 0.2, dElDeg: -0.2 });
  });

  it('converges on a constant ephemeris bias', () => {
    // The satellite is really 0.01° higher than the ephemeris says; the camera sees what is left of that.
    const biasDeg = 0.01;
    let c = ZERO_CORRECTION;
    for (let i = 0; i < 40; i++) {
      const residualUrad = (biasDeg - c.dElDeg) * (Math.PI / 180) * 1e6;
      c = updateCorrection(c, { tMs: i, visible: true, dxUrad: 0, dyUrad: residualUrad }, 45, 0.3);
    }
    expect(c.dElDeg).toBeCloseTo(biasDeg, 6);
    expect(applyCorrection({ azDeg: 359.999, elDeg: 45 }, { dAzDeg: 0.002, dElDeg: 0 }).azDeg).toBeCloseTo(0.001, 9);
  });
});
