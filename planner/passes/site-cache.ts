/** Station → precomputed Earth-fixed site (position and local frame), cached per station object. */
import { makeSite, type Site } from '../frames/geodesy.ts';
import type { Station } from '../stations/types.ts';

const cache = new WeakMap<Station, Site>();

export function siteOf(station: Station): Site {
  let s = cache.get(station);
  if (!s) {
    s = makeSite(station.latDeg, station.lonDeg, station.heightM);
    cache.set(station, s);
  }
  return s;
}
