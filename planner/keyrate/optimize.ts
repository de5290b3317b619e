/**
 * Chooses μ1, μ2, p1, p2, the key-basis probability q and the transmission window to maximise the expected
 * finite-key length of a profile (Sidhu et al. 2022 optimise the same set). Multi-start Nelder–Mead on an
 * unconstrained parametrisation that makes every point a valid protocol:
 *   μ1 = 0.02 + 1.48 σ(x0)                  μ2 = μ3 + (μ1 − 2μ3) σ(x1)       (so μ1 > μ2 + μ3, μ2 > μ3)
 *   (p1, p2, p3) = softmax(x2, x3, 0)       q = 0.02 + 0.975 σ(x4)
 *   window = [a − L σ(x5), a + R σ(x6)]     a: the best slot, L and R: its distances to the usable profile's ends
 * so the window always holds the best slot and may be asymmetric (a pass clipped by twilight, a lopsided profile).
 * μ3 stays as given (vacuum). The objective is the UNFLOORED key length, which is negative where the block is
 * too small and so still points uphill there. Degenerate optima are guarded by the bound itself: q → 1 leaves few
 * Z-basis events, the Chernoff intervals widen and the phase-error bound grows, so the key shrinks, never inflates.
 * Deterministic: fixed starts, no randomness.
 */
import { nelderMead } from './nelder-mead.ts';
import { bestSlotCentreS, evaluateProfile, fullWindow, type EvaluateOptions, type ProfileEvaluation, type TransmissionWindow, type TransmittanceProfile } from './profile.ts';
import type { DecoyProtocolParams } from './types.ts';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (p: number): number => Math.log(p / (1 - p));
const clampP = (p: number): number => Math.min(1 - 1e-9, Math.max(1e-9, p));

export interface OptimizeOptions extends EvaluateOptions {
  /** Fixed window; absent → the window is optimised around `anchorS`. */
  window?: TransmissionWindow;
  /** An instant the optimised window must contain; absent → the best slot of the profile. */
  anchorS?: number;
  /** Nelder–Mead evaluations per start (default 300). */
  maxEvaluationsPerStart?: number;
  /** The starts search a profile merged into at most this many slots (default 80); the polish uses every slot. */
  searchSlots?: number;
}

/**
 * Merges runs of k slots into one (mean transmittance). The expected counts are linear in the slot weights and
 * 1 − e^{−ημ} is linear in η to within ημ/2 < 10⁻³ at satellite losses, so the merged profile gives the same
 * counts to that order; it makes every objective evaluation k times cheaper during the global search.
 */
export function coarsenProfile(p: TransmittanceProfile, maxSlots: number): TransmittanceProfile {
  const n = p.tS.length;
  const k = Math.max(1, Math.floor(n / maxSlots));
  if (k === 1) return p;
  const m = Math.ceil(n / k);
  const tS = new Float64Array(m);
  const transmittance = new Float64Array(m);
  const usable = p.usable ? new Uint8Array(m) : undefined;
  for (let j = 0; j < m; j++) {
    const a = j * k;
    const b = Math.min(n, a + k);
    let t = 0;
    let eta = 0;
    let ok = 1;
    for (let i = a; i < b; i++) {
      t += p.tS[i];
      eta += p.transmittance[i];
      if (p.usable && !p.usable[i]) ok = 0;
    }
    // A merged slot shorter than k (the last one) keeps the slot length k·dt: its centre is shifted instead.
    tS[j] = b - a === k ? t / k : p.tS[a] + ((k - 1) * p.slotDurationS) / 2;
    transmittance[j] = eta / (b - a);
    if (usable) usable[j] = ok;
  }
  return { tS, transmittance, slotDurationS: p.slotDurationS * k, ...(usable ? { usable } : {}) };
}

export interface OptimizeResult {
  protocol: DecoyProtocolParams;
  window: TransmissionWindow;
  evaluation: ProfileEvaluation;
  evaluations: number;
}

interface Space {
  base: DecoyProtocolParams;
  anchorS: number;
  maxLeftS: number;
  maxRightS: number;
  fixedWindow?: TransmissionWindow;
}

/** Shortest window the search considers (a tenth of a slot): keeps the anchor slot in play. */
const MIN_SIDE_S = 1e-3;

function decode(x: number[], s: Space): { protocol: DecoyProtocolParams; window: TransmissionWindow } {
  const mu3 = s.base.intensities[2];
  const mu1 = Math.max(0.02 + 1.48 * sigmoid(x[0]), 2 * mu3 + 1e-3);
  const mu2 = mu3 + (mu1 - 2 * mu3) * Math.min(1 - 1e-6, Math.max(1e-6, sigmoid(x[1])));
  const e2 = Math.exp(Math.min(50, x[2]));
  const e3 = Math.exp(Math.min(50, x[3]));
  const z = e2 + e3 + 1;
  const p1 = Math.max(1e-4, e2 / z);
  const p2 = Math.max(1e-4, e3 / z);
  const p3 = Math.max(1e-4, 1 - p1 - p2);
  const sum = p1 + p2 + p3;
  const protocol: DecoyProtocolParams = {
    ...s.base,
    intensities: [mu1, mu2, mu3],
    intensityProbabilities: [p1 / sum, p2 / sum, p3 / sum],
    keyBasisProbability: 0.02 + 0.975 * sigmoid(x[4]),
  };
  const window = s.fixedWindow ?? {
    startS: s.anchorS - Math.max(MIN_SIDE_S, s.maxLeftS * sigmoid(x[5])),
    endS: s.anchorS + Math.max(MIN_SIDE_S, s.maxRightS * sigmoid(x[6])),
  };
  return { protocol, window };
}

