/**
 * The scheduler end to end on hand-made passes: conflict rules, demand bookkeeping, relay memory and order,
 * inter-satellite relay, fairness, unmet demands, determinism, heuristic vs solver bound.
 */
import { describe, expect, it } from 'vitest';
import { buildCandidates } from './candidates.ts';
import { evaluate } from './evaluate.ts';
import { solveHeuristic } from './heuristic.ts';
import type { SchedulePlan } from './plan.ts';
import { buildProblem } from './problem.ts';
import type { Scenario } from './scenario.ts';
import { schedule, type ScheduleOptions } from './schedule.ts';
import { simpleIslYield, simplePassYield } from './simple-yield.ts';
import { solveMilp } from './solve-milp.ts';
import { MIN, RATE, T0, islWindow, mustParse, pass, smallScenarioInput, syntheticProblemInput } from './test-fixtures.ts';
import { weatherModel } from './weather.ts';
import type { InterSatelliteWindow, Pass } from '../types.ts';

const DAY = { startMs: T0, endMs: T0 + 86_400_000 };

async function plan(scenario: Scenario, passes: Pass[], opts: ScheduleOptions = {}, isl: InterSatelliteWindow[] = [], horizon = DAY) {
  const cs = buildCandidates({ scenario, horizon, passes, islWindows: isl, passYield: simplePassYield(RATE), islYield: simpleIslYield(RATE), weather: weatherModel(scenario) });
  return schedule(scenario, horizon, cs, opts);
}

/** An independent check of the rules on the plan as published (not via the model's rows). */
function conflictsOf(scenario: Scenario, p: SchedulePlan): string[] {
  const out: string[] = [];
  for (const st of scenario.stations) {
    const slewMs = Math.max(...st.telescopes.map((t) => t.slewTimeS)) * 1000;
    for (const tel of st.telescopes) {
      const mine = p.assignments.filter((a) => a.kind === 'ground' && a.station === st.id && a.telescope === tel.id).sort((a, b) => a.startMs - b.startMs);
      for (let i = 1; i < mine.length; i++) if (mine[i].startMs < mine[i - 1].endMs + slewMs) out.push(`${tel.id}: ${mine[i - 1].id} then ${mine[i].id}`);
    }
    const ground = p.assignments.filter((a) => a.kind === 'ground' && a.station === st.id);
    if (ground.some((a) => !a.telescope)) out.push(`${st.id}: a pass without a telescope`);
  }
  for (const sat of scenario.satellites) {
    const mine = p.assignments.filter((a) => a.kind === 'ground' && a.satellite === sat.noradId).sort((a, b) => a.startMs - b.startMs);
    for (let i = 1; i < mine.length; i++) if (mine[i].startMs < mine[i - 1].endMs + sat.retargetTimeS * 1000) out.push(`${sat.noradId}: ${mine[i - 1].id} then ${mine[i].id}`);
  }
  return out;
}

function bookkeeping(p: SchedulePlan): string[] {
  const out: string[] = [];
  for (const d of p.demands) {
    const viaRelays = p.relays.filter((r) => r.from === d.from && r.to === d.to).reduce((s, r) => s + r.bits, 0);
    if (Math.abs(viaRelays - d.expectedBits) > 1e-6 * Math.max(1, d.expectedBits)) out.push(`${d.from}-${d.to}: relays ${viaRelays} vs ${d.expectedBits}`);
    if (Math.abs(d.satisfaction - Math.min(1, d.expectedBits / d.demandBits)) > 1e-12) out.push(`${d.from}-${d.to}: satisfaction`);
  }
  const byId = new Map(p.assignments.map((a) => [a.id, a]));
  const used = new Map<string, number>();
  const expected = new Map<string, number>();
  for (const r of p.relays) {
    // Expected bits = clear-sky bits × the probability that every segment is clear.
    const prob = r.via.reduce((q, id) => q * (byId.get(id)?.cloudFreeProbability ?? 1), 1);
    if (Math.abs(r.bits - r.clearSkyBits * prob) > 1e-6 * Math.max(1, r.bits)) out.push(`relay ${r.id}: ${r.bits} expected vs ${r.clearSkyBits} × ${prob}`);
    for (const id of r.via) {
      if (!byId.has(id)) out.push(`relay ${r.id} uses ${id}, not an assignment`);
      used.set(id, (used.get(id) ?? 0) + r.clearSkyBits);
      expected.set(id, (expected.get(id) ?? 0) + r.bits);
    }
  }
  for (const a of p.assignments) {
    const u = used.get(a.id) ?? 0;
    if (Math.abs(u - a.usedKeyBits) > 1e-6 * Math.max(1, u)) out.push(`${a.id}: used ${a.usedKeyBits} vs relays ${u}`);
    if (a.usedKeyBits > a.clearSkyKeyBits * (1 + 1e-9)) out.push(`${a.id}: uses more key than it gives`);
    const served = a.serves.reduce((s, x) => s + x.bits, 0);
    const e = expected.get(a.id) ?? 0;
    if (Math.abs(served - e) > 1e-6 * Math.max(1, served)) out.push(`${a.id}: serves ${served} vs relays ${e}`);
  }
  return out;
}

