/**
 * A seeded synthetic pass for tests and benches (not a physics model; sky-sim is): pulse records from a counter
 * hash, detections with per-intensity probabilities, misalignment errors, a tagger clock with offset, drift and
 * jitter, and uniformly spread dark counts.
 */
import type { DetectionEvent, PulseRecord } from '../../planner/ports.ts';
import { detectorChannel } from '../../planner/ports.ts';
import { hash32, seedFrom, Xoshiro128 } from './prng.ts';

export interface SyntheticPassOptions {
  seed: number;
  pulses: number;
  pulsePeriodPs: number;
  /** Detection probability per pulse for μ1, μ2, μ3. */
  detectionProbability: [number, number, number];
  intensityProbabilities: [number, number, number];
  keyBasisProbability: number;
  qber: number;
  offsetPs: number;
  driftPpm: number;
  jitterPs: number;
  darkCountsPerPulse: number;
  firstPulse: number;
}

export function syntheticRecord(seed: number, k: number, o: Pick<SyntheticPassOptions, 'intensityProbabilities' | 'keyBasisProbability'>): PulseRecord {
  const h1 = hash32(seed, k) / 4294967296;
  const h2 = hash32(seed ^ 0x1234567, k);
  const p = o.intensityProbabilities;
  const intensityIndex = (h1 < p[0] ? 0 : h1 < p[0] + p[1] ? 1 : 2) as 0 | 1 | 2;
  return { pulseIndex: k, basis: (h2 & 0xffff) / 65536 < o.keyBasisProbability ? 'X' : 'Z', bit: ((h2 >>> 16) & 1) as 0 | 1, intensityIndex };
}

export function syntheticPass(o: SyntheticPassOptions): { detections: DetectionEvent[]; pulseRecord: (k: number) => PulseRecord | undefined } {
  const rng = new Xoshiro128(seedFrom(o.seed));
  const detections: DetectionEvent[] = [];
  // Walk pulse indices by geometric gaps at the largest probability, thinning to each pulse's own probability.
  const pMax = Math.max(...o.detectionProbability, o.darkCountsPerPulse, 1e-12);
  const last = o.firstPulse + o.pulses;
  const tag = (k: number, extraPs: number) => o.offsetPs + (k - o.firstPulse) * o.pulsePeriodPs * (1 + o.driftPpm * 1e-6) + extraPs;
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  for (let k = o.firstPulse; k < last; ) {
    k += 1 + Math.floor(Math.log(1 - rng.nextFloat()) / Math.log(1 - pMax));
    if (k >= last) break;
    const r = syntheticRecord(o.seed, k, o);
    if (rng.nextFloat() < o.detectionProbability[r.intensityIndex] / pMax) {
      // Passive basis choice at the receiver; an error flips the bit.
      const basis = rng.nextFloat() < o.keyBasisProbability ? 'X' : 'Z';
      const bit = basis === r.basis ? ((r.bit ^ (rng.nextFloat() < o.qber ? 1 : 0)) as 0 | 1) : ((rng.nextU32() & 1) as 0 | 1);
      detections.push({ timePs: tag(k, o.jitterPs * gauss()), channel: detectorChannel(basis, bit) });
    }
    if (rng.nextFloat() < o.darkCountsPerPulse / pMax) detections.push({ timePs: tag(k, o.pulsePeriodPs * rng.nextFloat()), channel: rng.nextU32() & 3 });
  }
  detections.sort((a, b) => a.timePs - b.timePs);
  return { detections, pulseRecord: (k) => (k >= 0 && Number.isInteger(k) ? syntheticRecord(o.seed, k, o) : undefined) };
}
