/** Elevation masks: scalar minimum and azimuth-dependent horizon, combined by taking the higher of the two. */
import type { HorizonPoint, Station } from './types.ts';

export const DEFAULT_MIN_ELEVATION_DEG = 10;

/** Linear interpolation of a horizon over azimuth with wrap-around (points need not be sorted). */
export function horizonElevationDeg(points: readonly HorizonPoint[], azDeg: number): number {
  if (points.length === 0) return -90;
  if (points.length === 1) return points[0]!.elDeg;
  const sorted = [...points].sort((a, b) => a.azDeg - b.azDeg);
  const az = ((azDeg % 360) + 360) % 360;
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    const b = sorted[(i + 1) % sorted.length]!;
    const span = (b.azDeg - a.azDeg + 360) % 360 || 360;
    const off = (az - a.azDeg + 360) % 360;
    if (off <= span) return a.elDeg + ((b.elDeg - a.elDeg) * off) / span;
  }
  return sorted[0]!.elDeg;
}

/** A compiled mask: the function of azimuth and its minimum (the bound the visibility prefilter may use). */
export interface ElevationMask {
  minDeg: number;
  /** True when the mask does not depend on azimuth. */
  flat: boolean;
  atDeg(azDeg: number): number;
}

export function compileMask(station: Pick<Station, 'minElevationDeg' | 'horizonMask'>, overrideMinDeg?: number): ElevationMask {
  const scalar = overrideMinDeg ?? station.minElevationDeg ?? (station.horizonMask?.length ? -90 : DEFAULT_MIN_ELEVATION_DEG);
  const pts = station.horizonMask ?? [];
  if (pts.length === 0) return { minDeg: scalar, flat: true, atDeg: () => scalar };
  const sorted = [...pts].sort((a, b) => a.azDeg - b.azDeg);
  const minDeg = Math.max(scalar, Math.min(...sorted.map((p) => p.elDeg)));
  return { minDeg, flat: false, atDeg: (az) => Math.max(scalar, horizonElevationDeg(sorted, az)) };
}
