/**
 * zod schemas of the finite-key parameters: the `keyrate --params` JSON file and the protocol section of a terminal
 * file. Every bound the estimator relies on (μ1 > μ2 + μ3, μ2 > μ3 ≥ 0, probabilities summing to 1) is checked
 * here, at the boundary, so a bad file is reported with the field's path instead of producing a silent zero.
 */
import { z } from 'zod';
import type { DecoyProtocolParams } from './types.ts';

const probability = z.number().gt(0).lt(1);
const triple = z.tuple([z.number(), z.number(), z.number()]);

export const decoyProtocolShape = {
  sourceRateHz: z.number().positive().finite(),
  intensities: triple,
  intensityProbabilities: triple,
  keyBasisProbability: probability,
  extraneousCountProbability: z.number().min(0).lt(0.5),
  afterpulseProbability: z.number().min(0).lt(1),
  intrinsicQber: z.number().min(0).lt(0.5),
  errorCorrectionEfficiency: z.number().min(1).max(3),
  epsilonSec: probability,
  epsilonCor: probability,
};

type ProtocolLike = Pick<DecoyProtocolParams, 'intensities' | 'intensityProbabilities'>;

/** The decoy-method conditions of Lim et al. (2014): μ1 > μ2 + μ3, μ2 > μ3 ≥ 0, p_k ∈ (0,1), Σ p_k = 1. */
export function checkDecoyConditions(p: ProtocolLike, ctx: { addIssue: (i: { code: 'custom'; message: string; path: (string | number)[] }) => void }): void {
  const [m1, m2, m3] = p.intensities;
  if (!(m3 >= 0)) ctx.addIssue({ code: 'custom', message: 'μ3 must be ≥ 0', path: ['intensities', 2] });
  if (!(m2 > m3)) ctx.addIssue({ code: 'custom', message: 'μ2 must exceed μ3', path: ['intensities', 1] });
  if (!(m1 > m2 + m3)) ctx.addIssue({ code: 'custom', message: 'μ1 must exceed μ2 + μ3', path: ['intensities', 0] });
  if (!(m1 <= 10)) ctx.addIssue({ code: 'custom', message: 'μ1 above 10 photons per pulse is not a weak coherent pulse', path: ['intensities', 0] });
  p.intensityProbabilities.forEach((pk, i) => {
    if (!(pk > 0 && pk < 1)) ctx.addIssue({ code: 'custom', message: 'each probability must be in (0, 1)', path: ['intensityProbabilities', i] });
  });
  const sum = p.intensityProbabilities.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-6) ctx.addIssue({ code: 'custom', message: `probabilities must sum to 1, sum to ${sum}`, path: ['intensityProbabilities'] });
}

export const DecoyProtocolParamsSchema = z.object(decoyProtocolShape).strict().superRefine(checkDecoyConditions);

/** The `keyrate --params` file: protocol parameters plus how the loss profile is used. */
export const KeyrateParamsFileSchema = z
  .object({
    ...decoyProtocolShape,
    /** Window [−w, +w] around the profile's time 0; absent → whole profile (or optimised with --optimize). */
    windowHalfWidthS: z.number().positive().finite().optional(),
    /** Identical passes accumulated into one finite-key block; the result is reported per pass. */
    passes: z.number().int().min(1).max(100_000).default(1),
    /** Added to every row of the loss profile. */
    excessLossDb: z.number().min(0).max(100).default(0),
  })
  .strict()
  .superRefine(checkDecoyConditions);

export type KeyrateParamsFile = z.infer<typeof KeyrateParamsFileSchema>;

/** zod issues → one readable line per issue: `file: field.path: message`. */
export function formatIssues(source: string, error: z.ZodError): string[] {
  return error.issues.map((i) => `${source}: ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}
