/** Frames: the Sun/Moon table against direct astronomy-engine calls, Earth shadow, TEME → Earth-fixed. */
import { describe, expect, it } from 'vitest';
import { EARTH_OMEGA_RAD_S, gmstRad, illumination, makeSite, makeSkyEphemeris, moonTopocentric, sunEcefKm, sunElevationDeg, temeToEcef, topocentricElevationDeg } from '../planner/frames/index.ts';

const t0 = Date.parse('2026-11-29T00:00:00Z');

describe('Sun/Moon table (10-min grid, interpolated) vs direct astronomy-engine', () => {
  const sky = makeSkyEphemeris(t0, t0 + 7 * 86_400_000);
  const sites = [makeSite(40.3958, 117.5775, 900), makeSite(28.3003, -16.5122, 2390), makeSite(-33.9, 18.4, 0)];
  const out = new Float64Array(3);
  it.each(Array.from({ length: 12 }, (_, i) => t0 + i * 50_123_457))('at %d: Sun and Moon elevations within 0.003°', (t) => {
    for (const site of sites) {
      sky.sunEcefKm(t, out);
      expect(Math.abs(topocentricElevationDeg(site, out) - sunElevationDeg(site, t))).toBeLessThan(0.003);
      sky.moonEcefKm(t, out);
      expect(Math.abs(topocentricElevationDeg(site, out) - moonTopocentric(site, t).elDeg)).toBeLessThan(0.003);
    }
  });
});

describe('Earth shadow', () => {
  const sun = sunEcefKm(t0);
  const d = Math.hypot(...sun);
  const u = sun.map((x) => x / d) as [number, number, number];
  // A unit vector perpendicular to the Sun direction.
  const p = (() => {
    const a: [number, number, number] = Math.abs(u[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
    const c = [u[1] * a[2] - u[2] * a[1], u[2] * a[0] - u[0] * a[2], u[0] * a[1] - u[1] * a[0]];
    const n = Math.hypot(...c);
    return c.map((x) => x / n) as [number, number, number];
  })();
  const at = (along: number, off: number) => [-u[0] * along + p[0] * off, -u[1] * along + p[1] * off, -u[2] * along + p[2] * off] as [number, number, number];
  it.each([
    ['day side, 7,000 km', [u[0] * 7000, u[1] * 7000, u[2] * 7000], 'sunlit'],
    ['behind the Earth on the axis', at(7000, 0), 'umbra'],
    ['behind, 6,000 km off the axis', at(7000, 6000), 'umbra'],
    ['behind, 6,420 km off the axis (penumbra band)', at(7000, 6420), 'penumbra'],
    ['behind, 6,500 km off the axis', at(7000, 6500), 'sunlit'],
  ] as const)('%s → %s', (_l, pos, want) => expect(illumination(pos, sun)).toBe(want));
});

describe('TEME → Earth-fixed', () => {
  it('rotates by GMST and removes the Earth rotation from the velocity', () => {
    const g = gmstRad(t0);
    // A point co-rotating with the Earth over the equator: inertial velocity ω × r, Earth-fixed velocity 0.
    const r = { x: 7000 * Math.cos(g), y: 7000 * Math.sin(g), z: 0 };
    const v = { x: -EARTH_OMEGA_RAD_S * r.y, y: EARTH_OMEGA_RAD_S * r.x, z: 0 };
    const e = temeToEcef(r, v, g);
    expect(e.x).toBeCloseTo(7000, 9);
    expect(e.y).toBeCloseTo(0, 9);
    expect(Math.hypot(e.vx, e.vy, e.vz)).toBeLessThan(1e-12);
  });
});
