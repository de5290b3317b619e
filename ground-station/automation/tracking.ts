/**
 * Pure helpers of the tracking loop: interpolating the tracking ephemeris between its samples, and the closed-loop
 * correction from the beacon camera.
 */
import type { AzEl, BeaconFix } from '../../planner/ports.ts';
import type { LookSample } from '../../planner/types.ts';
import type { UtcMs } from '../../planner/time.ts';

const URAD_TO_DEG = 180 / Math.PI / 1e6;

const wrap180 = (d: number) => ((((d + 180) % 360) + 360) % 360) - 180;
const wrap360 = (d: number) => ((d % 360) + 360) % 360;

/** A tracking ephemeris as a function of time. Azimuth is interpolated across north (359° → 1°) the short way. */
export class EphemerisTrack {
  readonly startMs: UtcMs;
  readonly endMs: UtcMs;
  private readonly t: Float64Array;
  private readonly az: Float64Array;
  private readonly el: Float64Array;

  constructor(samples: readonly LookSample[]) {
    if (samples.length < 2) throw new Error(`a tracking ephemeris needs at least 2 samples, got ${samples.length}`);
    const n = samples.length;
    this.t = new Float64Array(n);
    this.az = new Float64Array(n);
    this.el = new Float64Array(n);
    let unwrapped = samples[0].azDeg;
    for (let i = 0; i < n; i++) {
      const s = samples[i];
      if (i > 0) {
        if (!(s.tMs > samples[i - 1].tMs)) throw new Error(`ephemeris samples must be strictly increasing in time (sample ${i})`);
        unwrapped += wrap180(s.azDeg - samples[i - 1].azDeg);
      }
      this.t[i] = s.tMs;
      this.az[i] = unwrapped;
      this.el[i] = s.elDeg;
    }
    this.startMs = this.t[0];
    this.endMs = this.t[n - 1];
  }

  /** Where the satellite is at tMs (clamped to the ephemeris span); linear between samples (≤ 1 s apart, < 1 mdeg). */
  at(tMs: UtcMs): AzEl {
    const t = this.t;
    if (tMs <= t[0]) return { azDeg: wrap360(this.az[0]), elDeg: this.el[0] };
    const n = t.length;
    if (tMs >= t[n - 1]) return { azDeg: wrap360(this.az[n - 1]), elDeg: this.el[n - 1] };
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (t[mid] <= tMs) lo = mid;
      else hi = mid;
    }
    const f = (tMs - t[lo]) / (t[hi] - t[lo]);
    return { azDeg: wrap360(this.az[lo] + f * (this.az[hi] - this.az[lo])), elDeg: this.el[lo] + f * (this.el[hi] - this.el[lo]) };
  }
}

/** Offset added to the ephemeris, built up from beacon fixes (an integrator: a constant ephemeris bias is removed). */
export interface Correction {
  dAzDeg: number;
  dElDeg: number;
}

export const ZERO_CORRECTION: Correction = { dAzDeg: 0, dElDeg: 0 };

/**
 * One closed-loop update. The camera sees the beacon's offset from where the telescope really points
 * (cross-elevation, elevation); the encoders say where that is. Their sum is a direct measurement of where the
 * satellite is relative to the ephemeris, whatever the mount's lag: integrating raw camera offsets instead would
 * fold the mount's following error (large while it catches up, or near culmination) into the correction and
 * drive the loop unstable. The measurement is low-pass filtered (`gain` per frame) against centroid noise and
 * tip-tilt. Cross-elevation becomes azimuth through 1/cos(el) (capped near the zenith).
 */
export function updateCorrection(c: Correction, fix: BeaconFix, achieved: AzEl, ephemeris: AzEl, gain: number, maxDeg = 1): Correction {
  if (!fix.visible || fix.dxUrad === undefined || fix.dyUrad === undefined) return c;
  const cosEl = Math.max(0.1, Math.cos((achieved.elDeg * Math.PI) / 180));
  const measAz = (fix.dxUrad * URAD_TO_DEG) / cosEl + wrap180(achieved.azDeg - ephemeris.azDeg);
  const measEl = fix.dyUrad * URAD_TO_DEG + (achieved.elDeg - ephemeris.elDeg);
  const clamp = (v: number) => Math.max(-maxDeg, Math.min(maxDeg, v));
  return {
    dAzDeg: clamp(c.dAzDeg + gain * (measAz - c.dAzDeg)),
    dElDeg: clamp(c.dElDeg + gain * (measEl - c.dElDeg)),
  };
}

export function applyCorrection(p: AzEl, c: Correction): AzEl {
  return { azDeg: wrap360(p.azDeg + c.dAzDeg), elDeg: p.elDeg + c.dElDeg };
}