const methods: ScheduleOptions['method'][] = ['milp', 'heuristic'];

describe('schedule: same-satellite relay', () => {
  it.each(methods)('%s: one satellite over S1 then S2 gives A–B the smaller of the two keys', async (method) => {
    const s = mustParse({ ...smallScenarioInput(), demands: [{ from: 'A', to: 'B', bitsPerDay: 400_000 }] });
    const { plan: p } = await plan(s, [pass('10001', 'S1', 0, 5, 90), pass('10001', 'S2', 100, 4, 90)], { method });
    expect(p.demands[0].expectedBits).toBeCloseTo(240_000, 0); // 4 min × 1000 bit/s
    expect(p.demands[0].status).toBe('partial');
    expect(p.assignments.map((a) => a.station)).toEqual(['S1', 'S2']);
    expect(p.relays).toHaveLength(1);
    expect(bookkeeping(p)).toEqual([]);
  });

  it.each(methods)('%s: on-board memory caps the key a satellite can hold for its relay partner', async (method) => {
    const input = smallScenarioInput();
    input.satellites[0].keyMemoryBits = 100_000;
    const s = mustParse({ ...input, demands: [{ from: 'A', to: 'B', bitsPerDay: 400_000 }] });
    const { plan: p } = await plan(s, [pass('10001', 'S1', 0, 5, 90), pass('10001', 'S2', 100, 5, 90)], { method });
    expect(p.demands[0].expectedBits).toBeCloseTo(100_000, 0);
  });

  it.each(methods)('%s: passes further apart than the longest hold relay nothing, and the plan says why', async (method) => {
    const input = smallScenarioInput();
    input.planning = { ...input.planning, maxRelayHoldH: 1 };
    const s = mustParse({ ...input, demands: [{ from: 'A', to: 'B', bitsPerDay: 400_000 }] });
    const { plan: p } = await plan(s, [pass('10001', 'S1', 0, 5, 90), pass('10001', 'S2', 100, 5, 90)], { method });
    expect(p.demands[0]).toMatchObject({ expectedBits: 0, status: 'unmet' });
    expect(p.demands[0].reason).toMatch(/no relay route/);
    expect(p.assignments).toEqual([]);
  });

  it('cloud-free probability scales the expected key', async () => {
    const input = smallScenarioInput();
    input.weather.monthlyCloudFree.S2 = new Array(12).fill(0.5);
    const s = mustParse({ ...input, demands: [{ from: 'A', to: 'B', bitsPerDay: 400_000 }] });
    const { plan: p } = await plan(s, [pass('10001', 'S1', 0, 5, 90), pass('10001', 'S2', 100, 5, 90)]);
    expect(p.assignments.find((a) => a.station === 'S2')!.cloudFreeProbability).toBe(0.5);
    expect(p.demands[0].expectedBits).toBeCloseTo(150_000, 0);
  });

  it('a per-night forecast overrides the monthly climatology', async () => {
    const input = smallScenarioInput();
    input.weather.forecasts = [{ station: 'S2', start: '2026-12-01T01:00:00Z', end: '2026-12-01T02:00:00Z', cloudFreeProbability: 0 }];
    const s = mustParse({ ...input, demands: [{ from: 'A', to: 'B', bitsPerDay: 400_000 }] });
    const { plan: p } = await plan(s, [pass('10001', 'S1', 0, 5, 90), pass('10001', 'S2', 100, 5, 90), pass('10001', 'S2', 300, 5, 90)]);
    expect(p.assignments.find((a) => a.station === 'S2')!.startMs).toBe(T0 + 300 * MIN);
    expect(p.dropped.some((d) => d.id.includes('S2') && /below/.test(d.reason))).toBe(true);
  });
});

