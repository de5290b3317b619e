/**
 * TEME (SGP4's output frame) → Earth-fixed, the Vallado way: rotate by GMST (IAU-82) about z, no polar motion.
 * UT1 = UTC (docs/time.md): |DUT1| < 0.9 s is < 0.42 km of ground rotation at the equator, and the committed
 * Skyfield fixtures are generated with the same convention, so comparisons test the algorithm, not the time scale.
 */
import { gstime } from 'satellite.js';

/** Earth rotation rate, rad/s (IERS). */
export const EARTH_OMEGA_RAD_S = 7.292115146706979e-5;

export function julianDateUtc(tMs: number): number {
  return tMs / 86_400_000 + 2440587.5;
}

/** Greenwich mean sidereal time (IAU-82, as SGP4 expects), rad. */
export function gmstRad(tMs: number): number {
  return gstime(julianDateUtc(tMs));
}

/** Earth-fixed state, km and km/s (velocity relative to the rotating Earth). */
export interface EcefState {
  x: number;
  y: number;
  z: number;
  vx: number;
  vy: number;
  vz: number;
}

export function temeToEcef(
  r: { x: number; y: number; z: number },
  v: { x: number; y: number; z: number },
  gmst: number,
  out: EcefState = { x: 0, y: 0, z: 0, vx: 0, vy: 0, vz: 0 },
): EcefState {
  const c = Math.cos(gmst);
  const s = Math.sin(gmst);
  const x = c * r.x + s * r.y;
  const y = -s * r.x + c * r.y;
  out.x = x;
  out.y = y;
  out.z = r.z;
  // v_ecef = R v_teme − ω × r_ecef
  out.vx = c * v.x + s * v.y + EARTH_OMEGA_RAD_S * y;
  out.vy = -s * v.x + c * v.y - EARTH_OMEGA_RAD_S * x;
  out.vz = v.z;
  return out;
}
