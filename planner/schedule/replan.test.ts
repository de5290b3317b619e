/**
 * Rolling re-plan: the past is kept, only the future changes, failed passes void their relays, and the same inputs
 * give the same plan.
 */
import { describe, expect, it } from 'vitest';
import { buildCandidates } from './candidates.ts';
import type { SchedulePlan } from './plan.ts';
import { replan } from './replan.ts';
import type { Scenario } from './scenario.ts';
import { schedule, type ScheduleOptions } from './schedule.ts';
import { simplePassYield } from './simple-yield.ts';
import { RATE, mustParse, syntheticProblemInput } from './test-fixtures.ts';
import { weatherModel } from './weather.ts';

const gen = syntheticProblemInput({ satellites: 5, stations: 5, days: 2, pairs: 6, seed: 11 });
const base = mustParse(gen.input);
const nowMs = gen.horizon.startMs + 86_400_000;

function candidates(scenario: Scenario) {
  return buildCandidates({ scenario, horizon: gen.horizon, passes: gen.passes, passYield: simplePassYield(RATE), weather: weatherModel(scenario) });
}

const past = (p: SchedulePlan) => p.assignments.filter((a) => a.startMs < nowMs).map((a) => a.id);
const future = (p: SchedulePlan) => p.assignments.filter((a) => a.startMs >= nowMs);

describe.each<ScheduleOptions['method']>(['milp', 'heuristic'])('replan (%s)', (method) => {
  it('with nothing new, keeps the flown passes and the completed relays', async () => {
    const { plan: first } = await schedule(base, gen.horizon, candidates(base), { method });
    const { plan: again } = await replan({ scenario: base, previous: first, nowMs, candidateSet: candidates(base) }, { method });
    expect(past(again)).toEqual(past(first));
    expect(again.assignments.filter((a) => a.startMs < nowMs).every((a) => a.flown)).toBe(true);
    const done = (p: SchedulePlan) => p.relays.filter((r) => Date.parse(r.completion) <= nowMs).map((r) => [r.id, Math.round(r.clearSkyBits)]);
    expect(done(again)).toEqual(done(first));
    // Flown passes now count as clear, so the expected key can only grow (up to the heuristic's own slack).
    expect(again.stats.objective).toBeGreaterThanOrEqual(first.stats.objective - 1e-6 - (method === 'heuristic' ? 0.05 * first.stats.objective : 0));
  });

  it('a clouded-out station loses its future passes but keeps its flown ones', async () => {
    const { plan: first } = await schedule(base, gen.horizon, candidates(base), { method });
    const station = first.assignments.find((a) => a.startMs >= nowMs)!.station;
    const cloudy = mustParse({ ...gen.input, weather: { ...gen.input.weather, forecasts: [{ station, start: new Date(nowMs).toISOString(), end: new Date(gen.horizon.endMs).toISOString(), cloudFreeProbability: 0 }] } });
    const { plan: next } = await replan({ scenario: cloudy, previous: first, nowMs, candidateSet: candidates(cloudy) }, { method });
    expect(future(next).filter((a) => a.station === station)).toEqual([]);
    expect(past(next)).toEqual(past(first));
    // A flown pass happened: its clear-sky key exists, whatever today's forecast says about last night.
    for (const a of next.assignments.filter((x) => x.endMs <= nowMs)) {
      expect(a.clearSkyKeyBits).toBe(first.assignments.find((b) => b.id === a.id)!.clearSkyKeyBits);
      expect(a).toMatchObject({ cloudFreeProbability: 1, expectedSecretKeyBits: a.clearSkyKeyBits });
    }
  });

  it('a failed pass is dropped with every relay through it', async () => {
    const { plan: first } = await schedule(base, gen.horizon, candidates(base), { method });
    const failed = first.relays.find((r) => Date.parse(r.completion) <= nowMs)!.via[0];
    const { plan: next } = await replan({ scenario: base, previous: first, nowMs, candidateSet: candidates(base), failedIds: [failed] }, { method });
    expect(next.assignments.map((a) => a.id)).not.toContain(failed);
    expect(next.relays.some((r) => r.via.includes(failed))).toBe(false);
    expect(past(next)).toEqual(past(first).filter((id) => id !== failed));
  });

  it('rolls the horizon forward: the past is kept, the new day is planned', async () => {
    const firstDay = { startMs: gen.horizon.startMs, endMs: nowMs };
    const cs = (scenario: Scenario, horizon: typeof firstDay) => buildCandidates({ scenario, horizon, passes: gen.passes, passYield: simplePassYield(RATE), weather: weatherModel(scenario) });
    const { plan: first } = await schedule(base, firstDay, cs(base, firstDay), { method });
    const rollAt = nowMs - 6 * 3_600_000;
    const { plan: next } = await replan({ scenario: base, previous: first, nowMs: rollAt, candidateSet: cs(base, gen.horizon), endMs: gen.horizon.endMs }, { method });
    expect(next.end).toBe(new Date(gen.horizon.endMs).toISOString());
    const before = (p: SchedulePlan) => p.assignments.filter((a) => a.startMs < rollAt).map((a) => a.id);
    expect(before(next)).toEqual(before(first));
    expect(next.assignments.some((a) => a.startMs >= nowMs)).toBe(true);
    expect(next.demands[0].demandBits).toBeCloseTo(2 * first.demands[0].demandBits, 6);
  });

  it('the same inputs give the same plan', async () => {
    const { plan: first } = await schedule(base, gen.horizon, candidates(base), { method });
    const a = await replan({ scenario: base, previous: first, nowMs, candidateSet: candidates(base), failedIds: [first.assignments[0].id] }, { method });
    const b = await replan({ scenario: base, previous: first, nowMs, candidateSet: candidates(base), failedIds: [first.assignments[0].id] }, { method });
    expect(JSON.stringify(b.plan)).toBe(JSON.stringify(a.plan));
  });
});
