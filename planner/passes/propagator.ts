/**
 * One SGP4 evaluation → Earth-fixed state. Every evaluation goes through here so the benchmark can count them.
 */
import { sgp4 } from 'satellite.js';
import type { CatalogEntry } from '../catalog/types.ts';
import { gmstRad, temeToEcef, type EcefState } from '../frames/earth-rotation.ts';

/** Counts SGP4 evaluations (benchmarks report them next to wall time). */
export interface EvalCounter {
  sgp4Evaluations: number;
}

export type EcefPropagator = (tMs: number, out: EcefState) => boolean;

/** Earth-fixed state at tMs; false when SGP4 fails there (decay, eccentricity blow-up). */
export function makeEcefPropagator(sat: Pick<CatalogEntry, 'satrec' | 'epochMs'>, counter?: EvalCounter): EcefPropagator {
  const satrec = sat.satrec;
  // Minutes since epoch from the satrec's own Julian date, so the epoch rounding matches satellite.js/Skyfield.
  const epochMs = (satrec.jdsatepoch - 2440587.5) * 86_400_000;
  return (tMs, out) => {
    if (counter) counter.sgp4Evaluations++;
    const pv = sgp4(satrec, (tMs - epochMs) / 60_000);
    if (!pv || satrec.error !== 0) return false;
    const p = pv.position as { x: number; y: number; z: number };
    const v = pv.velocity as { x: number; y: number; z: number };
    if (!Number.isFinite(p.x)) return false;
    temeToEcef(p, v, gmstRad(tMs), out);
    return true;
  };
}

/** TEME state (km, km/s) for callers that need the inertial frame (light time, inter-satellite geometry). */
export function temeAt(sat: Pick<CatalogEntry, 'satrec'>, tMs: number, counter?: EvalCounter): { r: [number, number, number]; v: [number, number, number] } | null {
  if (counter) counter.sgp4Evaluations++;
  const epochMs = (sat.satrec.jdsatepoch - 2440587.5) * 86_400_000;
  const pv = sgp4(sat.satrec, (tMs - epochMs) / 60_000);
  if (!pv || sat.satrec.error !== 0) return null;
  const p = pv.position as { x: number; y: number; z: number };
  const v = pv.velocity as { x: number; y: number; z: number };
  if (!Number.isFinite(p.x)) return null;
  return { r: [p.x, p.y, p.z], v: [v.x, v.y, v.z] };
}
