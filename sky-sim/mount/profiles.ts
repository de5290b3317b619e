/**
 * Mount models. `telescope` is a 1 m-class alt-az optical ground station (Xinglong-like): slews at a few °/s
 * with finite acceleration, a ±270° cable wrap, a zenith keyhole that comes from the azimuth rate limit (the
 * azimuth rate needed to follow a pass grows like 1/cos(elevation)), a settle ringing after slews, and a
 * controller that extrapolates a target moving between consecutive commands (rate feed-forward), as tracking
 * mounts fed a position stream do. `rotctld-dummy` behaves like Hamlib's dummy rotator (`rotctld -m 1`):
 * constant speed per axis with no acceleration, azimuth −180…450°, elevation 0…90°, targets taken literally
 * (no wrap choice), out-of-range commands refused, no settling and no feed-forward.
 */
import { z } from 'zod';

export const mountModelSchema = z.object({
  kind: z.enum(['telescope', 'rotctld-dummy']),
  azMaxVelocityDegS: z.number().positive(),
  azMaxAccelerationDegS2: z.number().positive(),
  elMaxVelocityDegS: z.number().positive(),
  elMaxAccelerationDegS2: z.number().positive(),
  azMinDeg: z.number(),
  azMaxDeg: z.number(),
  elMinDeg: z.number(),
  elMaxDeg: z.number().max(90),
  park: z.object({ azDeg: z.number(), elDeg: z.number() }),
  /** Ringing after a slew longer than `settleAfterSlewDeg`: amplitude at arrival, decays over settleMs. */
  settleMs: z.number().nonnegative(),
  settleAmplitudeDeg: z.number().nonnegative(),
  settleFrequencyHz: z.number().positive(),
  settleAfterSlewDeg: z.number().nonnegative(),
  /** Below this error the mount counts as on target (not slewing). */
  onTargetToleranceDeg: z.number().positive(),
  /** Consecutive commands closer than this in time are treated as samples of a moving target. */
  feedForwardWindowMs: z.number().nonnegative(),
  /** Gaussian encoder noise of the reported position, degrees (1σ). */
  encoderNoiseDeg: z.number().nonnegative(),
});
export type MountModel = z.infer<typeof mountModelSchema>;

export const TELESCOPE_MOUNT: MountModel = {
  kind: 'telescope',
  azMaxVelocityDegS: 6,
  azMaxAccelerationDegS2: 3,
  elMaxVelocityDegS: 4,
  elMaxAccelerationDegS2: 3,
  azMinDeg: -270,
  azMaxDeg: 270,
  elMinDeg: 5,
  elMaxDeg: 90,
  park: { azDeg: 0, elDeg: 90 },
  settleMs: 1500,
  settleAmplitudeDeg: 0.01,
  settleFrequencyHz: 4,
  settleAfterSlewDeg: 1,
  onTargetToleranceDeg: 0.005,
  feedForwardWindowMs: 2000,
  encoderNoiseDeg: 0.0003,
};

export const ROTCTLD_DUMMY_MOUNT: MountModel = {
  kind: 'rotctld-dummy',
  azMaxVelocityDegS: 6,
  azMaxAccelerationDegS2: Number.MAX_VALUE, // replaced by Infinity in the axis (zod cannot carry Infinity)
  elMaxVelocityDegS: 6,
  elMaxAccelerationDegS2: Number.MAX_VALUE,
  azMinDeg: -180,
  azMaxDeg: 450,
  elMinDeg: 0,
  elMaxDeg: 90,
  park: { azDeg: 0, elDeg: 0 },
  settleMs: 0,
  settleAmplitudeDeg: 0,
  settleFrequencyHz: 1,
  settleAfterSlewDeg: 0,
  onTargetToleranceDeg: 0.01,
  feedForwardWindowMs: 0,
  encoderNoiseDeg: 0,
};
