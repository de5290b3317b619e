/** Types shared by the scheduler's parts: candidates, relay routes, the optimisation problem and its solution. */
import type { Interval, UtcMs } from '../time.ts';

/**
 * One thing the plan may fly: a ground pass (satellite ↔ station) or an inter-satellite window (satellite ↔
 * satellite). Its window is the usable part the terminal is busy for; its key is the weather-weighted expectation.
 */
export interface Candidate {
  id: string;
  kind: 'ground' | 'isl';
  satellite: string;
  /** Station id for a ground pass, the other satellite's NORAD id for an inter-satellite window. */
  target: string;
  startMs: UtcMs;
  endMs: UtcMs;
  /** Expected secret key in clear sky, bits. */
  clearSkyKeyBits: number;
  /** 1 for inter-satellite windows (above the weather). */
  cloudFreeProbability: number;
  /** clearSkyKeyBits × cloudFreeProbability. */
  expectedSecretKeyBits: number;
  maxElevationDeg?: number;
  /** The whole pass behind a ground candidate (for the web view's timeline). */
  pass?: { aosMs: UtcMs; tcaMs: UtcMs; losMs: UtcMs; usableWindows: Interval[] };
}

/** A node pair with a key demand over the planning horizon. */
export interface DemandPair {
  from: string;
  to: string;
  priority: number;
  demandBits: number;
}

/** A satellite holding one key waiting for its relay partner over an interval. */
export interface MemoryHold extends Interval {
  satellite: string;
}

/**
 * One way of giving a node pair a common key: a chain of key segments (candidates) joined at trusted satellites.
 * Same-satellite relay: [pass at a station feeding `from`, pass at a station feeding `to`] (Liao et al. 2018).
 * Inter-satellite relay: [pass of s1, window s1–s2, pass of s2]. Every bit relayed uses one bit of each segment.
 */
export interface Route {
  id: string;
  pair: number;
  segments: number[];
  /** When the last segment's key exists and the pair can have its key. */
  completionMs: UtcMs;
  /**
   * Probability that every segment is clear (independent weather): y_r clear-sky bits reserved on each segment
   * deliver P_r · y_r bits in expectation. (Taking min of the expected keys instead would overstate a relay by 1/p.)
   */
  successProbability: number;
  holds: MemoryHold[];
}

/** A capacity row: at most `capacity` of `members` at once (members are the candidates of one maximal clique). */
export interface CapacityRow {
  resource: string;
  capacity: number;
  members: number[];
}

/**
 * On-board key memory of one satellite. Usage is piecewise constant and peaks at a hold's start, so checking it at
 * the distinct hold starts (`checkpointsMs`) is exact. A hold covers checkpoints [k0, k1).
 */
export interface SatelliteMemory {
  satellite: string;
  capacityBits: number;
  checkpointsMs: UtcMs[];
  holds: { route: number; k0: number; k1: number }[];
}

export interface ScheduleProblem {
  horizon: Interval;
  candidates: Candidate[];
  pairs: DemandPair[];
  routes: Route[];
  capacityRows: CapacityRow[];
  /** Only satellites whose memory could ever fill (the key of all their passes exceeds it). */
  memory: SatelliteMemory[];
  /** λ of the max–min fairness term. */
  fairnessWeight: number;
  /** Tiny cost per flown candidate: among equal plans, fly fewer passes (keeps the optimum canonical). */
  candidateCost: number;
  /** Decisions already taken (passes flown before a re-plan instant): candidate index → 0 or 1. */
  fixedCandidates: Map<number, 0 | 1>;
  /** Clear-sky bits of relays already completed: route index → bits. */
  fixedRoutes: Map<number, number>;
}

/** A plan in the problem's terms: which candidates are flown and how many clear-sky bits each route reserves. */
export interface Solution {
  selected: boolean[];
  routeBits: number[];
}

export interface Evaluation {
  objective: number;
  deliveredBits: number[];
  satisfaction: number[];
  minSatisfaction: number;
  /** Broken rules, empty for a feasible plan (each names the row it breaks). */
  violations: string[];
}
