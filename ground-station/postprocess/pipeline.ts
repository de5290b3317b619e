/**
 * Post-processing of one pass: the satellite (Alice, holding pulse records) and the ground station (Bob, holding
 * time tags) turn their correlated raw data into identical secret key blocks with a finite-key bound, talking
 * only over an authenticated classical channel.
 *   sync → sifting (+ double-click squashing) → parameter estimation (Z basis announced) → Cascade on the X basis
 *   → verification hash (ε_cor) → finite-key length ℓ (planner/keyrate/finite-key.ts, the planner's own
 *   estimator) → Toeplitz privacy amplification to exactly ℓ bits → refill the authentication pool → key blocks.
 * Each party is a separate async function that sees only its own data and the channel; `postProcessPass` runs
 * both in one process over an in-memory link (a deployment puts a network link between them).
 */
import type { DetectionEvent, KeySink, PulseRecord } from '../../planner/ports.ts';
import { AuthenticatedChannel } from './authenticated-channel.ts';
import type { AuthKeyPool } from './auth-key-pool.ts';
import { memoryChannelPair, type ClassicalChannel } from './channel.ts';
import { runGroundSide } from './ground-side.ts';
import type { PassIdentity, PassOutcome, PostProcessOptions } from './pass-common.ts';
import { runSatelliteSide } from './satellite-side.ts';

export { runGroundSide } from './ground-side.ts';
export { runSatelliteSide } from './satellite-side.ts';
export { blockId, type FiniteKeyEstimator, type PartyKey, type PassIdentity, type PassOutcome, type PostProcessOptions } from './pass-common.ts';

export async function postProcessPass(
  pass: PassIdentity,
  ground: { detections: readonly DetectionEvent[]; pool: AuthKeyPool; sink?: KeySink },
  satellite: { pulseRecord: (pulseIndex: number) => PulseRecord | undefined; pool: AuthKeyPool },
  opts: PostProcessOptions,
  link: [ClassicalChannel, ClassicalChannel] = memoryChannelPair(),
): Promise<PassOutcome> {
  const [aliceEnd, bobEnd] = link;
  const aliceCh = new AuthenticatedChannel(aliceEnd, satellite.pool, 'alice');
  const bobCh = new AuthenticatedChannel(bobEnd, ground.pool, 'bob');
  // If the satellite side gives up (its own checks failed), close the link so the ground side's pending receive
  // ends and it reports the failure instead of waiting forever.
  const alice = runSatelliteSide(pass, satellite, aliceCh, opts).catch((err: Error) => {
    aliceCh.close();
    throw err;
  });
  const bob = runGroundSide(pass, ground, bobCh, opts);
  const [a, b] = await Promise.allSettled([alice, bob]);
  if (b.status === 'rejected') throw b.reason;
  const outcome = b.value;
  outcome.satellite = a.status === 'fulfilled' ? a.value : { blocks: [], bytes: [] };
  return outcome;
}