/** Inverse of `decode`; `sideFraction` is the share of the available span taken on each side of the anchor. */
function encode(p: DecoyProtocolParams, sideFraction: number, s: Space): number[] {
  const [mu1, mu2, mu3] = p.intensities;
  const [p1, p2, p3] = p.intensityProbabilities;
  const x = [
    logit(clampP((mu1 - 0.02) / 1.48)),
    logit(clampP((mu2 - mu3) / Math.max(1e-9, mu1 - 2 * mu3))),
    Math.log(p1 / p3),
    Math.log(p2 / p3),
    logit(clampP((p.keyBasisProbability - 0.02) / 0.975)),
  ];
  if (!s.fixedWindow) x.push(logit(clampP(sideFraction)), logit(clampP(sideFraction)));
  return x;
}

/** Deterministic starts: the caller's protocol, then protocols typical of low- and high-loss passes. */
function starts(base: DecoyProtocolParams): Array<{ p: DecoyProtocolParams; side: number }> {
  const mk = (mu1: number, mu2: number, p1: number, p2: number, q: number): DecoyProtocolParams => ({
    ...base,
    intensities: [mu1, mu2, base.intensities[2]],
    intensityProbabilities: [p1, p2, 1 - p1 - p2],
    keyBasisProbability: q,
  });
  return [
    { p: base, side: 0.98 },
    { p: mk(0.6, 0.15, 0.65, 0.25, 0.8), side: 0.7 },
    { p: mk(0.45, 0.1, 0.8, 0.15, 0.9), side: 0.5 },
  ];
}

export function optimizeProfile(profile: TransmittanceProfile, base: DecoyProtocolParams, opts: OptimizeOptions = {}): OptimizeResult {
  const anchorS = opts.anchorS ?? bestSlotCentreS(profile);
  const full = fullWindow(profile);
  const space: Space = {
    base,
    anchorS,
    maxLeftS: Math.max(MIN_SIDE_S, anchorS - full.startS),
    maxRightS: Math.max(MIN_SIDE_S, full.endS - anchorS),
    ...(opts.window ? { fixedWindow: opts.window } : {}),
  };
  const evalOpts: EvaluateOptions = { ...(opts.passes !== undefined ? { passes: opts.passes } : {}), ...(opts.bound ? { bound: opts.bound } : {}) };
  const coarse = coarsenProfile(profile, opts.searchSlots ?? 80);
  const objectiveOn = (p: TransmittanceProfile) => (x: number[]): number => {
    const d = decode(x, space);
    return -evaluateProfile(p, d.protocol, d.window, evalOpts).block.rawSecretKeyBits;
  };
  const searchObjective = objectiveOn(coarse);
  const objective = objectiveOn(profile);
  const maxEval = opts.maxEvaluationsPerStart ?? 300;
  let best: { x: number[]; f: number } | null = null;
  let evaluations = 0;
  for (const s of starts(base)) {
    const r = nelderMead(searchObjective, encode(s.p, s.side, space), { step: 0.6, maxEvaluations: maxEval, fTolerance: 1e-7, xTolerance: 1e-4 });
    evaluations += r.evaluations;
    if (!best || r.f < best.f) best = { x: r.x, f: r.f };
  }
  // A restart from the best point with a fresh, smaller simplex on the full-resolution profile: it escapes the
  // collapsed simplices NM is known for and removes the merged slots' approximation.
  const start = best!.x;
  const polish = nelderMead(objective, start, { step: 0.1, maxEvaluations: Math.ceil(maxEval / 3), fTolerance: 1e-8, xTolerance: 1e-4 });
  evaluations += polish.evaluations;
  const fStart = objective(start);
  evaluations++;
  best = polish.f <= fStart ? { x: polish.x, f: polish.f } : { x: start, f: fStart };
  const d = decode(best!.x, space);
  const evaluation = evaluateProfile(profile, d.protocol, d.window, evalOpts);
  if (evaluation.block.secretKeyBits === 0) {
    // No key anywhere: report the caller's protocol over the whole profile rather than the corner the search
    // drifted into, so a zero-key pass reads as "too lossy", not as "use μ1 = 0.02".
    const window = opts.window ?? full;
    return { protocol: base, window, evaluation: evaluateProfile(profile, base, window, evalOpts), evaluations };
  }
  return { ...d, evaluation, evaluations };
}
