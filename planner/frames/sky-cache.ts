/**
 * Sun and Moon positions for a whole planning span from a few hundred astronomy-engine calls: geocentric vectors in
 * the true-equator-of-date frame on a 10-minute grid, linearly interpolated (the Sun moves 0.04° and the Moon
 * 0.09° per step in that frame: interpolation error < 0.0003°), then rotated to Earth-fixed at the exact instant.
 * Pass prediction evaluates Sun/Moon thousands of times per satellite; this keeps them off the hot path.
 */
import * as Astronomy from 'astronomy-engine';
import { gmstRad } from './earth-rotation.ts';
import type { Site } from './geodesy.ts';

const AU_KM = 149_597_870.7;
const DEG = Math.PI / 180;

export interface SkyEphemeris {
  /** Geocentric Earth-fixed position, km, written to out[0..2]. */
  sunEcefKm(tMs: number, out: Float64Array): void;
  moonEcefKm(tMs: number, out: Float64Array): void;
}

function eqdKm(body: Astronomy.Body, tMs: number): { x: number; y: number; z: number; eqeqRad: number } {
  const time = Astronomy.MakeTime(new Date(tMs));
  const v = Astronomy.RotateVector(Astronomy.Rotation_EQJ_EQD(time), Astronomy.GeoVector(body, time, true));
  // GAST − GMST (equation of the equinoxes, ~1"): EQD is rotated by GAST, our Earth-fixed frame by IAU-82 GMST.
  const eqeqRad = Astronomy.SiderealTime(time) * 15 * DEG - gmstRad(tMs);
  return { x: v.x * AU_KM, y: v.y * AU_KM, z: v.z * AU_KM, eqeqRad: Math.atan2(Math.sin(eqeqRad), Math.cos(eqeqRad)) };
}

export function makeSkyEphemeris(startMs: number, endMs: number, stepMs = 600_000): SkyEphemeris {
  const t0 = startMs - stepMs;
  const n = Math.ceil((endMs - t0) / stepMs) + 2;
  const tables = [Astronomy.Body.Sun, Astronomy.Body.Moon].map((body) => {
    const tab = new Float64Array(n * 4);
    for (let i = 0; i < n; i++) {
      const p = eqdKm(body, t0 + i * stepMs);
      tab.set([p.x, p.y, p.z, p.eqeqRad], i * 4);
    }
    return tab;
  });
  const at = (tab: Float64Array, body: Astronomy.Body, tMs: number, out: Float64Array) => {
    const u = (tMs - t0) / stepMs;
    let x: number, y: number, z: number, eq: number;
    if (u < 0 || u >= n - 1) {
      const p = eqdKm(body, tMs);
      x = p.x;
      y = p.y;
      z = p.z;
      eq = p.eqeqRad;
    } else {
      const i = Math.floor(u);
      const f = u - i;
      const k = i * 4;
      x = tab[k]! + f * (tab[k + 4]! - tab[k]!);
      y = tab[k + 1]! + f * (tab[k + 5]! - tab[k + 1]!);
      z = tab[k + 2]! + f * (tab[k + 6]! - tab[k + 2]!);
      eq = tab[k + 3]!;
    }
    const th = gmstRad(tMs) + eq;
    const c = Math.cos(th);
    const s = Math.sin(th);
    out[0] = c * x + s * y;
    out[1] = -s * x + c * y;
    out[2] = z;
  };
  return {
    sunEcefKm: (t, out) => at(tables[0]!, Astronomy.Body.Sun, t, out),
    moonEcefKm: (t, out) => at(tables[1]!, Astronomy.Body.Moon, t, out),
  };
}

/** Topocentric elevation (deg) of a body given its geocentric Earth-fixed position. */
export function topocentricElevationDeg(site: Site, body: Float64Array): number {
  const dx = body[0]! - site.x;
  const dy = body[1]! - site.y;
  const dz = body[2]! - site.z;
  const up = dx * site.ux + dy * site.uy + dz * site.uz;
  return Math.asin(up / Math.sqrt(dx * dx + dy * dy + dz * dz)) / DEG;
}
