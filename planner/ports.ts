/**
 * The hardware and key ports of satqkd. Each has a real adapter (rotctld, INDI, a time-tag file, SQLite) and a
 * simulated one (sky-sim); the ground-station stack only ever sees these interfaces.
 * Angles in degrees at these edges (what mounts speak), times as UtcMs, picosecond time tags as bigint-free numbers
 * (a 10-minute pass is 6e14 ps < 2^53, so plain numbers are exact).
 */
import type { UtcMs } from './time.ts';

// ---------------------------------------------------------------- mount

export interface AzEl {
  azDeg: number;
  elDeg: number;
}

export interface MountStatus extends AzEl {
  /** True while the mount is moving toward a commanded target. */
  slewing: boolean;
  parked: boolean;
  /** Set when the mount reports a fault (stall, limit); cleared by the next successful command. */
  fault?: string;
}

/** An alt-azimuth telescope mount (or a rotator standing in for one). */
export interface Mount {
  readonly kind: string;
  connect(): Promise<void>;
  /** Leaves park; a no-op when not parked. */
  unpark(): Promise<void>;
  /** Commands a move; resolves when the command is accepted, not when the move ends. */
  slewTo(target: AzEl): Promise<void>;
  /** Where the mount really points now (as reported by the mount). */
  getStatus(): Promise<MountStatus>;
  /** Stops any motion at once. */
  stop(): Promise<void>;
  park(): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- beacon / tracking camera

/** One frame of the tracking camera: the beacon's offset from the boresight, when it is seen at all. */
export interface BeaconFix {
  tMs: UtcMs;
  visible: boolean;
  /** Offsets of the beacon centroid from the boresight, in the mount's axes (cross-elevation, elevation). */
  dxUrad?: number;
  dyUrad?: number;
}

export interface Beacon {
  /** Latest fix of the tracking camera. */
  read(): Promise<BeaconFix>;
}

// ---------------------------------------------------------------- time tagger

/** One detector click: picoseconds on the receiver's clock and the detector channel (0..3 = H, V, D, A). */
export interface DetectionEvent {
  timePs: number;
  channel: number;
}

export interface TimeTagger {
  readonly kind: string;
  start(): Promise<void>;
  /** Events recorded since the previous read, in time order. */
  read(): Promise<DetectionEvent[]>;
  stop(): Promise<void>;
}

/** The basis of BB84: X carries the key, Z tests it (Lim et al. 2014 convention). */
export type Basis = 'X' | 'Z';

/**
 * What each detector channel of a `DetectionEvent` means, the one mapping shared by sky-sim, the time-tag adapters
 * and post-processing: H/V (channels 0, 1) measure the X basis (the key basis), D/A (channels 2, 3) the Z basis;
 * bit 0 is H or D, bit 1 is V or A. The satellite's `PulseRecord` uses the same (basis, bit) labels.
 */
export const DETECTOR_CHANNELS: readonly { readonly basis: Basis; readonly bit: 0 | 1 }[] = [
  { basis: 'X', bit: 0 },
  { basis: 'X', bit: 1 },
  { basis: 'Z', bit: 0 },
  { basis: 'Z', bit: 1 },
];

/**
 * The channel of the sync detector: a bright sync pulse on every `syncPeriodPulses`-th pulse (pulse indices that
 * are multiples of it), from which the receiver recovers the offset and drift of its clock against the
 * satellite's. Time-tag adapters that record a sync input put it on this channel.
 */
export const SYNC_CHANNEL = 4;

/** The channel that detects (basis, bit): the inverse of `DETECTOR_CHANNELS`. */
export function detectorChannel(basis: Basis, bit: 0 | 1): number {
  return (basis === 'X' ? 0 : 2) + bit;
}

/**
 * What the satellite's transmitter knows of one pulse. Sky-sim keeps it only for pulses that post-processing
 * needs (those near a detection), never for every pulse.
 */
export interface PulseRecord {
  pulseIndex: number;
  basis: Basis;
  bit: 0 | 1;
  /** 0, 1, 2 for μ1 (signal), μ2 (decoy), μ3 (vacuum). */
  intensityIndex: 0 | 1 | 2;
}

// ---------------------------------------------------------------- keys

/** Where a key block came from: enough to audit its security claim (DEVELOPERS.md convention 10). */
export interface KeyProvenance {
  passId: string;
  stationId: string;
  satelliteId: string;
  /** Start and end of the key-exchange window. */
  startMs: UtcMs;
  endMs: UtcMs;
  qber: number;
  siftedBits: number;
  reconciliationLeakedBits: number;
  authenticationKeyBits: number;
  epsilonSec: number;
  epsilonCor: number;
  /** The finite-key bound on the secret length, bits, computed from the observed counts. */
  finiteKeyBoundBits: number;
  /** e.g. "decoy-BB84 Lim2014 3-intensity" */
  protocol: string;
}

export interface KeyBlock {
  blockId: string;
  bits: number;
  provenance: KeyProvenance;
}

/** Receives finished key (a station key store, a backbone pool). Bytes are handed over, never logged. */
export interface KeySink {
  put(block: KeyBlock, keyBytes: Uint8Array): Promise<void>;
}
