/**
 * What both parties of post-processing share: the pass identity, options, results, and the rules both must
 * apply identically (how the final key is cut into refill and blocks, how blocks are named).
 */
import type { BasisIntensityCounts, DecoyProtocolParams, FiniteKeyResult } from '../../planner/keyrate/types.ts';
import type { Logger } from '../../planner/log.ts';
import type { KeyBlock, KeyProvenance } from '../../planner/ports.ts';
import type { UtcMs } from '../../planner/time.ts';
import { packBytes } from './bitops.ts';
import type { CascadeOptions } from './cascade.ts';
import type { LdpcOptions } from './ldpc/reconcile.ts';
import type { PassReport } from './report.ts';

export type FiniteKeyEstimator = (counts: BasisIntensityCounts, params: DecoyProtocolParams, opts?: { leakageBits?: number }) => FiniteKeyResult;

export interface PassIdentity {
  passId: string;
  stationId: string;
  satelliteId: string;
  startMs: UtcMs;
  endMs: UtcMs;
}

export interface PostProcessOptions {
  params: DecoyProtocolParams;
  /** Nominal pulse period of the source, ps (1e12 / repetition rate). */
  pulsePeriodPs: number;
  /** Seed of the public randomness (Cascade shuffles and subsets). */
  publicSeed: number;
  /** Predicted pulse index at tagger reading 0 (from the tagger start time, the predicted light time and the
   * satellite's pulse epoch); the sync search covers its error of ± offsetWindowPulses. Default 0. */
  tagZeroPulse?: number;
  /** ± pulses searched for each chunk's absolute offset (default 2000). */
  offsetWindowPulses?: number;
  /** Detections per chunk announced for offset resolution (default 128; they are discarded from the key). */
  syncSamplePerChunk?: number;
  syncChunkDetections?: number;
  /** The satellite's sync pulse period, pulses (a sync pulse on every multiple; detected on SYNC_CHANNEL).
   * Default `DEFAULT_SYNC_PERIOD_PULSES`; 0 times on the quantum detections alone. */
  syncPeriodPulses?: number;
  /** Error reconciliation: interactive Cascade (default; lowest leak) or one-way rate-adaptive LDPC with blind
   * retries (a handful of exchanges, more leak and CPU; frames it gives up are dropped on both sides). */
  reconciliation?: 'cascade' | 'ldpc';
  /** Overrides of the Cascade options (seed excluded). */
  cascade?: Partial<Omit<CascadeOptions, 'seed'>>;
  /** Overrides of the LDPC options (seed excluded). */
  ldpc?: Partial<Omit<LdpcOptions, 'seed'>>;
  /** Stored block size, bits (multiple of 8; default 8192). */
  blockBits?: number;
  /** Defaults to planner/keyrate/finite-key.ts finiteKeyLength. */
  estimator?: FiniteKeyEstimator;
  /** Secret randomness (Bob's double-click coin, Alice's verification points and PA seed); node:crypto by default. */
  randomBytes?: (n: number) => Uint8Array;
  /** Monotonic milliseconds for stage timings (performance.now by default). */
  nowMs?: () => number;
  logger?: Logger;
  protocolName?: string;
}

export interface PartyKey {
  blocks: KeyBlock[];
  /** Block bytes, parallel to blocks. Never log these. */
  bytes: Uint8Array[];
}

export interface PassOutcome {
  report: PassReport;
  /** The ground station's key (also put into the sink). */
  station: PartyKey;
  /** The satellite's copy, for simulations and tests to compare. */
  satellite: PartyKey;
}

/** Keep-mask of a key after LDPC frames given up are taken out (both parties apply the same one). */
export function keptAfterFailedFrames(keyBits: number, failed: readonly { keyStart: number; keyLength: number }[]): Uint8Array {
  const keep = new Uint8Array(keyBits).fill(1);
  for (const f of failed) {
    if (!(Number.isInteger(f.keyStart) && Number.isInteger(f.keyLength) && f.keyStart >= 0 && f.keyLength >= 0 && f.keyStart + f.keyLength <= keyBits)) {
      throw new Error(`ldpc: failed frame [${f.keyStart}, +${f.keyLength}) outside the ${keyBits}-bit key`);
    }
    keep.fill(0, f.keyStart, f.keyStart + f.keyLength);
  }
  return keep;
}

/** Sync pulse period of the Micius-like terminal (10 kHz at 100 MHz), as the satellite announces it. */
export const DEFAULT_SYNC_PERIOD_PULSES = 10_000;

export const PROTOCOL = 'decoy-BB84 Lim2014 3-intensity';

export function emptyCounts(): BasisIntensityCounts {
  return { nX: [0, 0, 0], mX: [0, 0, 0], nZ: [0, 0, 0], mZ: [0, 0, 0] };
}

/** Runs both parties over an in-memory authenticated link and stores the station's blocks in `sink`. */
/**
 * The final key's first bytes go back to the authentication pool (as much as the pass spent, so the pool never
 * shrinks); the rest is cut into whole blocks. Both parties cut identically.
 */
export function splitFinalKey(finalKey: Uint8Array, refillBits: number, blockBits: number): { refill: Uint8Array; blocks: Uint8Array[] } {
  const bytes = packBytes(finalKey.subarray(0, finalKey.length - (finalKey.length % 8)));
  const refillBytes = Math.min(bytes.length, Math.ceil(refillBits / 8));
  const refill = bytes.slice(0, refillBytes);
  const blocks: Uint8Array[] = [];
  const blockBytes = Math.max(1, Math.floor(blockBits / 8));
  for (let off = refillBytes; off < bytes.length; off += blockBytes) blocks.push(bytes.slice(off, Math.min(bytes.length, off + blockBytes)));
  bytes.fill(0);
  return { refill, blocks };
}

/** Block ids: the pass id and a counter, in the character set the backbone accepts ([A-Za-z0-9_.:@-]). */
export function blockId(passId: string, index: number): string {
  return `${passId.replace(/[^A-Za-z0-9_.:@-]/g, '_')}:${index}`;
}

export function provenanceStub(pass: PassIdentity, opts: PostProcessOptions): KeyProvenance {
  return {
    passId: pass.passId,
    stationId: pass.stationId,
    satelliteId: pass.satelliteId,
    startMs: pass.startMs,
    endMs: pass.endMs,
    qber: 0,
    siftedBits: 0,
    reconciliationLeakedBits: 0,
    authenticationKeyBits: 0,
    epsilonSec: opts.params.epsilonSec,
    epsilonCor: opts.params.epsilonCor,
    finiteKeyBoundBits: 0,
    protocol: opts.protocolName ?? PROTOCOL,
  };
}