describe('schedule: conflicts', () => {
  // Two satellites can each relay A–B; their S1 passes overlap (or sit within the 120 s slew).
  const passes = [
    pass('10001', 'S1', 0, 5, 90), pass('10001', 'S2', 100, 5, 90),
    pass('10003', 'S1', 6, 5, 90), pass('10003', 'S2', 200, 5, 90),
  ];
  it.each([
    { telescopes: 1, slewTimeS: 120, expectedBits: 300_000, flownAtS1: 1 },
    { telescopes: 1, slewTimeS: 30, expectedBits: 600_000, flownAtS1: 2 },
    { telescopes: 2, slewTimeS: 120, expectedBits: 600_000, flownAtS1: 2 },
  ])('$telescopes telescope(s) with $slewTimeS s slew: $flownAtS1 pass(es) at S1', async ({ telescopes, slewTimeS, expectedBits, flownAtS1 }) => {
    for (const method of methods) {
      const input = smallScenarioInput();
      input.stations[0].telescopes = Array.from({ length: telescopes }, (_, k) => ({ id: `T${k}`, apertureM: 1, slewTimeS }));
      const s = mustParse({ ...input, demands: [{ from: 'A', to: 'B', bitsPerDay: 1e6 }] });
      const { plan: p } = await plan(s, passes, { method });
      expect(p.assignments.filter((a) => a.station === 'S1')).toHaveLength(flownAtS1);
      expect(p.demands[0].expectedBits).toBeCloseTo(expectedBits, 0);
      expect(conflictsOf(s, p)).toEqual([]);
    }
  });

  it.each(methods)('%s: a satellite points at one station at a time', async (method) => {
    // 10001 sees S1 and S3 at the same time; only one can be flown.
    const s = mustParse({ ...smallScenarioInput(), demands: [{ from: 'A', to: 'B', bitsPerDay: 1e6 }, { from: 'C', to: 'B', bitsPerDay: 1e6 }] });
    const { plan: p } = await plan(s, [pass('10001', 'S1', 0, 5, 90), pass('10001', 'S3', 2, 5, 90), pass('10001', 'S2', 100, 5, 90)], { method });
    expect(p.assignments.filter((a) => a.station !== 'S2')).toHaveLength(1);
    expect(conflictsOf(s, p)).toEqual([]);
  });
});

describe('schedule: inter-satellite relay', () => {
  it.each(methods)('%s: g1 – s1 – s2 – g2 when no single satellite sees both stations', async (method) => {
    const s = mustParse({ ...smallScenarioInput(), demands: [{ from: 'A', to: 'B', bitsPerDay: 1e6 }] });
    const passes = [pass('10001', 'S1', 0, 5, 90), pass('10002', 'S2', 100, 5, 90)];
    const { plan: p } = await plan(s, passes, { method }, [islWindow('10001', '10002', 50, 10)]);
    expect(p.demands[0].expectedBits).toBeCloseTo(300_000, 0);
    const isl = p.assignments.find((a) => a.kind === 'inter-satellite')!;
    expect(isl).toMatchObject({ satellite: '10001', station: '10002' });
    expect(p.relays[0].via).toEqual([passes[0].id, isl.id, passes[1].id]);
    expect(bookkeeping(p)).toEqual([]);
  });

  it('a satellite without an inter-satellite terminal takes no window', async () => {
    const s = mustParse({ ...smallScenarioInput(), demands: [{ from: 'A', to: 'B', bitsPerDay: 1e6 }] });
    const { plan: p } = await plan(s, [pass('10001', 'S1', 0, 5, 90), pass('10003', 'S2', 100, 5, 90)], {}, [islWindow('10001', '10003', 50, 10)]);
    expect(p.demands[0].status).toBe('unmet');
    expect(p.dropped.some((d) => /inter-satellite terminal/.test(d.reason))).toBe(true);
  });
});

