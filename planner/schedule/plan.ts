/**
 * From a solved problem to the plan people read: assignments (with the telescope each pass uses), per-pair
 * delivered key against demand with the reason when it falls short, and the relays that deliver it.
 */
import { toIso, MS_PER_S, type UtcMs } from '../time.ts';
import { evaluate } from './evaluate.ts';
import { routablePairs, stationsFeedingFn } from './problem.ts';
import type { Scenario } from './scenario.ts';
import type { ScheduleProblem, Solution } from './types.ts';

export interface PlanAssignment {
  /** Candidate id: the pass id, or the inter-satellite window id. */
  id: string;
  kind: 'ground' | 'inter-satellite';
  satellite: string;
  /** Station id, or the other satellite's NORAD id for an inter-satellite link. */
  station: string;
  telescope?: string;
  start: string;
  end: string;
  startMs: UtcMs;
  endMs: UtcMs;
  expectedSecretKeyBits: number;
  clearSkyKeyBits: number;
  cloudFreeProbability: number;
  /** Clear-sky key of this assignment reserved by the plan's relays, bits (the rest is spare). */
  usedKeyBits: number;
  /** Expected bits delivered to each pair through this assignment. */
  serves: { from: string; to: string; bits: number }[];
  /** True when the pass lies before the re-plan instant and was kept as flown. */
  flown?: boolean;
}

export interface PlanDemand {
  from: string;
  to: string;
  priority: number;
  demandBits: number;
  expectedBits: number;
  satisfaction: number;
  status: 'met' | 'partial' | 'unmet';
  reason?: string;
}

export interface PlanRelay {
  id: string;
  from: string;
  to: string;
  /** Expected delivered bits: clearSkyBits × the probability that every segment is clear. */
  bits: number;
  /** Bits reserved on each segment (its clear-sky key). */
  clearSkyBits: number;
  /** Assignment ids joined by the relay, in route order (pass, [window,] pass). */
  via: string[];
  completion: string;
}

export interface PlanStats {
  method: 'milp' | 'heuristic';
  solverStatus?: string;
  objective: number;
  /** Proven upper bound on the objective (from HiGHS), when computed. */
  bound?: number;
  /** Relative gap of the heuristic's plan to the bound: (bound − heuristic) / bound. */
  heuristicObjective: number;
  /** Without the LP relaxation's guidance (greedy + local search alone), when the guided run was made. */
  unguidedHeuristicObjective?: number;
  heuristicGap?: number;
  /** Relative gap of the returned plan to the bound. */
  gap?: number;
  candidates: number;
  routes: number;
  capacityRows: number;
  /** Checkpoints of the on-board memory models (0 when no satellite's memory can fill). */
  memoryCheckpoints: number;
  fairnessWeight: number;
  minSatisfaction: number;
}

/** A ground candidate as the web view's plan timeline reads it (web/src/api-types.ts PlanPassSchema). */
export interface PlanPass {
  id: string;
  satellite: string;
  station: string;
  aos: string;
  tca: string;
  los: string;
  maxElevationDeg: number;
  expectedSecretKeyBits: number;
  usableWindows: { start: string; end: string }[];
  /** Flown in this plan (true) or a candidate left out (false). */
  scheduled: boolean;
}

export interface SchedulePlan {
  scenario: string;
  start: string;
  end: string;
  assignments: PlanAssignment[];
  demands: PlanDemand[];
  relays: PlanRelay[];
  /** Every ground candidate, flown or not, for the mission view's timeline. */
  passes: PlanPass[];
  stations: { id: string; name?: string; latDeg: number; lonDeg: number; heightM: number; minElevationDeg: number }[];
  stats: PlanStats;
  /** Candidates left out before optimisation, with why (no usable window, too little key, unknown id…). */
  dropped: { id: string; reason: string }[];
}

/** Interval colouring by start time: optimal for interval graphs, so it succeeds whenever the capacity rows hold. */
function assignTelescopes(scenario: Scenario, assignments: PlanAssignment[]): string[] {
  const problems: string[] = [];
  for (const st of scenario.stations) {
    const slewMs = Math.max(...st.telescopes.map((t) => t.slewTimeS)) * MS_PER_S;
    const freeAt = st.telescopes.map(() => -Infinity);
    for (const a of assignments.filter((x) => x.kind === 'ground' && x.station === st.id).sort((x, y) => x.startMs - y.startMs || (x.id < y.id ? -1 : 1))) {
      const k = freeAt.findIndex((t) => t <= a.startMs);
      if (k < 0) { problems.push(`no free telescope at ${st.id} for ${a.id}`); continue; }
      a.telescope = st.telescopes[k].id;
      freeAt[k] = a.endMs + slewMs;
    }
  }
  return problems;
}

/**
 * What a pair could get if it had every pass to itself: the key of the passes at either end of its routes (each
 * relayed bit uses one bit at each end), the smaller side. Below the demand, the sky is the limit, not the plan.
 */
function pairAloneBound(problem: ScheduleProblem, p: number): number {
  const first = new Set<number>();
  const last = new Set<number>();
  for (const r of problem.routes) {
    if (r.pair !== p) continue;
    first.add(r.segments[0]);
    last.add(r.segments[r.segments.length - 1]);
  }
  const sum = (s: Set<number>) => [...s].reduce((acc, c) => acc + problem.candidates[c].expectedSecretKeyBits, 0);
  return Math.min(sum(first), sum(last));
}

