/**
 * Sun and Moon from astronomy-engine: topocentric apparent elevation/direction at a station (no refraction) and
 * the Sun's Earth-fixed direction for the shadow test. Astronomy-engine takes UTC as its UT (UT1 = UTC, docs/time.md).
 */
import * as Astronomy from 'astronomy-engine';
import type { Site } from './geodesy.ts';

const DEG = Math.PI / 180;
const AU_KM = 149_597_870.7;

export interface TopoDirection {
  azDeg: number;
  elDeg: number;
  distanceKm: number;
}

function topocentric(body: Astronomy.Body, site: Site, tMs: number): TopoDirection {
  const date = new Date(tMs);
  const obs = new Astronomy.Observer(site.latDeg, site.lonDeg, site.heightM);
  const eq = Astronomy.Equator(body, date, obs, true, true);
  const hor = Astronomy.Horizon(date, obs, eq.ra, eq.dec);
  return { azDeg: hor.azimuth, elDeg: hor.altitude, distanceKm: eq.dist * AU_KM };
}

/** Geometric (unrefracted) apparent elevation of the Sun's centre, degrees. */
export function sunElevationDeg(site: Site, tMs: number): number {
  return topocentric(Astronomy.Body.Sun, site, tMs).elDeg;
}

export function sunTopocentric(site: Site, tMs: number): TopoDirection {
  return topocentric(Astronomy.Body.Sun, site, tMs);
}

export function moonTopocentric(site: Site, tMs: number): TopoDirection {
  return topocentric(Astronomy.Body.Moon, site, tMs);
}

/** Moon illuminated fraction (0..1): a thin crescent near the line of sight matters less than a full Moon. */
export function moonIlluminatedFraction(tMs: number): number {
  return Astronomy.Illumination(Astronomy.Body.Moon, new Date(tMs)).phase_fraction;
}

/** Unit vector in the site's east-north-up frame for an azimuth/elevation. */
export function enuFromAzEl(azDeg: number, elDeg: number): [number, number, number] {
  const a = azDeg * DEG;
  const e = elDeg * DEG;
  return [Math.cos(e) * Math.sin(a), Math.cos(e) * Math.cos(a), Math.sin(e)];
}

/** Angle between two az/el directions, degrees. */
export function separationDeg(az1: number, el1: number, az2: number, el2: number): number {
  const [a, b, c] = enuFromAzEl(az1, el1);
  const [d, e, f] = enuFromAzEl(az2, el2);
  return Math.acos(Math.min(1, Math.max(-1, a * d + b * e + c * f))) / DEG;
}

/**
 * The Sun's geocentric position in the Earth-fixed frame, km: J2000 → true equator of date (precession-nutation)
 * → rotation by apparent sidereal time (no polar motion, which moves it by < 10 m at 1 AU-scaled angles).
 */
export function sunEcefKm(tMs: number): [number, number, number] {
  const time = Astronomy.MakeTime(new Date(tMs));
  const eqj = Astronomy.GeoVector(Astronomy.Body.Sun, time, true);
  const eqd = Astronomy.RotateVector(Astronomy.Rotation_EQJ_EQD(time), eqj);
  const gast = Astronomy.SiderealTime(time) * 15 * DEG;
  const c = Math.cos(gast);
  const s = Math.sin(gast);
  return [(c * eqd.x + s * eqd.y) * AU_KM, (-s * eqd.x + c * eqd.y) * AU_KM, eqd.z * AU_KM];
}
