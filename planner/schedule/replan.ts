/**
 * Rolling re-plan: from instant `nowMs`, with updated candidates (new forecasts change expected keys) and passes
 * reported failed, keep what has been flown and re-decide only the future.
 *  - a pass that started before `nowMs` keeps its previous decision (flown, or not flown: the past cannot change);
 *    a flown pass that ended and is not reported failed happened: its clear-sky key exists (probability 1), whatever
 *    the forecast for a past night says;
 *  - a failed pass is fixed to "not flown" — it gave no key — and every relay through it is void;
 *  - a relay completed before `nowMs` keeps its bits; relays completing later are re-decided.
 * The horizon may be rolled forward (`endMs`); the demand then covers the longer horizon.
 * The same previous plan, instant and inputs give the same plan: nothing random, ties broken by id.
 */
import { toIso, type UtcMs } from '../time.ts';
import type { CandidateSet } from './candidates.ts';
import type { SchedulePlan } from './plan.ts';
import { buildProblem } from './problem.ts';
import type { Scenario } from './scenario.ts';
import { solveProblem, type ScheduleOptions, type ScheduleResult } from './schedule.ts';

export interface ReplanInput {
  scenario: Scenario;
  previous: SchedulePlan;
  nowMs: UtcMs;
  /** Candidates over the previous plan's whole horizon, rebuilt with the latest forecasts. */
  candidateSet: CandidateSet;
  /** Ids of assignments that failed (cloud, fault) and gave no key. */
  failedIds?: readonly string[];
  /** Rolls the horizon's end forward (≥ the previous end); the candidates must cover it. Default: the previous end. */
  endMs?: UtcMs;
}

export async function replan(input: ReplanInput, opts: ScheduleOptions = {}): Promise<ScheduleResult> {
  const { scenario, previous, nowMs } = input;
  const previousEndMs = Date.parse(previous.end);
  const endMs = input.endMs ?? previousEndMs;
  if (endMs < previousEndMs) throw new RangeError(`a re-plan can extend the horizon, not cut it: ${toIso(endMs)} is before ${previous.end}`);
  const horizon = { startMs: Date.parse(previous.start), endMs };
  const failed = new Set(input.failedIds ?? []);
  const prevAssign = new Map(previous.assignments.map((a) => [a.id, a]));
  // A flown pass not reported failed happened: its key exists (cloud-free probability 1, its clear-sky key as
  // planned, whatever today's forecast says about last night). A flown pass missing from the new candidate list
  // (e.g. its forecast went to zero) is put back.
  const candidates = input.candidateSet.candidates.map((c) => {
    const prev = prevAssign.get(c.id);
    if (!prev || c.startMs >= nowMs) return c;
    // In progress at nowMs: decided, but the sky is not yet known.
    if (c.endMs > nowMs) return { ...c, clearSkyKeyBits: prev.clearSkyKeyBits, cloudFreeProbability: prev.cloudFreeProbability, expectedSecretKeyBits: prev.expectedSecretKeyBits };
    return { ...c, clearSkyKeyBits: prev.clearSkyKeyBits, cloudFreeProbability: 1, expectedSecretKeyBits: prev.clearSkyKeyBits };
  });
  const known = new Set(candidates.map((c) => c.id));
  for (const a of previous.assignments) {
    if (a.startMs < nowMs && !known.has(a.id)) {
      candidates.push({
        id: a.id, kind: a.kind === 'ground' ? 'ground' : 'isl', satellite: a.satellite, target: a.station, startMs: a.startMs, endMs: a.endMs,
        clearSkyKeyBits: a.clearSkyKeyBits, ...(a.endMs <= nowMs ? { cloudFreeProbability: 1, expectedSecretKeyBits: a.clearSkyKeyBits } : { cloudFreeProbability: a.cloudFreeProbability, expectedSecretKeyBits: a.expectedSecretKeyBits }),
      });
    }
  }
  candidates.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const fixedCandidates = new Map<number, 0 | 1>();
  candidates.forEach((c, i) => {
    if (failed.has(c.id)) fixedCandidates.set(i, 0);
    else if (c.startMs < nowMs) fixedCandidates.set(i, prevAssign.has(c.id) ? 1 : 0);
  });
  // Build once without route fixes to learn the route ids, then fix the completed relays.
  const probe = buildProblem(scenario, horizon, candidates, { fixedCandidates });
  const prevRelay = new Map(previous.relays.map((r) => [r.id, r]));
  const fixedRoutes = new Map<number, number>();
  probe.routes.forEach((r, ri) => {
    const prev = prevRelay.get(r.id);
    if (r.completionMs <= nowMs) fixedRoutes.set(ri, prev && !prev.via.some((id) => failed.has(id)) ? prev.clearSkyBits : 0);
  });
  const problem = { ...probe, fixedRoutes };
  const plan = await solveProblem(scenario, problem, input.candidateSet.dropped, { ...opts, nowMs });
  return { plan, problem };
}
