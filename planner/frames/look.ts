/**
 * Topocentric look angles from Earth-fixed positions: azimuth from north through east, geometric elevation from the
 * ellipsoid normal (no refraction), range and range rate, and the elevation rate used by the window search.
 * No light-time correction: the geometric (instantaneous) direction, as Skyfield's `(sat - topos).at(t).altaz()`.
 */
import type { Site } from './geodesy.ts';
import type { EcefState } from './earth-rotation.ts';

const RAD = 180 / Math.PI;

export interface Look {
  azDeg: number;
  elDeg: number;
  rangeKm: number;
  rangeRateKmS: number;
  elRateDegS: number;
}

export function lookFrom(site: Site, s: EcefState): Look {
  const dx = s.x - site.x;
  const dy = s.y - site.y;
  const dz = s.z - site.z;
  const rho = Math.sqrt(dx * dx + dy * dy + dz * dz);
  const up = dx * site.ux + dy * site.uy + dz * site.uz;
  const east = dx * site.ex + dy * site.ey + dz * site.ez;
  const north = dx * site.nx + dy * site.ny + dz * site.nz;
  const rhoDot = (dx * s.vx + dy * s.vy + dz * s.vz) / rho;
  const upDot = s.vx * site.ux + s.vy * site.uy + s.vz * site.uz;
  const sinEl = up / rho;
  const cosEl = Math.sqrt(Math.max(1e-300, 1 - sinEl * sinEl));
  const elRate = (upDot / rho - (up * rhoDot) / (rho * rho)) / cosEl;
  let az = Math.atan2(east, north) * RAD;
  if (az < 0) az += 360;
  return { azDeg: az, elDeg: Math.asin(sinEl) * RAD, rangeKm: rho, rangeRateKmS: rhoDot, elRateDegS: elRate * RAD };
}

/** Elevation (rad) and its rate (rad/s) only: the hot path of the window search. */
export function elevationAndRate(site: Site, x: number, y: number, z: number, vx: number, vy: number, vz: number, out: Float64Array): void {
  const dx = x - site.x;
  const dy = y - site.y;
  const dz = z - site.z;
  const rho2 = dx * dx + dy * dy + dz * dz;
  const rho = Math.sqrt(rho2);
  const up = dx * site.ux + dy * site.uy + dz * site.uz;
  const rhoDot = (dx * vx + dy * vy + dz * vz) / rho;
  const upDot = vx * site.ux + vy * site.uy + vz * site.uz;
  const sinEl = up / rho;
  const cosEl = Math.sqrt(Math.max(1e-300, 1 - sinEl * sinEl));
  out[0] = Math.asin(sinEl);
  out[1] = (upDot / rho - (up * rhoDot) / rho2) / cosEl;
  out[2] = rho;
}
