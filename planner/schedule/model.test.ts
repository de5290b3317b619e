/** The model's parts on their own: relay routes and their memory holds, ISL sessions, and the rule checker. */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.ts';
import { islSessions } from './pipeline.ts';
import { buildProblem } from './problem.ts';
import { enumerateRoutes } from './routes.ts';
import { MIN, T0, islWindow, mustParse, smallScenarioInput } from './test-fixtures.ts';
import type { Candidate } from './types.ts';

function cand(id: string, kind: Candidate['kind'], satellite: string, target: string, startMin: number, endMin: number, bits = 100_000): Candidate {
  return { id, kind, satellite, target, startMs: T0 + startMin * MIN, endMs: T0 + endMin * MIN, clearSkyKeyBits: bits, cloudFreeProbability: 1, expectedSecretKeyBits: bits };
}

const feeding = (node: string) => new Set({ A: ['S1'], B: ['S2'] }[node] ?? []);
const pairs = [{ from: 'A', to: 'B', priority: 1, demandBits: 1e6 }];

describe('relay routes', () => {
  it('hold the earlier key of each trusted satellite until its partner exists, whatever the order', () => {
    // s1 meets S1 at t=0–5, the ISL at 50–60, s2 meets S2 at 20–25 (before the ISL).
    const cs = [cand('p1', 'ground', 's1', 'S1', 0, 5), cand('p2', 'ground', 's2', 'S2', 20, 25), cand('w', 'isl', 's1', 's2', 50, 60)];
    const routes = enumerateRoutes(cs, pairs, feeding, { maxRelayHoldMs: 86_400_000, islPartnersPerSide: 2 });
    expect(routes).toHaveLength(1);
    expect(routes[0].segments).toEqual([0, 2, 1]);
    expect(routes[0].completionMs).toBe(T0 + 60 * MIN);
    expect(routes[0].holds).toEqual([
      { satellite: 's1', startMs: T0 + 5 * MIN, endMs: T0 + 60 * MIN },
      { satellite: 's2', startMs: T0 + 25 * MIN, endMs: T0 + 60 * MIN },
    ]);
  });

  it.each([
    { name: 'two passes of one satellite, in either order', cs: [cand('a', 'ground', 's', 'S2', 0, 5), cand('b', 'ground', 's', 'S1', 30, 35)], routes: 1 },
    { name: 'overlapping passes of one satellite (one terminal)', cs: [cand('a', 'ground', 's', 'S1', 0, 5), cand('b', 'ground', 's', 'S2', 3, 8)], routes: 0 },
    { name: 'passes of different satellites without ISL', cs: [cand('a', 'ground', 's', 'S1', 0, 5), cand('b', 'ground', 't', 'S2', 30, 35)], routes: 0 },
    { name: 'passes beyond the hold limit', cs: [cand('a', 'ground', 's', 'S1', 0, 5), cand('b', 'ground', 's', 'S2', 2000, 2005)], routes: 0 },
  ])('$name: $routes route(s)', ({ cs, routes }) => {
    expect(enumerateRoutes(cs, pairs, feeding, { maxRelayHoldMs: 86_400_000, islPartnersPerSide: 2 })).toHaveLength(routes);
  });
});

describe('islSessions', () => {
  it.each([
    { durationMin: 300, sessions: 4 }, // starts 0, 90, 180, 270
    { durationMin: 276, sessions: 4 }, // the last one cut to 6 min, still at least half a session
    { durationMin: 274, sessions: 3 }, // a start at 270 would leave 4 min
    { durationMin: 4, sessions: 0 },
  ])('a $durationMin-minute window gives $sessions ten-minute sessions', ({ durationMin, sessions }) => {
    const out = islSessions([islWindow('1', '2', 0, durationMin)], 10 * MIN, 90 * MIN);
    expect(out).toHaveLength(sessions);
    for (const s of out) expect(s.endMs - s.startMs).toBeLessThanOrEqual(10 * MIN);
    expect(new Set(out.map((s) => s.id)).size).toBe(sessions);
  });
});

describe('evaluate', () => {
  const input = smallScenarioInput();
  input.satellites[0].keyMemoryBits = 50_000;
  const scenario = mustParse({ ...input, demands: [{ from: 'A', to: 'B', bitsPerDay: 1e6 }] });
  const cs = [cand('p1', 'ground', '10001', 'S1', 0, 5), cand('p2', 'ground', '10001', 'S2', 100, 105), cand('q1', 'ground', '10003', 'S1', 3, 8)];
  const problem = buildProblem(scenario, { startMs: T0, endMs: T0 + 86_400_000 }, cs);

  it.each([
    { name: 'a feasible plan', selected: [true, true, false], bits: 50_000, violation: null },
    { name: 'memory overflow', selected: [true, true, false], bits: 60_000, violation: /memory of 10001/ },
    { name: 'relay through a pass not flown', selected: [true, false, false], bits: 10_000, violation: /not flown/ },
    { name: 'two passes on one telescope within its slew time', selected: [true, true, true], bits: 10_000, violation: /telescopes@S1: 2 at once/ },
  ])('$name', ({ selected, bits, violation }) => {
    const routeBits = problem.routes.map((r) => (r.segments.join() === '0,1' ? bits : 0));
    const ev = evaluate(problem, { selected, routeBits });
    if (violation === null) expect(ev.violations).toEqual([]);
    else expect(ev.violations.join('\n')).toMatch(violation);
  });
});
