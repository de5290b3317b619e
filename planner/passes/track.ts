/**
 * Tracking ephemeris for the telescope: azimuth, elevation, range and range rate at a fixed cadence.
 *
 * Frame: topocentric horizon of the station on the WGS84 ellipsoid normal; azimuth from true north through east;
 * geometric elevation (no refraction: the mount's pointing model or the beacon loop absorbs it).
 * Light time: `lightTime: 'receive'` (the default here) gives the direction light arrives from at the station at t:
 * the satellite's TEME position at t − ρ/c, rotated to Earth-fixed at t (this keeps the Sagnac term). 'none' gives
 * the instantaneous geometric direction, the convention of pass prediction. At 1,000 km the difference is ~3.3 ms
 * of flight, ~25 m along-track, ~25 µrad — larger than Micius's 10 µrad beam, so the receiver must use it.
 */
import type { CatalogEntry } from '../catalog/types.ts';
import { gmstRad, temeToEcef, type EcefState } from '../frames/earth-rotation.ts';
import { lookFrom } from '../frames/look.ts';
import type { Station } from '../stations/types.ts';
import { toIso } from '../time.ts';
import type { LookSample } from '../types.ts';
import { temeAt, type EvalCounter } from './propagator.ts';
import { siteOf } from './site-cache.ts';

export const SPEED_OF_LIGHT_KM_S = 299_792.458;

export interface TrackingOptions {
  lightTime?: 'receive' | 'none';
  counter?: EvalCounter;
}

export const DEFAULT_TRACK_RATE_HZ = 10;

/** Samples at startMs + k/rateHz for every k with the instant < endMs. Throws on a bad span/rate or a propagation failure. */
export function trackingEphemeris(sat: CatalogEntry, station: Station, startMs: number, endMs: number, rateHz = DEFAULT_TRACK_RATE_HZ, opts: TrackingOptions = {}): LookSample[] {
  if (!(endMs > startMs)) throw new RangeError(`end ${toIso(endMs)} is not after start ${toIso(startMs)}`);
  if (!(rateHz > 0 && rateHz <= 1000)) throw new RangeError(`rate ${rateHz} Hz outside (0, 1000]`);
  const site = siteOf(station);
  const lightTime = opts.lightTime ?? 'receive';
  const stepMs = 1000 / rateHz;
  const n = Math.ceil((endMs - startMs) / stepMs);
  const out: LookSample[] = [];
  const st: EcefState = { x: 0, y: 0, z: 0, vx: 0, vy: 0, vz: 0 };
  for (let k = 0; k < n; k++) {
    const t = startMs + k * stepMs;
    const gmst = gmstRad(t);
    let emitT = t;
    // Two fixed-point iterations: the light time changes by < 1 ns between them for LEO.
    for (let it = 0; it < (lightTime === 'receive' ? 3 : 1); it++) {
      const pv = temeAt(sat, emitT, opts.counter);
      if (!pv) throw new Error(`SGP4 cannot propagate NORAD ${sat.noradId} to ${toIso(emitT)}`);
      temeToEcef({ x: pv.r[0], y: pv.r[1], z: pv.r[2] }, { x: pv.v[0], y: pv.v[1], z: pv.v[2] }, gmst, st);
      if (lightTime === 'none') break;
      const rho = Math.hypot(st.x - site.x, st.y - site.y, st.z - site.z);
      emitT = t - (rho / SPEED_OF_LIGHT_KM_S) * 1000;
    }
    const l = lookFrom(site, st);
    out.push({ tMs: t, azDeg: l.azDeg, elDeg: l.elDeg, rangeKm: l.rangeKm, rangeRateKmS: l.rangeRateKmS });
  }
  return out;
}
