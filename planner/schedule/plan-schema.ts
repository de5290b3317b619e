/**
 * Reading a previous plan back (the input of a rolling re-plan): the JSON written by output-json.ts, validated with
 * zod so a hand-edited or truncated file is an error naming the field, not a silent mis-plan.
 */
import { z } from 'zod';
import type { SchedulePlan } from './plan.ts';
import type { ScenarioIssue } from './scenario.ts';

const iso = z.string().refine((s) => Number.isFinite(Date.parse(s)), { message: 'not an ISO-8601 instant' });

const assignment = z.object({
  id: z.string(),
  kind: z.enum(['ground', 'inter-satellite']),
  satellite: z.string(),
  station: z.string(),
  telescope: z.string().optional(),
  start: iso,
  end: iso,
  startMs: z.number(),
  endMs: z.number(),
  expectedSecretKeyBits: z.number().min(0),
  clearSkyKeyBits: z.number().min(0),
  cloudFreeProbability: z.number().min(0).max(1),
  usedKeyBits: z.number().min(0),
  serves: z.array(z.object({ from: z.string(), to: z.string(), bits: z.number() })),
  flown: z.boolean().optional(),
});

const planSchema = z.object({
  scenario: z.string(),
  start: iso,
  end: iso,
  assignments: z.array(assignment),
  demands: z.array(z.object({ from: z.string(), to: z.string(), priority: z.number(), demandBits: z.number(), expectedBits: z.number(), satisfaction: z.number(), status: z.enum(['met', 'partial', 'unmet']), reason: z.string().optional() })),
  relays: z.array(z.object({ id: z.string(), from: z.string(), to: z.string(), bits: z.number().min(0), clearSkyBits: z.number().min(0), via: z.array(z.string()), completion: iso })),
  passes: z.array(z.record(z.string(), z.unknown())).default([]),
  stations: z.array(z.record(z.string(), z.unknown())).default([]),
  stats: z.record(z.string(), z.unknown()),
  dropped: z.array(z.object({ id: z.string(), reason: z.string() })).default([]),
});

export type PlanResult = { ok: true; plan: SchedulePlan } | { ok: false; issues: ScenarioIssue[] };

export function parsePlanText(text: string, file: string): PlanResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, issues: [{ file, path: '(syntax)', message: (err as Error).message }] };
  }
  const r = planSchema.safeParse(json);
  if (!r.success) return { ok: false, issues: r.error.issues.map((i) => ({ file, path: i.path.map(String).join('.') || '(root)', message: i.message })) };
  return { ok: true, plan: r.data as unknown as SchedulePlan };
}
