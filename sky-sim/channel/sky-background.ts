/**
 * Background light of the receiver (all four detectors together; the simulation splits it evenly) from the sky, as a function of the Sun's and the Moon's positions at the
 * station (astronomy-engine, topocentric). An empirical model, documented as such (docs/sky-sim.md §background):
 * - night sky: a constant rate (airglow, starlight, light pollution) seen through the receiver's field of view
 *   and filters;
 * - Moon: ∝ illuminated fraction × sin(moon elevation), enhanced near the line of sight by forward scattering
 *   (× (1 + 4·e^(−separation/15°)));
 * - twilight: the sky brightens by ~1 magnitude (×10^0.4) per degree of solar elevation between −18° and 0°;
 *   above the horizon the sky is day-bright (×10^(0.4·18) ≈ 1.6·10^7 over the night sky).
 */
import * as Astronomy from 'astronomy-engine';
import type { UtcMs } from '../../planner/time.ts';

export interface BackgroundParams {
  nightSkyRateHz: number;
  /** Rate from a full Moon at the zenith, far from the line of sight. */
  fullMoonRateHz: number;
}

export interface SkySite {
  latDeg: number;
  lonDeg: number;
  heightM: number;
}

export interface SkyConditions {
  sunElevationDeg: number;
  moonElevationDeg: number;
  moonIlluminatedFraction: number;
  moonAzDeg: number;
}

export function skyConditions(site: SkySite, tMs: UtcMs): SkyConditions {
  const date = new Date(tMs);
  const obs = new Astronomy.Observer(site.latDeg, site.lonDeg, site.heightM);
  const horizon = (body: Astronomy.Body) => {
    const eq = Astronomy.Equator(body, date, obs, true, true);
    return Astronomy.Horizon(date, obs, eq.ra, eq.dec);
  };
  const sun = horizon(Astronomy.Body.Sun);
  const moon = horizon(Astronomy.Body.Moon);
  return {
    sunElevationDeg: sun.altitude,
    moonElevationDeg: moon.altitude,
    moonAzDeg: moon.azimuth,
    moonIlluminatedFraction: Astronomy.Illumination(Astronomy.Body.Moon, date).phase_fraction,
  };
}

/** Angular separation, degrees. */
export function separationDeg(az1: number, el1: number, az2: number, el2: number): number {
  const d = Math.PI / 180;
  const c = Math.sin(el1 * d) * Math.sin(el2 * d) + Math.cos(el1 * d) * Math.cos(el2 * d) * Math.cos((az1 - az2) * d);
  return Math.acos(Math.max(-1, Math.min(1, c))) / d;
}

/** Background count rate of the receiver (four detectors together), Hz, looking at (azDeg, elDeg). */
export function backgroundRateHz(p: BackgroundParams, sky: SkyConditions, look: { azDeg: number; elDeg: number }): number {
  let rate = p.nightSkyRateHz;
  if (sky.moonElevationDeg > 0) {
    const sep = separationDeg(sky.moonAzDeg, sky.moonElevationDeg, look.azDeg, look.elDeg);
    rate += p.fullMoonRateHz * sky.moonIlluminatedFraction * Math.sin((sky.moonElevationDeg * Math.PI) / 180) * (1 + 4 * Math.exp(-sep / 15));
  }
  if (sky.sunElevationDeg > -18) rate += p.nightSkyRateHz * 10 ** (0.4 * (Math.min(sky.sunElevationDeg, 0) + 18));
  return rate;
}
