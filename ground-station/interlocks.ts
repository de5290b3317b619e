/** Interlocks a station checks before and during a pass. */
import { Body, Equator, Horizon, Observer } from 'astronomy-engine';
import type { Interlock } from './automation/ports.ts';
import type { Site } from './adapters/radec.ts';

/** Night only: the Sun's centre must be below `maxElevationDeg` (−12°: nautical twilight; single-photon detectors). */
export function sunInterlock(site: Site, maxElevationDeg: number): Interlock {
  const observer = new Observer(site.latDeg, site.lonDeg, site.heightM);
  return {
    name: 'sun',
    async check(tMs) {
      const date = new Date(tMs);
      const eq = Equator(Body.Sun, date, observer, true, true);
      const el = Horizon(date, observer, eq.ra, eq.dec, 'normal').altitude;
      return el > maxElevationDeg ? `Sun at ${el.toFixed(1)}° elevation, above the ${maxElevationDeg}° limit` : null;
    },
  };
}
