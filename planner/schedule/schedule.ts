/**
 * The scheduler's entry point: problem → heuristic (always: fast, a warm start and a fall-back) → HiGHS MILP (exact,
 * or the LP relaxation bound only for problems past `milpMaxRoutes`) → the better plan, with the heuristic's gap
 * to the solver's proven bound.
 */
import type { Interval, UtcMs } from '../time.ts';
import type { CandidateSet } from './candidates.ts';
import { evaluate } from './evaluate.ts';
import { solveHeuristic, type HeuristicOptions } from './heuristic.ts';
import { buildPlan, type SchedulePlan } from './plan.ts';
import { buildProblem, type ProblemOptions } from './problem.ts';
import type { Scenario } from './scenario.ts';
import { solveMilp, type MilpOptions } from './solve-milp.ts';
import type { ScheduleProblem } from './types.ts';

export interface ScheduleOptions {
  /** auto: exact MILP up to `milpMaxRoutes` routes, beyond that the heuristic with the LP bound. */
  method?: 'auto' | 'milp' | 'heuristic';
  milpMaxRoutes?: number;
  milp?: Omit<MilpOptions, 'start' | 'relaxation'>;
  heuristic?: HeuristicOptions;
  /** For method 'heuristic': also solve the LP relaxation to report the gap (default true). */
  bound?: boolean;
  /** Set by replan: the re-plan instant (assignments before it are marked flown). */
  nowMs?: UtcMs;
}

export interface ScheduleResult {
  plan: SchedulePlan;
  problem: ScheduleProblem;
}

/** x_c ≥ this in the LP relaxation → the pass seeds the LP-guided heuristic (0.9 measured best of 0.5/0.9/0.999). */
const LP_SEED_THRESHOLD = 0.9;

function relGap(bound: number, value: number): number | undefined {
  if (!Number.isFinite(bound)) return undefined;
  return Math.max(0, (bound - value) / Math.max(Math.abs(bound), 1e-12));
}

export async function solveProblem(scenario: Scenario, problem: ScheduleProblem, dropped: CandidateSet['dropped'], opts: ScheduleOptions = {}): Promise<SchedulePlan> {
  const heur = solveHeuristic(problem, opts.heuristic);
  const method = opts.method ?? 'auto';
  const exact = method === 'milp' || (method === 'auto' && problem.routes.length <= (opts.milpMaxRoutes ?? 8000));
  if (exact) {
    // 0.5 % relative gap by default: HiGHS (single-threaded WebAssembly) proves it in seconds to a minute on a week
    // of a small constellation, where 0.01 % can take many minutes. The stop is deterministic (no clock involved).
    const milp = await solveMilp(problem, { relativeGap: 5e-3, ...opts.milp, start: heur.solution });
    const milpObj = milp.solution ? evaluate(problem, milp.solution).objective : -Infinity;
    const useMilp = milp.solution !== null && milpObj >= heur.objective - 1e-12;
    const sol = useMilp ? milp.solution! : heur.solution;
    const obj = useMilp ? milpObj : heur.objective;
    return buildPlan(scenario, problem, sol, {
      method: useMilp ? 'milp' : 'heuristic', solverStatus: milp.status, bound: milp.bound,
      heuristicObjective: heur.objective, heuristicGap: relGap(milp.bound, heur.objective), gap: relGap(milp.bound, obj),
    }, dropped, opts.nowMs);
  }
  const lp = opts.bound === false ? null : await solveMilp(problem, { relaxation: true, ...(opts.milp?.timeLimitS ? { timeLimitS: opts.milp.timeLimitS } : {}) });
  // LP-guided: the passes the relaxation flies (nearly) fully seed a second heuristic run; keep the better plan.
  const seeded = lp?.relaxedSelection ? solveHeuristic(problem, { ...opts.heuristic, seed: lp.relaxedSelection.map((x) => x >= LP_SEED_THRESHOLD) }) : null;
  const best = seeded && seeded.objective > heur.objective ? seeded : heur;
  return buildPlan(scenario, problem, best.solution, {
    method: 'heuristic', ...(lp ? { solverStatus: `lp-relaxation ${lp.status}`, bound: lp.bound, heuristicGap: relGap(lp.bound, best.objective), gap: relGap(lp.bound, best.objective) } : {}),
    heuristicObjective: best.objective,
    ...(seeded ? { unguidedHeuristicObjective: heur.objective } : {}),
  }, dropped, opts.nowMs);
}

/** Plans [horizon.start, horizon.end) from scratch. */
export async function schedule(scenario: Scenario, horizon: Interval, candidateSet: CandidateSet, opts: ScheduleOptions = {}, problemOpts: ProblemOptions = {}): Promise<ScheduleResult> {
  const problem = buildProblem(scenario, horizon, candidateSet.candidates, problemOpts);
  const plan = await solveProblem(scenario, problem, candidateSet.dropped, opts);
  return { plan, problem };
}
