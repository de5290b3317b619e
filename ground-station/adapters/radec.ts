/**
 * Az/el ↔ RA/Dec of date (true equator and equinox of date, "JNow"), the frame INDI's EQUATORIAL_EOD_COORD speaks.
 * Uses astronomy-engine's rotation between the horizontal frame and the equator of date (precession, nutation and
 * Earth rotation through apparent sidereal time). Geometric, no refraction either way: the tracking ephemeris is
 * geometric and the mount's own model owns refraction, so the round trip stays exact. UT1 = UTC (planner/time.ts).
 * Checked against Skyfield in radec.test.ts.
 */
import { EquatorFromVector, Horizon, MakeTime, Observer, RotateVector, Rotation_HOR_EQD, Spherical, VectorFromHorizon } from 'astronomy-engine';
import type { AzEl } from '../../planner/ports.ts';
import type { UtcMs } from '../../planner/time.ts';

export interface Site {
  latDeg: number;
  /** East-positive. */
  lonDeg: number;
  heightM: number;
}

export interface RaDec {
  raHours: number;
  decDeg: number;
}

export function azElToRaDecOfDate(p: AzEl, site: Site, tMs: UtcMs): RaDec {
  const time = MakeTime(new Date(tMs));
  const observer = new Observer(site.latDeg, site.lonDeg, site.heightM);
  const hor = VectorFromHorizon(new Spherical(p.elDeg, p.azDeg, 1), time, '');
  const eq = EquatorFromVector(RotateVector(Rotation_HOR_EQD(time, observer), hor));
  return { raHours: ((eq.ra % 24) + 24) % 24, decDeg: eq.dec };
}

export function raDecOfDateToAzEl(p: RaDec, site: Site, tMs: UtcMs): AzEl {
  const h = Horizon(new Date(tMs), new Observer(site.latDeg, site.lonDeg, site.heightM), p.raHours, p.decDeg);
  return { azDeg: ((h.azimuth % 360) + 360) % 360, elDeg: h.altitude };
}

/** Great-circle angle between two pointings, degrees (what a pointing error is). */
export function separationDeg(a: AzEl, b: AzEl): number {
  const r = Math.PI / 180;
  const s =
    Math.sin(a.elDeg * r) * Math.sin(b.elDeg * r) + Math.cos(a.elDeg * r) * Math.cos(b.elDeg * r) * Math.cos((a.azDeg - b.azDeg) * r);
  return Math.acos(Math.min(1, Math.max(-1, s))) / r;
}
