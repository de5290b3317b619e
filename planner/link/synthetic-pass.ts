/**
 * An idealised pass: circular orbit over a spherical, non-rotating Earth, as look samples from a station. Used
 * by tests, benches and the `pass-report --synthetic` demo where a TLE pass would drag in SGP4 and its epoch;
 * it reproduces the range–elevation relation that the link budget depends on exactly.
 */
import type { LookSample } from '../types.ts';

const EARTH_RADIUS_KM = 6371.0;
const GM_KM3_S2 = 398600.4418;

export interface SyntheticPassOptions {
  altitudeKm: number;
  maxElevationDeg: number;
  /** Pass limited to elevations above this (default 10°). */
  minElevationDeg?: number;
  stepS?: number;
  /** Instant of the culmination (TCA), default 0. */
  tcaMs?: number;
}

/** Central angle between station and sub-satellite point at a given elevation. */
function centralAngleRad(orbitRadiusKm: number, elevationDeg: number): number {
  const el = (elevationDeg * Math.PI) / 180;
  return Math.acos((EARTH_RADIUS_KM * Math.cos(el)) / orbitRadiusKm) - el;
}

/** Slant range to a satellite at `altitudeKm` seen at `elevationDeg`. */
export function slantRangeKm(altitudeKm: number, elevationDeg: number): number {
  const r = EARTH_RADIUS_KM + altitudeKm;
  const s = Math.sin((elevationDeg * Math.PI) / 180);
  return Math.sqrt(r * r - EARTH_RADIUS_KM ** 2 * (1 - s * s)) - EARTH_RADIUS_KM * s;
}

/** Elevation at which a satellite at `altitudeKm` is `rangeKm` away. */
export function elevationAtRangeDeg(altitudeKm: number, rangeKm: number): number {
  const R = EARTH_RADIUS_KM;
  const r = R + altitudeKm;
  return (Math.asin((r * r - R * R - rangeKm * rangeKm) / (2 * R * rangeKm)) * 180) / Math.PI;
}

export function syntheticPass(o: SyntheticPassOptions): LookSample[] {
  const r = EARTH_RADIUS_KM + o.altitudeKm;
  const omega = Math.sqrt(GM_KM3_S2 / r ** 3);
  const psiM = centralAngleRad(r, o.maxElevationDeg);
  const psiEdge = centralAngleRad(r, o.minElevationDeg ?? 10);
  const c = Math.cos(psiEdge) / Math.cos(psiM);
  const halfS = c >= 1 ? 0 : Math.acos(c) / omega;
  const step = o.stepS ?? 1;
  const tca = o.tcaMs ?? 0;
  const at = (tS: number): { az: number; el: number; range: number } => {
    const a = omega * tS;
    const u = [Math.cos(psiM) * Math.cos(a), Math.sin(a), Math.sin(psiM) * Math.cos(a)];
    const d = [r * u[0] - EARTH_RADIUS_KM, r * u[1], r * u[2]];
    const range = Math.hypot(d[0], d[1], d[2]);
    return { el: (Math.asin(d[0] / range) * 180) / Math.PI, az: ((Math.atan2(d[1], d[2]) * 180) / Math.PI + 360) % 360, range };
  };
  const out: LookSample[] = [];
  const n = Math.floor((2 * halfS) / step);
  for (let i = 0; i <= n; i++) {
    const tS = -halfS + i * step;
    const p = at(tS);
    const rr = (at(tS + 0.05).range - at(tS - 0.05).range) / 0.1;
    out.push({ tMs: tca + tS * 1000, azDeg: p.az, elDeg: p.el, rangeKm: p.range, rangeRateKmS: rr });
  }
  return out;
}
