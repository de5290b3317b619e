/** Sun elevation at a place and time, for the night-only filter when the plan does not carry it. */
import { Body, Equator, Horizon, Observer } from 'astronomy-engine';

export function sunElevationDeg(tMs: number, latDeg: number, lonDeg: number): number {
  const when = new Date(tMs);
  const observer = new Observer(latDeg, lonDeg, 0);
  const eq = Equator(Body.Sun, when, observer, true, true);
  // No refraction: the filter thresholds (−12°, −18°) are far below where refraction matters.
  return Horizon(when, observer, eq.ra, eq.dec).altitude;
}
