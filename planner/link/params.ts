/**
 * Link parameters (transmitter, receiver, ground-station atmosphere) and their zod schema. A terminal file
 * (tle-data/terminals/*.json, planner/link/terminal-file.ts) holds one `link` and one `protocol` section.
 * SI units throughout: metres, radians, transmittances in (0, 1].
 */
import { z } from 'zod';

export type LinkDirection = 'downlink' | 'uplink' | 'inter-satellite';

const transmittance = z.number().gt(0).max(1);
const angleRad = z.number().min(0).max(0.01);

export const TransmitterSchema = z
  .object({
    apertureDiameterM: z.number().positive().max(20),
    /** Far-field 1/e² FULL-angle divergence; absent → the beam fills the aperture (diffraction-limited). */
    divergenceFullAngleRad: z.number().positive().max(0.01).optional(),
    /** Transmitter optics (telescope, relay mirrors, filters) after the source's intensity is set. */
    opticsTransmittance: transmittance,
    /** Random pointing error per axis (RMS) and static pointing bias, radians. */
    pointingJitterRmsRad: angleRad.default(0),
    pointingBiasRad: angleRad.default(0),
  })
  .strict();

export const ReceiverSchema = z
  .object({
    apertureDiameterM: z.number().positive().max(20),
    obscurationDiameterM: z.number().min(0).default(0),
    /** Telescope, relay and analyser optics up to the detectors. */
    opticsTransmittance: transmittance,
    detectorEfficiency: transmittance,
    /** Full field of view of the detectors; absent → no field-of-view loss. */
    fieldOfViewFullAngleRad: z.number().positive().max(0.01).optional(),
  })
  .strict()
  .refine((r) => r.obscurationDiameterM < r.apertureDiameterM, { message: 'obscuration must be smaller than the aperture', path: ['obscurationDiameterM'] });

export const AtmosphereSchema = z
  .object({
    /** Measured zenith transmittance at the link's wavelength; absent → the table in atmosphere.ts. */
    zenithTransmittance: transmittance.optional(),
    /** Fried parameter at zenith and 500 nm of the station's column (seeing 1″ ≈ 10 cm). */
    friedParameterZenith500nmM: z.number().positive().max(2).default(0.05),
  })
  .strict();

export const LinkParamsSchema = z
  .object({
    direction: z.enum(['downlink', 'uplink', 'inter-satellite']),
    wavelengthM: z.number().min(300e-9).max(2000e-9),
    transmitter: TransmitterSchema,
    receiver: ReceiverSchema,
    /** The ground station's atmosphere (ignored for inter-satellite links). */
    atmosphere: AtmosphereSchema.default({ friedParameterZenith500nmM: 0.05 }),
    /** Lumped losses not modelled elsewhere (coupling, polarisation compensation, time-gating), dB ≥ 0. */
    excessLossDb: z.number().min(0).max(100).default(0),
  })
  .strict()
  .superRefine((l, ctx) => {
    const d = l.transmitter.divergenceFullAngleRad;
    if (d !== undefined) {
      const w0 = l.wavelengthM / (Math.PI * (d / 2));
      if (w0 > l.transmitter.apertureDiameterM / 2) {
        ctx.addIssue({ code: 'custom', message: `a ${d} rad beam needs a waist of ${w0.toFixed(3)} m, larger than the aperture's radius`, path: ['transmitter', 'divergenceFullAngleRad'] });
      }
    }
  });

export type TransmitterParams = z.infer<typeof TransmitterSchema>;
export type ReceiverParams = z.infer<typeof ReceiverSchema>;
export type AtmosphereParams = z.infer<typeof AtmosphereSchema>;
export type LinkParams = z.infer<typeof LinkParamsSchema>;
export type LinkParamsInput = z.input<typeof LinkParamsSchema>;
