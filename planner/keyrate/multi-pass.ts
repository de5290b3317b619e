/**
 * One finite-key block from several DIFFERENT passes (a station pooling a week of passes): their expected counts
 * add, and the finite-size costs are paid once. `passes` in `expectedPassKey` covers the special case of identical
 * passes. Each pass contributes its usable slots with light; with `optimize`, one protocol (μ, p, q) — the one the
 * satellite would fly all week — is optimised for the block, with every pass used whole.
 */
import type { Interval } from '../time.ts';
import type { LookSample } from '../types.ts';
import type { LinkParams } from '../link/params.ts';
import type { BoundKind } from './bounds.ts';
import { optimizeProfile } from './optimize.ts';
import { profileFromSamples } from './pass-yield.ts';
import { evaluateProfile, fullWindow, type TransmittanceProfile } from './profile.ts';
import type { DecoyProtocolParams, FiniteKeyDetails } from './types.ts';

export interface BlockPass {
  samples: readonly LookSample[];
  usableWindows?: Interval[];
}

export interface BlockYield {
  /** Secret key of the whole block, bits. */
  secretKeyBits: number;
  /** Sifted key-basis bits each pass contributes. */
  siftedKeyBitsPerPass: number[];
  protocol: DecoyProtocolParams;
  finiteKey: FiniteKeyDetails;
  evaluations: number;
}

/**
 * The passes laid end to end on one time axis (a gap of one slot between them, marked unusable), so the
 * single-profile machinery — counts, optimiser — applies unchanged.
 */
export function concatenateProfiles(profiles: readonly TransmittanceProfile[]): TransmittanceProfile {
  if (profiles.length === 0) return { tS: new Float64Array(0), transmittance: new Float64Array(0), slotDurationS: 1, usable: new Uint8Array(0) };
  const dt = profiles[0].slotDurationS;
  for (const p of profiles) if (Math.abs(p.slotDurationS - dt) > 1e-9 * dt) throw new RangeError('concatenateProfiles: every profile needs the same slot duration');
  const n = profiles.reduce((s, p) => s + p.tS.length + 1, 0);
  const tS = new Float64Array(n);
  const transmittance = new Float64Array(n);
  const usable = new Uint8Array(n);
  let j = 0;
  for (const p of profiles) {
    for (let i = 0; i < p.tS.length; i++, j++) {
      tS[j] = (j + 0.5) * dt;
      transmittance[j] = p.transmittance[i];
      usable[j] = p.usable ? p.usable[i] : 1;
    }
    tS[j] = (j + 0.5) * dt; // the separator slot: dark and unusable
    j++;
  }
  return { tS, transmittance, slotDurationS: dt, usable };
}

export function expectedBlockKey(
  passes: readonly BlockPass[],
  link: LinkParams,
  protocol: DecoyProtocolParams,
  opts: { optimize?: boolean; slotDurationS?: number; bound?: BoundKind } = {},
): BlockYield {
  const dt = opts.slotDurationS ?? 1;
  const profiles = passes.map((p) => profileFromSamples(p.samples, link, dt, p.usableWindows));
  const block = concatenateProfiles(profiles);
  const window = fullWindow(block);
  const evalOpts = opts.bound ? { bound: opts.bound } : {};
  let used = protocol;
  let evaluations = 0;
  if (opts.optimize && block.tS.length > 0) {
    const r = optimizeProfile(block, protocol, { ...evalOpts, window });
    used = r.protocol;
    evaluations = r.evaluations;
  }
  const ev = evaluateProfile(block, used, window, evalOpts);
  const siftedKeyBitsPerPass = profiles.map((p) => {
    const e = evaluateProfile(p, used, fullWindow(p), evalOpts);
    return e.counts.nX[0] + e.counts.nX[1] + e.counts.nX[2];
  });
  return { secretKeyBits: ev.block.secretKeyBits, siftedKeyBitsPerPass, protocol: used, finiteKey: ev.block, evaluations };
}
