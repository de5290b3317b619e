/**
 * Everything a simulated pass is made of, with zod schemas (the boundary: CLI files, scenario JSON) and
 * Micius-like defaults (Liao et al., Nature 549, 43 (2017); field notes). Every field has a default, so
 * `simConfigSchema.parse({})` is a complete Micius/Xinglong-like configuration.
 */
import { z } from 'zod';
import { mountModelSchema, TELESCOPE_MOUNT } from './mount/profiles.ts';

const probability = z.number().min(0).max(1);

export const sourceSchema = z
  .object({
    repetitionRateHz: z.number().positive().max(1e10).default(100e6),
    /** μ1 > μ2 > μ3 (signal, decoy, vacuum), mean photon numbers at the transmitter's output. */
    intensities: z.tuple([z.number().min(0), z.number().min(0), z.number().min(0)]).default([0.8, 0.1, 0]),
    intensityProbabilities: z.tuple([probability, probability, probability]).default([0.5, 0.25, 0.25]),
    /** Probability that the satellite prepares the key basis X. */
    keyBasisProbability: probability.default(0.5),
    /**
     * A bright sync pulse every `syncPeriodPulses` pulses (on pulse indices that are multiples of it), detected on
     * SYNC_CHANNEL with `syncDetectionProbability`. 0 turns sync off. Default: 10 kHz at 100 MHz.
     */
    syncPeriodPulses: z.number().int().min(0).default(10_000),
    syncDetectionProbability: probability.default(0.95),
    syncJitterFwhmPs: z.number().min(0).default(300),
  })
  .strict()
  .refine((s) => Math.abs(s.intensityProbabilities[0] + s.intensityProbabilities[1] + s.intensityProbabilities[2] - 1) < 1e-9, {
    message: 'intensityProbabilities must sum to 1',
    path: ['intensityProbabilities'],
  });

export const receiverSchema = z
  .object({
    /** Splitting ratio of the passive basis choice toward the X-basis analyser. */
    keyBasisProbability: probability.default(0.5),
    /** Probability that a photon in the matching basis ends in the wrong detector (polarisation misalignment). */
    misalignmentErrorProbability: probability.default(0.01),
  })
  .strict();

export const detectorSchema = z
  .object({
    efficiency: z.number().gt(0).max(1).default(0.5),
    darkCountRateHz: z.number().min(0).default(25),
    deadTimeNs: z.number().min(0).default(50),
    afterpulseProbability: probability.default(0.005),
    afterpulseMeanDelayNs: z.number().positive().default(200),
    jitterFwhmPs: z.number().min(0).default(350),
  })
  .strict();

export const taggerSchema = z
  .object({
    /** Tagger reading at the instant it is started, ps. */
    offsetPs: z.number().default(0),
    /** Rate error of the tagger's clock against the satellite's (parts per billion). */
    driftPpb: z.number().min(-1e5).max(1e5).default(0),
    /** Tag resolution (bin), ps. */
    resolutionPs: z.number().positive().default(1),
  })
  .strict();

export const skySchema = z
  .object({
    /** The station, for the Sun's and Moon's positions; absent → a dark moonless night sky. */
    site: z.object({ latDeg: z.number().min(-90).max(90), lonDeg: z.number().min(-180).max(360), heightM: z.number() }).strict().optional(),
    /** Background count rates of the whole receiver (split evenly over the four detectors), Hz. */
    nightSkyRateHz: z.number().min(0).default(50),
    fullMoonRateHz: z.number().min(0).default(1500),
    /** Above this incident rate per detector the input is clipped (the detector is blinded; flagged in telemetry). */
    maxIncidentRateHz: z.number().positive().default(2e7),
  })
  .strict();

export const scintillationSchema = z
  .object({
    scintillationIndexZenith: z.number().min(0).default(0.02),
    maxScintillationIndex: z.number().min(0).default(1),
    correlationMs: z.number().positive().default(20),
  })
  .strict();

export const pointingSchema = z
  .object({
    tipTiltRmsUrad: z.number().min(0).default(5),
    tipTiltCorrelationMs: z.number().positive().default(10),
    fsmRangeUrad: z.number().positive().default(1000),
    fsmRejection: probability.default(0.9),
    fsmNoiseUrad: z.number().min(0).default(0.5),
    couplingHalfAngleUrad: z.number().positive().default(50),
    camera: z
      .object({
        halfFieldUrad: z.number().positive().default(5000),
        frameRateHz: z.number().positive().default(100),
        centroidNoiseUrad: z.number().min(0).default(2),
      })
      .strict()
      .default({ halfFieldUrad: 5000, frameRateHz: 100, centroidNoiseUrad: 2 }),
  })
  .strict();

export const simulationSchema = z
  .object({
    /** The grid of the world: mount, pointing, channel and detection sampling, ms. */
    sliceMs: z.number().positive().max(100).default(1),
    telemetryPeriodMs: z.number().positive().default(100),
    /** Re-evaluate the link model this often (it changes slowly) and interpolate in between, ms. */
    linkEvaluationMs: z.number().positive().default(100),
    /** Re-evaluate Sun and Moon this often, ms. */
    skyEvaluationMs: z.number().positive().default(10_000),
  })
  .strict();

export const simConfigSchema = z
  .object({
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(1),
    source: sourceSchema.default(sourceSchema.parse({})),
    receiver: receiverSchema.default(receiverSchema.parse({})),
    /** One detector model for all four, or four (channel 0..3 = H, V, D, A). */
    detectors: z.union([detectorSchema, z.array(detectorSchema).length(4)]).default(detectorSchema.parse({})),
    tagger: taggerSchema.default(taggerSchema.parse({})),
    sky: skySchema.default(skySchema.parse({})),
    scintillation: scintillationSchema.default(scintillationSchema.parse({})),
    pointing: pointingSchema.default(pointingSchema.parse({})),
    mount: mountModelSchema.default(TELESCOPE_MOUNT),
    simulation: simulationSchema.default(simulationSchema.parse({})),
  })
  .strict();

export type SimConfig = z.infer<typeof simConfigSchema>;
export type SimConfigInput = z.input<typeof simConfigSchema>;
export type DetectorParams = z.infer<typeof detectorSchema>;
export type SourceParams = z.infer<typeof sourceSchema>;

export type ParseConfigResult = { ok: true; config: SimConfig } | { ok: false; reason: string };

export function parseSimConfig(input: unknown, source = 'sky-sim config'): ParseConfigResult {
  const r = simConfigSchema.safeParse(input ?? {});
  if (r.success) return { ok: true, config: r.data };
  const issue = r.error.issues[0];
  return { ok: false, reason: `${source}: ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}` };
}

export function detectorsOf(c: SimConfig): [DetectorParams, DetectorParams, DetectorParams, DetectorParams] {
  const d = c.detectors;
  return Array.isArray(d) ? [d[0], d[1], d[2], d[3]] : [d, d, d, d];
}
