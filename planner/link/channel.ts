/**
 * The channel transmittance of an optical QKD link at one instant of a pass: from the source's output on the
 * transmitter to a click-ready photon at the detector (detector efficiency included), i.e. exactly the η the
 * finite-key model expects. Derivation and validation against Micius: docs/link-budget.md.
 */
import type { LookSample } from '../types.ts';
import { slantTransmittance, zenithTransmittance } from './atmosphere.ts';
import { APERTURE_FILL_RATIO, beamRadiusAt, collectedFraction, truncationTransmittance, waistFromDivergence } from './gaussian-beam.ts';
import type { LinkParams } from './params.ts';
import { pointingTransmittance } from './pointing.ts';
import { fieldOfViewCoupling, friedParameterM, longTermBeamRadiusM } from './turbulence.ts';

/** Each factor as a loss in dB (≥ 0); their sum is `lossDb`. */
export interface LinkLossParts {
  /** Diffraction: the part of the beam missing the receiver aperture (and the transmitter's truncation). */
  geometricDb: number;
  atmosphereDb: number;
  /** Uplink: extra beam spread; downlink: field-of-view coupling through seeing. */
  turbulenceDb: number;
  pointingDb: number;
  transmitterOpticsDb: number;
  receiverOpticsDb: number;
  detectorDb: number;
  excessDb: number;
}

export interface ChannelResult {
  transmittance: number;
  lossDb: number;
  parts: LinkLossParts;
  /** 1/e² beam radius at the receiver, turbulence included. */
  beamRadiusAtReceiverM: number;
}

const toDb = (t: number): number => (t >= 1 ? 0 : t > 0 ? -10 * Math.log10(t) : Number.POSITIVE_INFINITY);

/** w0 and the truncation loss of the transmitter. */
function transmitterBeam(link: LinkParams): { w0M: number; truncation: number } {
  const tx = link.transmitter;
  if (tx.divergenceFullAngleRad !== undefined) {
    const w0M = waistFromDivergence(link.wavelengthM, tx.divergenceFullAngleRad);
    return { w0M, truncation: truncationTransmittance(w0M, tx.apertureDiameterM) };
  }
  const w0M = tx.apertureDiameterM / 2 / APERTURE_FILL_RATIO;
  return { w0M, truncation: truncationTransmittance(w0M, tx.apertureDiameterM) };
}

/**
 * Transmittance at one look sample. Ground links below the horizon (elDeg ≤ 0) give transmittance 0 and
 * infinite loss; inter-satellite links ignore elevation (the window search guarantees the limb clearance).
 */
export function channelTransmittance(look: LookSample, link: LinkParams): ChannelResult {
  const L = look.rangeKm * 1000;
  const ground = link.direction !== 'inter-satellite';
  const { w0M, truncation } = transmitterBeam(link);
  const wDiff = beamRadiusAt(w0M, link.wavelengthM, L);

  let atmosphere = 1;
  let turbulence = 1;
  let wRx = wDiff;
  if (ground) {
    const zt = link.atmosphere.zenithTransmittance ?? zenithTransmittance(link.wavelengthM) ?? 1;
    atmosphere = slantTransmittance(zt, look.elDeg);
    const r0 = friedParameterM(link.atmosphere.friedParameterZenith500nmM, link.wavelengthM, look.elDeg);
    if (link.direction === 'uplink') {
      wRx = longTermBeamRadiusM(wDiff, link.wavelengthM, L, r0);
      // Reported as turbulence: the collected fraction lost to the spread, relative to diffraction alone.
      turbulence = collectedFraction(wRx, link.receiver.apertureDiameterM, link.receiver.obscurationDiameterM) /
        collectedFraction(wDiff, link.receiver.apertureDiameterM, link.receiver.obscurationDiameterM);
    } else if (link.receiver.fieldOfViewFullAngleRad !== undefined) {
      turbulence = fieldOfViewCoupling(link.wavelengthM, r0, link.receiver.apertureDiameterM, link.receiver.fieldOfViewFullAngleRad);
    }
  }
  const geometric = truncation * collectedFraction(wDiff, link.receiver.apertureDiameterM, link.receiver.obscurationDiameterM);
  const pointing = pointingTransmittance(wRx, link.transmitter.pointingBiasRad * L, link.transmitter.pointingJitterRmsRad * L);
  const excess = 10 ** (-link.excessLossDb / 10);
  const total =
    geometric * atmosphere * turbulence * pointing * link.transmitter.opticsTransmittance * link.receiver.opticsTransmittance * link.receiver.detectorEfficiency * excess;
  const transmittance = ground && look.elDeg <= 0 ? 0 : total;
  const parts: LinkLossParts = {
    geometricDb: toDb(geometric),
    atmosphereDb: toDb(atmosphere),
    turbulenceDb: toDb(turbulence),
    pointingDb: toDb(pointing),
    transmitterOpticsDb: toDb(link.transmitter.opticsTransmittance),
    receiverOpticsDb: toDb(link.receiver.opticsTransmittance),
    detectorDb: toDb(link.receiver.detectorEfficiency),
    excessDb: link.excessLossDb,
  };
  return { transmittance, lossDb: toDb(transmittance), parts, beamRadiusAtReceiverM: wRx };
}

export interface ChannelSeries {
  tMs: Float64Array;
  transmittance: Float64Array;
  lossDb: Float64Array;
}

/** Transmittance for a whole look series (typed arrays: the optimiser iterates over them many times). */
export function channelSeries(samples: readonly LookSample[], link: LinkParams): ChannelSeries {
  const n = samples.length;
  const out: ChannelSeries = { tMs: new Float64Array(n), transmittance: new Float64Array(n), lossDb: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const r = channelTransmittance(samples[i], link);
    out.tMs[i] = samples[i].tMs;
    out.transmittance[i] = r.transmittance;
    out.lossDb[i] = r.lossDb;
  }
  return out;
}
