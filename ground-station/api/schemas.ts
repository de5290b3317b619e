/** zod schemas of what the operator API accepts (the boundary: everything else is typed already). */
import { z } from 'zod';
import { parseIso } from '../../planner/time.ts';

export const commandSchema = z.enum(['abort', 'park', 'pause', 'resume']);

export const commandBodySchema = z
  .object({
    /** Why (goes into the pass log). */
    note: z.string().max(200).optional(),
  })
  .strict();

const isoInstant = z.string().refine((s) => parseIso(s) !== null, 'must be an ISO-8601 instant with a zone');

export const logQuerySchema = z
  .object({
    since: isoInstant.optional(),
    limit: z.coerce.number().int().min(1).max(10_000).optional(),
  })
  .strict();

const interval = z.object({ startMs: z.number(), endMs: z.number() }).strict();

/** A planner Pass as JSON (what the scheduler pushes). */
export const passSchema = z
  .object({
    id: z.string().min(1),
    satellite: z.string().min(1),
    station: z.string().min(1),
    aosMs: z.number(),
    tcaMs: z.number(),
    losMs: z.number(),
    maxElevationDeg: z.number().min(-90).max(90),
    aosAzimuthDeg: z.number(),
    tcaAzimuthDeg: z.number(),
    losAzimuthDeg: z.number(),
    rangeAtTcaKm: z.number().positive(),
    clippedStart: z.boolean(),
    clippedEnd: z.boolean(),
    usableWindows: z.array(interval),
    sunlitAtTca: z.boolean(),
  })
  .strict()
  .refine((p) => p.aosMs <= p.tcaMs && p.tcaMs <= p.losMs, { message: 'needs aosMs ≤ tcaMs ≤ losMs', path: ['losMs'] });

export const planBodySchema = z.object({ passes: z.array(passSchema) }).strict();

/** "field: message" of the first issue, for one clear error line. */
export function firstIssue(err: z.ZodError): { field: string; message: string } {
  const issue = err.issues[0];
  return { field: issue.path.length ? issue.path.join('.') : '(body)', message: issue.message };
}
