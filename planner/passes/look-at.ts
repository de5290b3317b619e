/** Look angles of one satellite from one station at one instant (geometric, no light time, no refraction). */
import type { CatalogEntry } from '../catalog/types.ts';
import type { EcefState } from '../frames/earth-rotation.ts';
import { lookFrom } from '../frames/look.ts';
import type { Station } from '../stations/types.ts';
import type { LookSample } from '../types.ts';
import { toIso } from '../time.ts';
import { makeEcefPropagator, type EvalCounter } from './propagator.ts';
import { siteOf } from './site-cache.ts';

/** Throws when SGP4 cannot propagate the set to tMs (decayed or diverged): ask only within the set's life. */
export function lookAt(sat: CatalogEntry, station: Station, tMs: number, counter?: EvalCounter): LookSample {
  const st: EcefState = { x: 0, y: 0, z: 0, vx: 0, vy: 0, vz: 0 };
  if (!makeEcefPropagator(sat, counter)(tMs, st)) throw new Error(`SGP4 cannot propagate NORAD ${sat.noradId} to ${toIso(tMs)} (error ${sat.satrec.error})`);
  const l = lookFrom(siteOf(station), st);
  return { tMs, azDeg: l.azDeg, elDeg: l.elDeg, rangeKm: l.rangeKm, rangeRateKmS: l.rangeRateKmS };
}
