/**
 * The pass geometry the simulation follows: a LookSample series (from planner's `trackingEphemeris`, typically
 * at 1–10 Hz) interpolated to any instant. Linear interpolation of a 1 Hz LEO track is good to ~1e-4° in
 * elevation (the curvature of the track over 1 s); azimuth is unwrapped first so that a pass through north does
 * not interpolate the long way round. Range is interpolated with its derivative (see `at`).
 */
import type { LookSample } from '../../planner/types.ts';
import type { UtcMs } from '../../planner/time.ts';

export interface LookTrack {
  startMs: UtcMs;
  endMs: UtcMs;
  /** The look at `tMs`, clamped to the ends of the series. */
  at(tMs: UtcMs): LookSample;
}

export type LookTrackResult = { ok: true; track: LookTrack } | { ok: false; reason: string };

export function createLookTrack(samples: readonly LookSample[]): LookTrackResult {
  if (samples.length < 2) return { ok: false, reason: `lookSamples: need at least 2 samples, got ${samples.length}` };
  const n = samples.length;
  const t = new Float64Array(n), az = new Float64Array(n), el = new Float64Array(n), range = new Float64Array(n), rate = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = samples[i];
    for (const f of ['tMs', 'azDeg', 'elDeg', 'rangeKm', 'rangeRateKmS'] as const) {
      if (!Number.isFinite(s[f])) return { ok: false, reason: `lookSamples[${i}].${f}: not a finite number` };
    }
    if (i > 0 && !(s.tMs > samples[i - 1].tMs)) return { ok: false, reason: `lookSamples[${i}].tMs: not after the previous sample` };
    if (s.rangeKm <= 0) return { ok: false, reason: `lookSamples[${i}].rangeKm: must be > 0` };
    t[i] = s.tMs;
    el[i] = s.elDeg;
    range[i] = s.rangeKm;
    rate[i] = s.rangeRateKmS;
    // Unwrap: each azimuth is moved by whole turns to lie within 180° of the previous one.
    az[i] = i === 0 ? s.azDeg : az[i - 1] + wrap180(s.azDeg - az[i - 1]);
  }
  let hint = 0;
  const at = (tMs: UtcMs): LookSample => {
    if (tMs <= t[0]) return { tMs, azDeg: norm360(az[0]), elDeg: el[0], rangeKm: range[0], rangeRateKmS: rate[0] };
    if (tMs >= t[n - 1]) return { tMs, azDeg: norm360(az[n - 1]), elDeg: el[n - 1], rangeKm: range[n - 1], rangeRateKmS: rate[n - 1] };
    // Queries move forward in time almost always: start from the last segment.
    if (t[hint] > tMs) hint = 0;
    while (t[hint + 1] < tMs) hint++;
    const i = hint;
    const hS = (t[i + 1] - t[i]) / 1000;
    const f = (tMs - t[i]) / (t[i + 1] - t[i]);
    // Range by cubic Hermite with the range rate as its derivative: the photon delay derived from it must be
    // smooth to picoseconds (linear interpolation of a 1 Hz series would leave ~40 ns kinks at the samples).
    const f2 = f * f, f3 = f2 * f;
    const rangeKm = (2 * f3 - 3 * f2 + 1) * range[i] + (f3 - 2 * f2 + f) * hS * rate[i] + (-2 * f3 + 3 * f2) * range[i + 1] + (f3 - f2) * hS * rate[i + 1];
    return {
      tMs,
      azDeg: norm360(az[i] + f * (az[i + 1] - az[i])),
      elDeg: el[i] + f * (el[i + 1] - el[i]),
      rangeKm,
      rangeRateKmS: rate[i] + f * (rate[i + 1] - rate[i]),
    };
  };
  return { ok: true, track: { startMs: t[0], endMs: t[n - 1], at } };
}

export function wrap180(deg: number): number {
  return ((((deg + 180) % 360) + 360) % 360) - 180;
}

export function norm360(deg: number): number {
  return ((deg % 360) + 360) % 360;
}

/** Small-angle offset of direction b from a, in µrad, along (cross-elevation, elevation) at a's elevation. */
export function offsetUrad(a: { azDeg: number; elDeg: number }, b: { azDeg: number; elDeg: number }): { dxUrad: number; dyUrad: number } {
  const toUrad = (Math.PI / 180) * 1e6;
  const cosEl = Math.cos(((a.elDeg + b.elDeg) / 2) * (Math.PI / 180));
  return { dxUrad: wrap180(b.azDeg - a.azDeg) * cosEl * toUrad, dyUrad: (b.elDeg - a.elDeg) * toUrad };
}
