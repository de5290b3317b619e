/**
 * What the pass automation is given from outside (injected, so it runs on real hardware or sky-sim, on a wall
 * clock or a virtual one, with whatever post-processing the integrator wires).
 */
import type { Beacon, DetectionEvent, KeyBlock, Mount, TimeTagger } from '../../planner/ports.ts';
import type { Clock, UtcMs } from '../../planner/time.ts';
import type { LookSample, Pass } from '../../planner/types.ts';

/**
 * The clock the automation runs on, and how it waits. sky-sim's VirtualClock satisfies it as it is (stepped:
 * as fast as the CPU, scaled: a speed-up); `wallTimebase` is real time.
 */
export interface Timebase extends Clock {
  sleep(ms: number): Promise<void>;
}

export const wallTimebase: Timebase = {
  nowMs: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** The hardware one pass is flown with. Real stations return the same objects every pass; sky-sim builds a world per pass. */
export interface Rig {
  mount: Mount;
  beacon?: Beacon;
  tagger: TimeTagger;
  /** Called after the pass (sky-sim releases its world). */
  release?(): Promise<void>;
}

export type RigProvider = (pass: Pass, ephemeris: readonly LookSample[]) => Promise<Rig>;

/** The tracking ephemeris of a pass (planner's trackingEphemeris at ≥ 1 Hz, covering [AOS, LOS]). */
export type EphemerisSource = (pass: Pass) => Promise<readonly LookSample[]>;

/** A go/no-go condition checked before and during a pass (sun, weather, dome). Returns why not, or null. */
export interface Interlock {
  name: string;
  check(tMs: UtcMs): Promise<string | null>;
}

/** Everything recorded during one pass, handed to post-processing after LOS (or after an abort). */
export interface PassRecords {
  pass: Pass;
  stationId: string;
  /** The key-exchange window actually recorded. */
  startMs: UtcMs;
  endMs: UtcMs;
  events: DetectionEvent[];
  /** Why the pass ended early, or null when it ran to LOS. */
  abortReason: string | null;
}

export interface PostProcessOutput {
  blocks: Array<{ block: KeyBlock; keyBytes: Uint8Array }>;
  /** Measured QBER of the pass, when post-processing got that far. */
  qber?: number;
  note?: string;
}

/** Sifting, parameter estimation, error correction, privacy amplification (ground-station/postprocess, wired by the integrator). */
export type PostProcessor = (records: PassRecords) => Promise<PostProcessOutput>;

/** Optional live QBER estimate from the recent detections (needs the sifting side-channel: sky-sim can provide one). */
export type LiveQberEstimator = (events: readonly DetectionEvent[], pass: Pass) => number | null;

/**
 * Optional hints an adapter may carry beyond the Mount port. `commandLeadMs`: how far ahead of now the ephemeris
 * should be commanded to make up the adapter's command pacing or latency (rotctld: half its command interval).
 */
export interface MountHints {
  commandLeadMs?: number;
}

export function commandLeadOf(mount: object): number | undefined {
  const v = (mount as MountHints).commandLeadMs;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
