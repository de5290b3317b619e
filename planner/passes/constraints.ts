/**
 * Optical constraints as functions of time, combined with the geometric window by the generic window search and
 * interval algebra: Sun below a threshold at the station, Moon far enough from the line of sight, satellite sunlit
 * or in Earth's shadow.
 */
import type { EcefState } from '../frames/earth-rotation.ts';
import type { Site } from '../frames/geodesy.ts';
import { topocentricElevationDeg, type SkyEphemeris } from '../frames/sky-cache.ts';
import { findWindows } from '../search/windows.ts';
import type { Interval } from '../time.ts';
import type { EcefPropagator } from './propagator.ts';

const DEG = Math.PI / 180;
const SUN_RADIUS_KM = 695_700;
const EARTH_SHADOW_RADIUS_KM = 6371 + 20;

export interface PassConstraints {
  /** Overrides every station's scalar mask (a station's horizon mask still applies), degrees. */
  minElevationDeg?: number;
  /** Usable only while the Sun's centre is below this elevation at the station; default −12° (nautical twilight). null: no Sun constraint. */
  sunMaxElevationDeg?: number | null;
  /** Usable only while the Moon is at least this far from the line of sight, degrees; default off. */
  moonMinSeparationDeg?: number | null;
  /** Usable only while the satellite is sunlit, or in Earth's umbra; default 'any'. */
  satelliteIllumination?: 'any' | 'sunlit' | 'shadow';
  /** Apparent elevations (standard atmosphere refraction) for the mask and the reported maximum; default false (geometric). */
  refraction?: boolean;
}

export const DEFAULT_SUN_MAX_ELEVATION_DEG = -12;

/** Nights at a station: where the Sun is below the threshold (5-min step; the Sun moves ≤ 0.25°/min in elevation). */
export function sunWindows(site: Site, sky: SkyEphemeris, startMs: number, endMs: number, sunMaxElevationDeg: number): Interval[] {
  const sun = new Float64Array(3);
  return findWindows(
    (t) => {
      sky.sunEcefKm(t, sun);
      return sunMaxElevationDeg - topocentricElevationDeg(site, sun);
    },
    startMs,
    endMs,
    { stepMs: 300_000, toleranceMs: 100 },
  );
}

/** Distance outside the umbra cone, km (> 0: lit or penumbra, < 0: in umbra). */
export function umbraMarginKm(x: number, y: number, z: number, sun: Float64Array): number {
  const sd = Math.hypot(sun[0]!, sun[1]!, sun[2]!);
  const ux = sun[0]! / sd;
  const uy = sun[1]! / sd;
  const uz = sun[2]! / sd;
  const along = -(x * ux + y * uy + z * uz);
  const off = Math.hypot(x + along * ux, y + along * uy, z + along * uz);
  if (along <= 0) return off; // on the day side: always lit, and off ≥ 0 keeps the function continuous in sign
  const umbraR = EARTH_SHADOW_RADIUS_KM - along * Math.tan(Math.asin((SUN_RADIUS_KM - EARTH_SHADOW_RADIUS_KM) / sd));
  return off - umbraR;
}

/** Moon separation from the line of sight minus the threshold, degrees. */
export function moonMarginFn(site: Site, sky: SkyEphemeris, prop: EcefPropagator, minSepDeg: number): (t: number) => number {
  const moon = new Float64Array(3);
  const st: EcefState = { x: 0, y: 0, z: 0, vx: 0, vy: 0, vz: 0 };
  return (t) => {
    if (!prop(t, st)) return -1;
    sky.moonEcefKm(t, moon);
    const ax = st.x - site.x, ay = st.y - site.y, az = st.z - site.z;
    const bx = moon[0]! - site.x, by = moon[1]! - site.y, bz = moon[2]! - site.z;
    const c = (ax * bx + ay * by + az * bz) / (Math.hypot(ax, ay, az) * Math.hypot(bx, by, bz));
    return Math.acos(Math.min(1, Math.max(-1, c))) / DEG - minSepDeg;
  };
}

export function illuminationMarginFn(sky: SkyEphemeris, prop: EcefPropagator, want: 'sunlit' | 'shadow'): (t: number) => number {
  const sun = new Float64Array(3);
  const st: EcefState = { x: 0, y: 0, z: 0, vx: 0, vy: 0, vz: 0 };
  return (t) => {
    if (!prop(t, st)) return -1;
    sky.sunEcefKm(t, sun);
    const m = umbraMarginKm(st.x, st.y, st.z, sun);
    return want === 'sunlit' ? m : -m;
  };
}

/** Refines a constraint over each window: 10 s step (a pass's geometry changes little faster), 10 ms tolerance. */
export function windowsWhere(g: (t: number) => number, within: readonly Interval[]): Interval[] {
  return within.flatMap((w) => findWindows(g, w.startMs, w.endMs, { stepMs: 10_000, toleranceMs: 10 }));
}