function unmetReason(scenario: Scenario, problem: ScheduleProblem, p: number, routable: boolean, deliveredBits: number): string {
  const pair = problem.pairs[p];
  const feeding = stationsFeedingFn(scenario);
  for (const node of [pair.from, pair.to]) {
    if (feeding(node).size === 0) return `no ground station feeds node ${node}`;
  }
  for (const node of [pair.from, pair.to]) {
    const st = feeding(node);
    if (!problem.candidates.some((c) => c.kind === 'ground' && st.has(c.target))) return `no usable pass at the stations feeding ${node} (${[...st].join(', ')}) in the horizon`;
  }
  if (!routable) return `no satellite sees a station of each node within ${scenario.planning.maxRelayHoldH} h (no relay route)`;
  const alone = pairAloneBound(problem, p);
  if (alone < pair.demandBits) {
    const most = `the passes that can relay this pair give at most ${Math.round(alone)} bits (${((100 * alone) / pair.demandBits).toFixed(1)} % of the demand) after weather`;
    return deliveredBits < 0.9 * alone ? `${most}; part of their key and telescope time goes to pairs of higher weight` : most;
  }
  return 'telescopes, satellite terminals or on-board memory are shared with pairs of higher weight';
}

export function buildPlan(scenario: Scenario, problem: ScheduleProblem, sol: Solution, stats: Omit<PlanStats, 'candidates' | 'routes' | 'capacityRows' | 'memoryCheckpoints' | 'fairnessWeight' | 'minSatisfaction' | 'objective'>, dropped: { id: string; reason: string }[], nowMs?: UtcMs): SchedulePlan {
  const ev = evaluate(problem, sol);
  if (ev.violations.length) throw new Error(`internal: the plan breaks rules:\n${ev.violations.slice(0, 10).join('\n')}`);
  const { candidates, routes, pairs } = problem;
  const used = candidates.map(() => 0);
  const serves = candidates.map(() => new Map<number, number>());
  const relays: PlanRelay[] = [];
  routes.forEach((r, ri) => {
    const y = sol.routeBits[ri];
    if (!(y > 0)) return;
    const expected = y * r.successProbability;
    for (const c of r.segments) {
      used[c] += y;
      serves[c].set(r.pair, (serves[c].get(r.pair) ?? 0) + expected);
    }
    relays.push({ id: r.id, from: pairs[r.pair].from, to: pairs[r.pair].to, bits: expected, clearSkyBits: y, via: r.segments.map((c) => candidates[c].id), completion: toIso(r.completionMs) });
  });
  const assignments: PlanAssignment[] = [];
  candidates.forEach((c, i) => {
    if (!sol.selected[i]) return;
    assignments.push({
      id: c.id, kind: c.kind === 'ground' ? 'ground' : 'inter-satellite', satellite: c.satellite, station: c.target,
      start: toIso(c.startMs), end: toIso(c.endMs), startMs: c.startMs, endMs: c.endMs,
      expectedSecretKeyBits: c.expectedSecretKeyBits, clearSkyKeyBits: c.clearSkyKeyBits, cloudFreeProbability: c.cloudFreeProbability,
      usedKeyBits: used[i],
      serves: [...serves[i].entries()].sort((a, b) => a[0] - b[0]).map(([p, bits]) => ({ from: pairs[p].from, to: pairs[p].to, bits })),
      ...(nowMs !== undefined && c.startMs < nowMs ? { flown: true } : {}),
    });
  });
  const telescopeProblems = assignTelescopes(scenario, assignments);
  if (telescopeProblems.length) throw new Error(`internal: ${telescopeProblems.join('; ')}`);
  const routable = routablePairs(problem);
  const demands: PlanDemand[] = pairs.map((p, i) => {
    const s = ev.satisfaction[i];
    const status = s >= 1 - 1e-9 ? 'met' : s > 0 ? 'partial' : 'unmet';
    return {
      from: p.from, to: p.to, priority: p.priority, demandBits: p.demandBits, expectedBits: ev.deliveredBits[i], satisfaction: s, status,
      ...(status === 'met' ? {} : { reason: unmetReason(scenario, problem, i, routable[i], ev.deliveredBits[i]) }),
    };
  });
  return {
    scenario: scenario.name,
    start: toIso(problem.horizon.startMs),
    end: toIso(problem.horizon.endMs),
    assignments,
    demands,
    relays,
    passes: candidates.flatMap((c, i) =>
      c.kind === 'ground' && c.pass
        ? [{
            id: c.id, satellite: c.satellite, station: c.target, aos: toIso(c.pass.aosMs), tca: toIso(c.pass.tcaMs), los: toIso(c.pass.losMs),
            maxElevationDeg: c.maxElevationDeg ?? 0, expectedSecretKeyBits: Math.round(c.expectedSecretKeyBits),
            usableWindows: c.pass.usableWindows.map((w) => ({ start: toIso(w.startMs), end: toIso(w.endMs) })), scheduled: Boolean(sol.selected[i]),
          }]
        : [],
    ),
    stations: scenario.stations.map((st) => ({ id: st.id, ...(st.name ? { name: st.name } : {}), latDeg: st.latDeg, lonDeg: st.lonDeg, heightM: st.heightM, minElevationDeg: st.minElevationDeg })),
    stats: {
      ...stats,
      objective: ev.objective,
      candidates: candidates.length,
      routes: routes.length,
      capacityRows: problem.capacityRows.length,
      memoryCheckpoints: problem.memory.reduce((n, m) => n + m.checkpointsMs.length, 0),
      fairnessWeight: problem.fairnessWeight,
      minSatisfaction: ev.minSatisfaction,
    },
    dropped,
  };
}