describe('schedule: objective', () => {
  // One S1 pass (300 kbit) must be shared by A–B (priority 2) and A–C (priority 1), each wanting 300 kbit.
  const passes = [pass('10001', 'S1', 0, 5, 90), pass('10001', 'S2', 100, 5, 90), pass('10001', 'S3', 200, 5, 90)];
  it.each([
    { fairnessWeight: 0, ab: 300_000, ac: 0 },
    { fairnessWeight: 3, ab: 150_000, ac: 150_000 },
  ])('fairness weight $fairnessWeight: A–B gets $ab, A–C gets $ac', async ({ fairnessWeight, ab, ac }) => {
    const input = smallScenarioInput();
    input.planning = { ...input.planning, fairnessWeight };
    const s = mustParse({ ...input, demands: [{ from: 'A', to: 'B', bitsPerDay: 300_000, priority: 2 }, { from: 'A', to: 'C', bitsPerDay: 300_000, priority: 1 }] });
    const { plan: p } = await plan(s, passes, { method: 'milp' });
    expect(p.demands[0].expectedBits).toBeCloseTo(ab, 0);
    expect(p.demands[1].expectedBits).toBeCloseTo(ac, 0);
    expect(p.stats.objective).toBeCloseTo(2 * (ab / 300_000) + ac / 300_000 + fairnessWeight * Math.min(ab, ac) / 300_000, 4);
  });

  it('says why a demand cannot be met', async () => {
    const s = mustParse({ ...smallScenarioInput(), demands: [{ from: 'A', to: 'E', bitsPerDay: 1e5 }, { from: 'A', to: 'D', bitsPerDay: 1e5 }, { from: 'A', to: 'B', bitsPerDay: 1e5 }] });
    const { plan: p } = await plan(s, [pass('10001', 'S1', 0, 5, 90), pass('10001', 'S2', 100, 5, 90)]);
    expect(p.demands.map((d) => [d.status, d.reason ?? ''])).toEqual([
      ['unmet', 'no ground station feeds node E'],
      ['unmet', expect.stringMatching(/no usable pass at the stations feeding D/)],
      ['met', ''],
    ]);
    // Unreachable pairs do not pin the fairness term to zero.
    expect(p.stats.minSatisfaction).toBe(1);
  });
});

describe('schedule: degenerate input', () => {
  it.each(methods)('%s: no passes at all gives an empty plan that says why', async (method) => {
    const s = mustParse({ ...smallScenarioInput(), demands: [{ from: 'A', to: 'B', bitsPerDay: 1e5 }] });
    const { plan: p } = await plan(s, [], { method });
    expect(p.assignments).toEqual([]);
    expect(p.demands[0]).toMatchObject({ status: 'unmet', reason: expect.stringMatching(/no usable pass at the stations feeding A/) });
  });

  it.each(methods)('%s: no demands flies nothing', async (method) => {
    const s = mustParse({ ...smallScenarioInput(), demands: [] });
    const { plan: p } = await plan(s, [pass('10001', 'S1', 0, 5, 90), pass('10001', 'S2', 100, 5, 90)], { method });
    expect(p.assignments).toEqual([]);
    expect(p.stats.objective).toBe(0);
  });
});

describe('schedule: generated constellations', () => {
  const gen = syntheticProblemInput({ satellites: 6, stations: 6, days: 2, pairs: 8, seed: 7 });
  const scenario = mustParse(gen.input);
  const cs = () => buildCandidates({ scenario, horizon: gen.horizon, passes: gen.passes, passYield: simplePassYield(RATE), weather: weatherModel(scenario) });

  it('MILP and heuristic plans obey every rule and keep the books', async () => {
    for (const method of methods) {
      const { plan: p, problem } = await schedule(scenario, gen.horizon, cs(), { method });
      expect(conflictsOf(scenario, p)).toEqual([]);
      expect(bookkeeping(p)).toEqual([]);
      expect(p.assignments.length).toBeGreaterThan(0);
      expect(problem.routes.length).toBeGreaterThan(0);
    }
  });

  it('heuristic ≤ MILP ≤ LP bound, and the reported gap is (bound − heuristic) / bound', async () => {
    const problem = buildProblem(scenario, gen.horizon, cs().candidates);
    const heur = solveHeuristic(problem, { localSearchMoves: 30 });
    const milp = await solveMilp(problem, { start: heur.solution });
    const lp = await solveMilp(problem, { relaxation: true });
    expect(milp.status).toBe('optimal');
    expect(evaluate(problem, heur.solution).violations).toEqual([]);
    const milpObj = evaluate(problem, milp.solution!).objective;
    expect(heur.objective).toBeLessThanOrEqual(milpObj + 1e-6);
    expect(milpObj).toBeLessThanOrEqual(milp.bound * (1 + 1e-4) + 1e-6);
    expect(milp.bound).toBeLessThanOrEqual(lp.bound + 1e-6);
    expect(heur.objective).toBeGreaterThan(0.5 * milpObj); // a useful heuristic, not a placeholder
    const { plan: p } = await schedule(scenario, gen.horizon, cs(), { method: 'milp' });
    expect(p.stats.heuristicGap).toBeCloseTo((p.stats.bound! - p.stats.heuristicObjective) / p.stats.bound!, 9);
  });

  it('the same inputs give the same plan', async () => {
    for (const method of methods) {
      const a = await schedule(scenario, gen.horizon, cs(), { method });
      const b = await schedule(scenario, gen.horizon, cs(), { method });
      expect(JSON.stringify(b.plan)).toBe(JSON.stringify(a.plan));
    }
  });
});
