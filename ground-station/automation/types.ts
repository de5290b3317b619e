/**
 * The vocabulary of pass automation: phases, the state the machine keeps, the events it reacts to and the effects
 * it asks the edge (the rxjs driver) to carry out. The machine itself (machine.ts) is a pure function of these.
 */
import type { UtcMs } from '../../planner/time.ts';

/**
 * One pass night at a telescope walks these phases in order:
 * idle → prechecks → slewing → waiting → tracking → keyExchange → parking → postProcessing → storing → idle.
 * Any abort in an active phase goes to parking (records kept) and then through post-processing like a normal LOS.
 * `fault`: the mount could not be parked; it is stopped, park is retried every `parkRetryMs` (and on an operator
 * park), and the pass's records wait there to be post-processed once it is parked.
 */
export type Phase =
  | 'idle'
  | 'prechecks'
  | 'slewing'
  | 'waiting'
  | 'tracking'
  | 'keyExchange'
  | 'parking'
  | 'postProcessing'
  | 'storing'
  | 'fault';

/** Phases in which the telescope works on a pass and an abort must bring it to park. */
export const ACTIVE_PHASES: readonly Phase[] = ['prechecks', 'slewing', 'waiting', 'tracking', 'keyExchange'];
/** Phases in which the mount follows the tracking ephemeris. */
export const TRACKING_PHASES: readonly Phase[] = ['tracking', 'keyExchange'];

/** What the machine needs to know of the pass it flies (a subset of planner's Pass). */
export interface PassRef {
  id: string;
  satellite: string;
  aosMs: UtcMs;
  losMs: UtcMs;
}

export interface AutomationState {
  phase: Phase;
  /** When the current phase was entered, and why (every transition carries its reason). */
  sinceMs: UtcMs;
  reason: string;
  /** Paused automation finishes the pass in hand but starts no new one. */
  paused: boolean;
  pass: PassRef | null;
  /** Set when the pass joined after AOS (late start). */
  lateJoin: boolean;
  /** Why the current pass was aborted, if it was. */
  abortReason: string | null;
  trackingStartMs: UtcMs | null;
  acquiredMs: UtcMs | null;
  recording: boolean;
  beaconLostSinceMs: UtcMs | null;
  offTrackSinceMs: UtcMs | null;
}

export interface AutomationTiming {
  /** A pass's pre-pass checks start this long before AOS (checks + slew must fit in it). */
  leadMs: number;
  /** Late join: a pass is still joined when at least this much of it remains. */
  minRemainingMs: number;
  /** Slewing to the AOS point longer than this is a stall. */
  slewTimeoutMs: number;
  /** Beacon never seen this long after tracking started: abort (clouds, wrong ephemeris). */
  acquisitionTimeoutMs: number;
  /** Beacon lost this long during key exchange: lost track, abort. */
  lostTrackTimeoutMs: number;
  /** Pointing error (mount vs ephemeris) above this for lostTrackTimeoutMs: the mount cannot follow (stall). */
  maxTrackingErrorDeg: number;
  /** In `fault` (park refused or failed), park is retried this often: a stall often clears by itself. */
  parkRetryMs: number;
}

export const DEFAULT_TIMING: AutomationTiming = {
  leadMs: 180_000,
  minRemainingMs: 30_000,
  slewTimeoutMs: 120_000,
  acquisitionTimeoutMs: 60_000,
  lostTrackTimeoutMs: 10_000,
  maxTrackingErrorDeg: 1.0,
  parkRetryMs: 30_000,
};

export type OperatorCommand = 'abort' | 'park' | 'pause' | 'resume';

export type AutomationEvent =
  | { type: 'tick'; tMs: UtcMs }
  | { type: 'passDue'; tMs: UtcMs; pass: PassRef }
  | { type: 'passCancelled'; tMs: UtcMs; passId: string }
  | { type: 'checksDone'; tMs: UtcMs; failures: string[] }
  | { type: 'slewDone'; tMs: UtcMs }
  | { type: 'beacon'; tMs: UtcMs; visible: boolean }
  | { type: 'pointing'; tMs: UtcMs; errorDeg: number }
  | { type: 'mountFault'; tMs: UtcMs; message: string }
  | { type: 'interlock'; tMs: UtcMs; name: string; detail: string }
  | { type: 'operator'; tMs: UtcMs; command: OperatorCommand; note?: string }
  | { type: 'parked'; tMs: UtcMs }
  | { type: 'parkFailed'; tMs: UtcMs; message: string }
  | { type: 'postProcessed'; tMs: UtcMs; blocks: number; error?: string }
  | { type: 'stored'; tMs: UtcMs; error?: string };

/** What the edge must do after a step, in order. */
export type Effect =
  | { kind: 'runChecks' }
  | { kind: 'slewToStart' }
  | { kind: 'startRecording' }
  | { kind: 'stopRecording' }
  | { kind: 'stopMount' }
  | { kind: 'park' }
  | { kind: 'postProcess' }
  | { kind: 'store' }
  | { kind: 'passFinished'; passId: string; outcome: 'completed' | 'aborted' | 'skipped'; reason: string };

export interface Transition {
  from: Phase;
  to: Phase;
  reason: string;
}

export interface StepResult {
  state: AutomationState;
  effects: Effect[];
  /** Present when the phase changed (the driver logs it with its reason). */
  transition?: Transition;
}

export function initialState(tMs: UtcMs): AutomationState {
  return {
    phase: 'idle',
    sinceMs: tMs,
    reason: 'start',
    paused: false,
    pass: null,
    lateJoin: false,
    abortReason: null,
    trackingStartMs: null,
    acquiredMs: null,
    recording: false,
    beaconLostSinceMs: null,
    offTrackSinceMs: null,
  };
}
