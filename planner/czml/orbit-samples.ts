/**
 * Earth-fixed position samples of a satellite from its TLE, for the CZML writer. SGP4 (satellite.js) gives TEME;
 * rotating by GMST gives the pseudo-Earth-fixed frame (polar motion ignored: ≤ 15 m, invisible at globe scale).
 * A 60 s step with Cesium's degree-5 Lagrange interpolation stays within metres of SGP4 for LEO.
 */
import { eciToEcf, gstime, propagate, twoline2satrec } from 'satellite.js';
import type { UtcMs } from '../time.ts';
import type { SatelliteTrack } from './types.ts';

export interface OrbitSampleOptions {
  startMs: UtcMs;
  endMs: UtcMs;
  stepS?: number;
}

export type TrackResult = { ok: true; track: SatelliteTrack } | { ok: false; satellite: string; reason: string };

export function sampleTleTrack(id: string, line1: string, line2: string, o: OrbitSampleOptions, name?: string): TrackResult {
  const stepMs = (o.stepS ?? 60) * 1000;
  if (!(stepMs > 0) || !(o.endMs > o.startMs)) return { ok: false, satellite: id, reason: 'empty time span or non-positive step' };
  // satellite.js parses by column and turns garbage into NaN elements rather than failing: check the shape first.
  if (!/^1 [ \d]{5}/.test(line1) || !/^2 [ \d]{5}/.test(line2) || line1.trimEnd().length !== 69 || line2.trimEnd().length !== 69) {
    return { ok: false, satellite: id, reason: 'not a two-line element set (69-column lines starting "1 " and "2 ")' };
  }
  const satrec = twoline2satrec(line1, line2);
  if (satrec.error !== 0) return { ok: false, satellite: id, reason: `SGP4 initialisation error ${satrec.error}` };
  const samples: SatelliteTrack['samples'] = [];
  for (let t = o.startMs; ; t += stepMs) {
    const tMs = Math.min(t, o.endMs);
    const date = new Date(tMs);
    const pv = propagate(satrec, date);
    if (!pv || typeof pv.position !== 'object') return { ok: false, satellite: id, reason: `SGP4 failed at ${date.toISOString()} (error ${satrec.error})` };
    const ecf = eciToEcf(pv.position, gstime(date));
    if (![ecf.x, ecf.y, ecf.z].every(Number.isFinite)) return { ok: false, satellite: id, reason: `SGP4 gave a non-finite position at ${date.toISOString()}` };
    samples.push({ tMs, positionEcefM: [ecf.x * 1000, ecf.y * 1000, ecf.z * 1000] });
    if (tMs >= o.endMs) break;
  }
  return { ok: true, track: { id, name, samples } };
}
