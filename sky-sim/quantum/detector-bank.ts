/**
 * The four single-photon detectors (and the sync detector) between the light and the time tagger:
 * - dead time: non-paralysable, per detector; a click within τ of the previous accepted click is lost. Exact,
 *   in time order, carried across slices;
 * - afterpulsing: each accepted click triggers, with probability p_ap, a spurious click at τ + Exp(mean delay)
 *   later on the same detector (itself subject to dead time; afterpulses do not cascade);
 * - timing jitter: Gaussian (FWHM given), added to the output edge after the dead-time logic.
 * The sync detector (channel 4) has its own jitter and no dead time worth modelling at 10 kHz.
 */
import type { Rng } from '../random/prng.ts';
import { ClickKind, type Click } from './clicks.ts';
import type { DetectorParams } from '../config.ts';
import { SYNC_CHANNEL } from './slice-sampler.ts';

const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);

export class DetectorBank {
  private readonly lastClickPs = [-Infinity, -Infinity, -Infinity, -Infinity];
  /** Afterpulses due after the current slice, kept sorted by time. */
  private carried: Click[] = [];
  private readonly deadPs: number[];
  private readonly sigmaPs: number[];
  private readonly syncSigmaPs: number;

  constructor(
    private readonly detectors: readonly DetectorParams[],
    syncJitterFwhmPs: number,
    private readonly rng: Rng,
  ) {
    this.deadPs = detectors.map((d) => d.deadTimeNs * 1000);
    this.sigmaPs = detectors.map((d) => d.jitterFwhmPs / FWHM_PER_SIGMA);
    this.syncSigmaPs = syncJitterFwhmPs / FWHM_PER_SIGMA;
  }

  /** Largest jitter σ, for the release watermark of the tagger buffer. */
  maxJitterSigmaPs(): number {
    return Math.max(this.syncSigmaPs, ...this.sigmaPs);
  }

  /**
   * Turns a slice's raw clicks (in time order, any order tolerated) with true times in [.., endPs) into the detectors' output: appends
   * the accepted clicks, with jitter, to `out`. Afterpulses past endPs are kept for the next slice.
   */
  process(raw: Click[], endPs: number, out: Click[]): void {
    const events = raw;
    // Bring in the carried afterpulses that fall in this slice.
    let nCarried = 0;
    while (nCarried < this.carried.length && this.carried[nCarried].tPs < endPs) nCarried++;
    if (nCarried) for (const c of this.carried.splice(0, nCarried)) events.push(c);
    insertionSort(events); // already sorted but for the carried afterpulses: O(n)
    const rng = this.rng;
    for (let i = 0; i < events.length; i++) {
      const c = events[i];
      if (c.channel === SYNC_CHANNEL) {
        c.tPs += this.syncSigmaPs * rng.normal();
        out.push(c);
        continue;
      }
      const ch = c.channel;
      if (c.tPs - this.lastClickPs[ch] < this.deadPs[ch]) continue;
      this.lastClickPs[ch] = c.tPs;
      const trueTPs = c.tPs;
      // The click object becomes the output (with jitter): no second allocation per event.
      if (this.sigmaPs[ch] > 0) c.tPs += this.sigmaPs[ch] * rng.normal();
      out.push(c);
      const d = this.detectors[ch];
      if (c.kind !== ClickKind.Afterpulse && d.afterpulseProbability > 0 && rng.uniform() < d.afterpulseProbability) {
        const ap: Click = { tPs: trueTPs + this.deadPs[ch] + rng.exponential(d.afterpulseMeanDelayNs * 1000), channel: ch, pulseIndex: -1, kind: ClickKind.Afterpulse };
        if (ap.tPs < endPs) insertSorted(events, ap, i + 1);
        else insertSorted(this.carried, ap, 0);
      }
    }
  }

  /** Earliest carried afterpulse time (they bound what can still be released), or Infinity. */
  earliestCarriedPs(): number {
    return this.carried.length ? this.carried[0].tPs : Infinity;
  }
}

/** Sorts by time: insertion sort for nearly sorted input (the normal case), the native sort otherwise. */
function insertionSort(a: Click[]): void {
  let descents = 0;
  for (let i = 1; i < a.length; i++) if (a[i - 1].tPs > a[i].tPs && ++descents > 32) {
    a.sort((x, y) => x.tPs - y.tPs);
    return;
  }
  if (descents === 0) return;
  for (let i = 1; i < a.length; i++) {
    const c = a[i];
    if (a[i - 1].tPs <= c.tPs) continue;
    let j = i - 1;
    while (j >= 0 && a[j].tPs > c.tPs) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = c;
  }
}

function insertSorted(arr: Click[], c: Click, from: number): void {
  let lo = from, hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid].tPs <= c.tPs) lo = mid + 1;
    else hi = mid;
  }
  arr.splice(lo, 0, c);
}
