/** The pass log and per-pass summaries the operator API serves (plain data, built by the driver). */
import type { UtcMs } from '../../planner/time.ts';
import type { Phase } from './types.ts';

export interface PassLogEntry {
  tMs: UtcMs;
  passId: string | null;
  /** 'transition' for a phase change, otherwise what happened (schedule, effect failure, operator command…). */
  kind: 'transition' | 'schedule' | 'operator' | 'error' | 'note';
  from?: Phase;
  to?: Phase;
  message: string;
}

export interface PointingStats {
  samples: number;
  /** Mount position vs where it should point (ephemeris + beacon correction), degrees. */
  rmsMountErrorDeg: number;
  maxMountErrorDeg: number;
  /** Beacon offset from the boresight as the tracking camera measured it (the real residual), µrad. */
  beaconSamples: number;
  rmsBeaconErrorUrad: number;
  maxBeaconErrorUrad: number;
}

export interface PassSummary {
  passId: string;
  satellite: string;
  aosMs: UtcMs;
  losMs: UtcMs;
  status: 'flying' | 'completed' | 'aborted' | 'skipped';
  reason: string;
  lateJoin: boolean;
  trackingStartMs: UtcMs | null;
  acquiredMs: UtcMs | null;
  recordStartMs: UtcMs | null;
  recordEndMs: UtcMs | null;
  detections: number;
  pointing: PointingStats;
  keyBlocks: number;
  keyBits: number;
  qber: number | null;
}

/** Running sums for pointing statistics (RMS without keeping every sample). */
export class PointingAccumulator {
  private n = 0;
  private sumSq = 0;
  private max = 0;
  private bn = 0;
  private bSumSq = 0;
  private bMax = 0;

  addMount(errorDeg: number): void {
    this.n++;
    this.sumSq += errorDeg * errorDeg;
    this.max = Math.max(this.max, errorDeg);
  }

  addBeacon(errorUrad: number): void {
    this.bn++;
    this.bSumSq += errorUrad * errorUrad;
    this.bMax = Math.max(this.bMax, errorUrad);
  }

  stats(): PointingStats {
    return {
      samples: this.n,
      rmsMountErrorDeg: this.n ? Math.sqrt(this.sumSq / this.n) : 0,
      maxMountErrorDeg: this.max,
      beaconSamples: this.bn,
      rmsBeaconErrorUrad: this.bn ? Math.sqrt(this.bSumSq / this.bn) : 0,
      maxBeaconErrorUrad: this.bMax,
    };
  }
}
