/** Shared domain types of the planner, used by every module. Units are in the names. */
import type { UtcMs, Interval } from './time.ts';

/** A topocentric look at a satellite from a station at one instant (what the telescope follows). */
export interface LookSample {
  tMs: UtcMs;
  azDeg: number;
  elDeg: number;
  rangeKm: number;
  /** Positive when the satellite recedes. */
  rangeRateKmS: number;
}

/** Why a part of a pass is unusable, for planners and the web view. */
export type ConstraintName = 'elevation' | 'sun' | 'moon' | 'sunlit' | 'weather';

/** One predicted pass of a satellite over a station. */
export interface Pass {
  /** Stable id: `${satellite}@${station}@${aos ISO}`. */
  id: string;
  satellite: string;
  station: string;
  aosMs: UtcMs;
  tcaMs: UtcMs;
  losMs: UtcMs;
  maxElevationDeg: number;
  aosAzimuthDeg: number;
  tcaAzimuthDeg: number;
  losAzimuthDeg: number;
  rangeAtTcaKm: number;
  /** True when the pass was clipped by the start or end of the search window. */
  clippedStart: boolean;
  clippedEnd: boolean;
  /** Sub-windows of [aos, los) where every optical constraint holds. */
  usableWindows: Interval[];
  /** Whether the satellite is sunlit at TCA (a sunlit satellite can be seen by its beacon in twilight). */
  sunlitAtTca: boolean;
}

/** A window where two satellites see each other over the Earth's limb. */
export interface InterSatelliteWindow {
  id: string;
  satelliteA: string;
  satelliteB: string;
  startMs: UtcMs;
  endMs: UtcMs;
  minRangeKm: number;
  minRangeMs: UtcMs;
  clippedStart: boolean;
  clippedEnd: boolean;
}
