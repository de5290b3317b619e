/**
 * The satellite's decoy-state BB84 transmitter. Pulse k is emitted at epoch + k / repetitionRate on the
 * satellite's clock (the reference of the simulation). Its basis, bit and intensity come from counter-based
 * randomness keyed by the seed (random/counter-hash.ts): a pure function of k, like a satellite replaying the
 * random numbers it stored for the pass. Nothing is stored per pulse; `pulseRecord(k)` answers for any pulse,
 * which is what the classical channel needs (records of the detected pulses, announced after the pass).
 */
import { counterBits, counterKey, type CounterKey } from '../random/counter-hash.ts';
import type { Basis, PulseRecord } from '../../planner/ports.ts';
import type { SourceParams } from '../config.ts';

const TWO_POW_32 = 4294967296;

export class DecoySource {
  private readonly key: CounterKey;
  /** Cumulative thresholds on 32-bit integers for the intensity draw. */
  private readonly t0: number;
  private readonly t1: number;
  private readonly basisThreshold: number;
  readonly periodPs: number;

  constructor(
    readonly params: SourceParams,
    seed: number,
  ) {
    this.key = counterKey(seed);
    const p = params.intensityProbabilities;
    this.t0 = p[0] * TWO_POW_32;
    this.t1 = (p[0] + p[1]) * TWO_POW_32;
    this.basisThreshold = params.keyBasisProbability * 2147483648;
    this.periodPs = 1e12 / params.repetitionRateHz;
  }

  intensityIndex(k: number): 0 | 1 | 2 {
    const u = counterBits(this.key, k, 0);
    return u < this.t0 ? 0 : u < this.t1 ? 1 : 2;
  }

  /**
   * One 32-bit word carries the basis (upper 31 bits against q·2^31) and the bit (lowest bit): disjoint bit
   * fields of a uniform word are independent, and one hash serves both.
   */
  basisBitWord(k: number): number {
    return counterBits(this.key, k, 1);
  }

  basisOf(word: number): Basis {
    return word >>> 1 < this.basisThreshold ? 'X' : 'Z';
  }

  bitOf(word: number): 0 | 1 {
    return (word & 1) as 0 | 1;
  }

  basis(k: number): Basis {
    return this.basisOf(this.basisBitWord(k));
  }

  bit(k: number): 0 | 1 {
    return this.bitOf(this.basisBitWord(k));
  }

  pulseRecord(k: number): PulseRecord {
    if (!Number.isInteger(k) || k < 0) throw new Error(`pulse index must be a non-negative integer, got ${k}`);
    const w = this.basisBitWord(k);
    return { pulseIndex: k, basis: this.basisOf(w), bit: this.bitOf(w), intensityIndex: this.intensityIndex(k) };
  }

  /** Emission time of pulse k, ps after the epoch. */
  emissionPs(k: number): number {
    return k * this.periodPs;
  }

  isSyncPulse(k: number): boolean {
    return this.params.syncPeriodPulses > 0 && k % this.params.syncPeriodPulses === 0;
  }
}
