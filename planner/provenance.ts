/**
 * The schema every key block's provenance must satisfy (DEVELOPERS.md convention 10): checked where blocks are
 * stored (the station key store) and where they enter the backbone (a KME ingesting satellite key), so an
 * unauditable block is refused at both doors by the same rule.
 */
import { z } from 'zod';
import type { KeyProvenance } from './ports.ts';

export const keyProvenanceSchema = z.strictObject({
  passId: z.string().min(1),
  stationId: z.string().min(1),
  satelliteId: z.string().min(1),
  startMs: z.number().finite(),
  endMs: z.number().finite(),
  qber: z.number().min(0).max(0.5),
  siftedBits: z.number().int().nonnegative(),
  reconciliationLeakedBits: z.number().nonnegative(),
  authenticationKeyBits: z.number().nonnegative(),
  epsilonSec: z.number().positive().max(1),
  epsilonCor: z.number().positive().max(1),
  finiteKeyBoundBits: z.number().nonnegative(),
  protocol: z.string().min(1),
}) satisfies z.ZodType<KeyProvenance>;
