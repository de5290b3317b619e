/**
 * The optimisation problem in one data structure, shared by the MILP (solve-milp.ts), the heuristic (heuristic.ts)
 * and the checker (evaluate.ts): candidates, demand pairs, relay routes, capacity rows (telescopes with slew time,
 * satellite terminals with re-targeting time) and memory rows (on-board key memory over time).
 */
import { MS_PER_DAY, MS_PER_S, type Interval } from '../time.ts';
import { maximalCliques } from './cliques.ts';
import { enumerateRoutes } from './routes.ts';
import type { Scenario } from './scenario.ts';
import type { Candidate, CapacityRow, DemandPair, Route, SatelliteMemory, ScheduleProblem } from './types.ts';

const MS_PER_H = 3_600_000;

function capacityRows(resource: string, capacity: number, members: number[], candidates: readonly Candidate[], gapMs: number): CapacityRow[] {
  // A span is stretched by the set-up time that must follow it, so two spans closer than that overlap.
  const spans = members.map((i) => ({ startMs: candidates[i].startMs, endMs: candidates[i].endMs + gapMs, item: i }));
  return maximalCliques(spans)
    .filter((c) => c.length > capacity)
    .map((m) => ({ resource, capacity, members: m }));
}

/**
 * Memory models only for satellites that could fill theirs: every route holding on a satellite uses a segment of
 * that satellite, so the key it holds never exceeds the key of all its candidates. Where that total fits, the
 * memory can never bind and is left out (a large saving: holds of up to a day overlap heavily).
 */
function satelliteMemories(routes: readonly Route[], candidates: readonly Candidate[], memoryBits: Map<string, number>): SatelliteMemory[] {
  const keyOf = new Map<string, number>();
  for (const c of candidates) {
    // Holds are clear-sky bits (the memory must take the key when the sky is clear).
    keyOf.set(c.satellite, (keyOf.get(c.satellite) ?? 0) + c.clearSkyKeyBits);
    if (c.kind === 'isl') keyOf.set(c.target, (keyOf.get(c.target) ?? 0) + c.clearSkyKeyBits);
  }
  const bySat = new Map<string, { route: number; startMs: number; endMs: number }[]>();
  routes.forEach((r, ri) => {
    for (const h of r.holds) {
      if ((keyOf.get(h.satellite) ?? 0) <= memoryBits.get(h.satellite)!) continue;
      const list = bySat.get(h.satellite) ?? [];
      list.push({ route: ri, startMs: h.startMs, endMs: h.endMs });
      bySat.set(h.satellite, list);
    }
  });
  const out: SatelliteMemory[] = [];
  for (const sat of [...bySat.keys()].sort()) {
    const holds = bySat.get(sat)!;
    const checkpointsMs = [...new Set(holds.map((h) => h.startMs))].sort((a, b) => a - b);
    const firstAtOrAfter = (t: number) => {
      let lo = 0;
      let hi = checkpointsMs.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (checkpointsMs[mid] < t) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    out.push({
      satellite: sat,
      capacityBits: memoryBits.get(sat)!,
      checkpointsMs,
      holds: holds.map((h) => ({ route: h.route, k0: firstAtOrAfter(h.startMs), k1: firstAtOrAfter(h.endMs) })),
    });
  }
  return out;
}

export interface ProblemOptions {
  /** Decisions fixed by a re-plan (see replan.ts). */
  fixedCandidates?: Map<number, 0 | 1>;
  fixedRoutes?: Map<number, number>;
}

/** Demand of each scenario pair over the horizon (bits per day × days). */
export function demandPairs(scenario: Scenario, horizon: Interval): DemandPair[] {
  const days = (horizon.endMs - horizon.startMs) / MS_PER_DAY;
  return scenario.demands.map((d) => ({ from: d.from, to: d.to, priority: d.priority, demandBits: d.bitsPerDay * days }));
}

export function stationsFeedingFn(scenario: Scenario): (node: string) => ReadonlySet<string> {
  const map = new Map<string, Set<string>>();
  for (const st of scenario.stations) for (const n of st.feeds) (map.get(n) ?? map.set(n, new Set()).get(n)!).add(st.id);
  return (node) => map.get(node) ?? new Set();
}

export function buildProblem(scenario: Scenario, horizon: Interval, candidates: Candidate[], opts: ProblemOptions = {}): ScheduleProblem {
  const pairs = demandPairs(scenario, horizon);
  const routes = enumerateRoutes(candidates, pairs, stationsFeedingFn(scenario), {
    maxRelayHoldMs: scenario.planning.maxRelayHoldH * MS_PER_H,
    islPartnersPerSide: scenario.planning.islPartnersPerSide,
  });
  const rows: CapacityRow[] = [];
  for (const st of scenario.stations) {
    const members = candidates.flatMap((c, i) => (c.kind === 'ground' && c.target === st.id ? [i] : []));
    const slewMs = Math.max(...st.telescopes.map((t) => t.slewTimeS)) * MS_PER_S;
    rows.push(...capacityRows(`telescopes@${st.id}`, st.telescopes.length, members, candidates, slewMs));
  }
  for (const sat of scenario.satellites) {
    const retargetMs = sat.retargetTimeS * MS_PER_S;
    const optical = candidates.flatMap((c, i) => (c.kind === 'ground' && c.satellite === sat.noradId ? [i] : []));
    rows.push(...capacityRows(`optical-terminal@${sat.noradId}`, sat.opticalTerminals, optical, candidates, retargetMs));
    const isl = candidates.flatMap((c, i) => (c.kind === 'isl' && (c.satellite === sat.noradId || c.target === sat.noradId) ? [i] : []));
    rows.push(...capacityRows(`isl-terminal@${sat.noradId}`, sat.interSatelliteTerminals, isl, candidates, retargetMs));
  }
  const memory = new Map(scenario.satellites.map((s) => [s.noradId, s.keyMemoryBits]));
  const meanPriority = pairs.length ? pairs.reduce((s, p) => s + p.priority, 0) / pairs.length : 1;
  return {
    horizon,
    candidates,
    pairs,
    routes,
    capacityRows: rows,
    memory: satelliteMemories(routes, candidates, memory),
    fairnessWeight: scenario.planning.fairnessWeight ?? meanPriority,
    candidateCost: 1e-6,
    fixedCandidates: opts.fixedCandidates ?? new Map(),
    fixedRoutes: opts.fixedRoutes ?? new Map(),
  };
}

/** Pairs that at least one route can serve: only these enter the max–min fairness term. */
export function routablePairs(problem: ScheduleProblem): boolean[] {
  const ok = problem.pairs.map(() => false);
  for (const r of problem.routes) ok[r.pair] = true;
  return ok;
}
