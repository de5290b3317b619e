/**
 * Statistical sampling of one time slice of a pass: never pulse by pulse.
 *
 * Signal: every pulse k clicks a detector with probability Y_k = 1 − exp(−μ_k η e_d), where μ_k is its
 * intensity, η the channel transmittance to the detectors and e_d the efficiency of the detector its photon
 * goes to. Sampling by thinning: the number of candidate pulses is Binomial(N, Y_max) with Y_max the largest Y;
 * each candidate is a uniformly drawn pulse index of the slice whose record (basis, bit, intensity) is read from
 * the source; the receiver's passive basis choice (ratio q_B) and misalignment route it to a detector; it is
 * kept with probability Y_k / Y_max. The result has exactly the distribution of independent per-pulse clicks
 * (drawing the same index twice is rejected; the single-click model ignores multi-photon double clicks).
 * Cost: O(clicks), independent of the repetition rate.
 *
 * Extraneous clicks (dark + background + stray light) are Poisson per detector at uniform times.
 * Sync pulses (every P-th pulse) are Bernoulli each: there are only a few per slice.
 * The output of a slice is in time order (the detectors' dead time needs it).
 */
import { detectorChannel, SYNC_CHANNEL } from '../../planner/ports.ts';
import type { Rng } from '../random/prng.ts';
import { ClickKind, type Click } from './clicks.ts';
import type { DecoySource } from './source.ts';

export { SYNC_CHANNEL };

export interface SliceInput {
  /** First pulse index and number of pulses of the slice. */
  k0: number;
  n: number;
  /** Photon delay (time of flight) at the slice's first emission, and its rate of change (ps per ps). */
  delayPs0: number;
  delayRate: number;
  /** Arrival window [startPs, endPs) of the slice's pulses (for extraneous clicks). */
  arrivalStartPs: number;
  arrivalEndPs: number;
  /** Channel transmittance to the detectors, before their efficiency. */
  eta: number;
  /** Extraneous click rate per detector channel 0..3, Hz. */
  extraneousRateHz: ArrayLike<number>;
  /** Probability that a sync pulse is detected (0 when the link is down). */
  syncProbability: number;
}

export interface ReceiverModel {
  keyBasisProbability: number;
  misalignmentErrorProbability: number;
  /** Efficiency of detectors 0..3. */
  efficiency: ArrayLike<number>;
}

export class SliceSampler {
  /** Pulse indices drawn in the current slice (duplicates are rejected). */
  private drawn = new Float64Array(64);
  private readonly effMax: number;
  private readonly equalEfficiencies: boolean;
  private readonly yBest = new Float64Array(3);

  constructor(
    private readonly source: DecoySource,
    private readonly rx: ReceiverModel,
    private readonly rng: Rng,
  ) {
    let m = 0;
    for (let i = 0; i < 4; i++) m = Math.max(m, rx.efficiency[i]);
    this.effMax = m;
    this.equalEfficiencies = [0, 1, 2, 3].every((i) => rx.efficiency[i] === m);
  }

  /** Appends the slice's clicks (unsorted) to `out`. */
  private signal: Click[] = [];
  private readonly others: Click[] = [];
  private merged: Click[] = [];

  /**
   * The slice's clicks in time order (signal and sync are drawn in order; the rest merged in). The array is
   * the sampler's own and is reused by the next call.
   */
  sample(s: SliceInput): Click[] {
    const sig = this.signal;
    sig.length = 0;
    this.sampleSignal(s, sig);
    const others = this.others;
    others.length = 0;
    this.sampleSync(s, others);
    this.sampleExtraneous(s, others);
    if (others.length === 0) return sig;
    if (others.length > 1) others.sort(byTime);
    const merged = this.merged;
    merged.length = 0;
    let i = 0, j = 0;
    while (i < sig.length && j < others.length) merged.push(sig[i].tPs <= others[j].tPs ? sig[i++] : others[j++]);
    while (i < sig.length) merged.push(sig[i++]);
    while (j < others.length) merged.push(others[j++]);
    return merged;
  }

  private arrivalPs(s: SliceInput, k: number): number {
    const period = this.source.periodPs;
    return k * period + s.delayPs0 + s.delayRate * (k - s.k0) * period;
  }

  private sampleSignal(s: SliceInput, out: Click[]): void {
    if (!(s.eta > 0) || s.n <= 0) return;
    const mu = this.source.params.intensities;
    const muMax = Math.max(mu[0], mu[1], mu[2]);
    const yMax = -Math.expm1(-muMax * s.eta * this.effMax);
    if (yMax <= 0) return;
    const candidates = this.rng.binomial(s.n, yMax);
    if (candidates === 0) return;
    const rng = this.rng;
    const qB = this.rx.keyBasisProbability;
    const eMis = this.rx.misalignmentErrorProbability;
    // Candidate offsets drawn, then sorted (native typed-array sort): duplicates become neighbours and are
    // dropped, and the clicks come out in time order.
    if (this.drawn.length < candidates) this.drawn = new Float64Array(candidates * 2);
    const drawn = this.drawn.subarray(0, candidates);
    for (let c = 0; c < candidates; c++) drawn[c] = rng.integer(s.n);
    drawn.sort();
    // Two-stage thinning, cheapest test first: by intensity at the best detector's efficiency (known from the
    // pulse's intensity alone), then by the efficiency of the detector the photon reaches (skipped when all four
    // are equal). The product is exactly Y_k / Y_max.
    const eff = this.rx.efficiency;
    const eta = s.eta;
    const yBest = this.yBest;
    for (let i = 0; i < 3; i++) yBest[i] = -Math.expm1(-mu[i] * eta * this.effMax);
    const keep0 = yBest[0] / yMax, keep1 = yBest[1] / yMax, keep2 = yBest[2] / yMax;
    for (let c = 0; c < candidates; c++) {
      if (c > 0 && drawn[c] === drawn[c - 1]) continue;
      const k = s.k0 + drawn[c];
      const ii = this.source.intensityIndex(k);
      const keep = ii === 0 ? keep0 : ii === 1 ? keep1 : keep2;
      if (keep === 0 || (keep < 1 && rng.uniform() >= keep)) continue;
      const word = this.source.basisBitWord(k);
      const aliceBasis = this.source.basisOf(word);
      const bobBasis = rng.uniform() < qB ? 'X' : 'Z';
      let bit: 0 | 1;
      if (bobBasis === aliceBasis) bit = (this.source.bitOf(word) ^ (rng.uniform() < eMis ? 1 : 0)) as 0 | 1;
      else bit = rng.uniform() < 0.5 ? 0 : 1;
      const ch = detectorChannel(bobBasis, bit);
      if (!this.equalEfficiencies && rng.uniform() * yBest[ii] >= -Math.expm1(-mu[ii] * eta * eff[ch])) continue;
      out.push({ tPs: this.arrivalPs(s, k), channel: ch, pulseIndex: k, kind: ClickKind.Signal });
    }
  }

  private sampleExtraneous(s: SliceInput, out: Click[]): void {
    const spanPs = s.arrivalEndPs - s.arrivalStartPs;
    if (!(spanPs > 0)) return;
    for (let ch = 0; ch < 4; ch++) {
      const rate = s.extraneousRateHz[ch];
      if (!(rate > 0)) continue;
      const n = this.rng.poisson(rate * spanPs * 1e-12);
      for (let i = 0; i < n; i++) out.push({ tPs: s.arrivalStartPs + this.rng.uniform() * spanPs, channel: ch, pulseIndex: -1, kind: ClickKind.Extraneous });
    }
  }

  private sampleSync(s: SliceInput, out: Click[]): void {
    const P = this.source.params.syncPeriodPulses;
    if (P <= 0 || !(s.syncProbability > 0)) return;
    const first = Math.ceil(s.k0 / P) * P;
    for (let k = first; k < s.k0 + s.n; k += P) {
      if (this.rng.uniform() < s.syncProbability) out.push({ tPs: this.arrivalPs(s, k), channel: SYNC_CHANNEL, pulseIndex: k, kind: ClickKind.Sync });
    }
  }
}


function byTime(a: Click, b: Click): number {
  return a.tPs - b.tPs;
}
