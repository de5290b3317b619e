/**
 * The exact model, solved by HiGHS (WebAssembly build of the `highs` package; loaded once, asynchronously; the solve
 * itself is synchronous and single-threaded, hence deterministic for the same model and options).
 *
 * Variables: x_c ∈ {0,1} fly candidate c; y_r ≥ 0 bits relayed by route r (in units of `scale` bits for
 * conditioning); u_p ∈ [0,1] satisfaction of pair p; z ∈ [0,1] the least satisfaction.
 *   max  Σ_p w_p u_p + λ z − ε Σ_c x_c
 *   s.t. Σ_{r∋c} y_r ≤ B_c x_c                 each key bit used once (B_c clear-sky key of c; y_r clear-sky bits)
 *        y_r ≤ min_{c∈r} B_c                     (column bound, tightens the relaxation)
 *        u_p · demand_p ≤ Σ_{r∈p} P_r y_r        expected delivered key (P_r: all segments clear); u_p = min(1, ·)
 *        z ≤ u_p                                 for pairs some route can serve
 *        Σ_{c∈K} x_c ≤ k                          every maximal clique K of a telescope set / terminal
 *        m_{s,k} = m_{s,k−1} + Σ_{holds from k} y_r − Σ_{holds to k} y_r,  0 ≤ m_{s,k} ≤ M_s
 *                                                on-board key memory of satellite s at its checkpoints (a running
 *                                                sum: each hold enters two rows, not one row per instant it covers)
 */
import highsExport from 'highs';
import type { Highs } from 'highs';
import { memoryUsage } from './evaluate.ts';
import { routablePairs } from './problem.ts';
import type { ScheduleProblem, Solution } from './types.ts';

// The package is CommonJS with an ES build; TypeScript (NodeNext) types its default import as the CJS namespace,
// while Node and Vite load the ES build whose default export is the loader itself. Accept either shape.
const loadHighs = ((highsExport as unknown as { default?: unknown }).default ?? highsExport) as unknown as () => Promise<Highs>;
let highsPromise: Promise<Highs> | null = null;

/** The HiGHS runtime, compiled once per process (compiling the wasm costs ~0.1 s). */
export function getHighs(): Promise<Highs> {
  highsPromise ??= loadHighs();
  return highsPromise as Promise<Highs>;
}

export interface MilpOptions {
  /** Solve the LP relaxation only (integrality dropped): a fast upper bound for large problems. */
  relaxation?: boolean;
  timeLimitS?: number;
  /** Deterministic effort limit; prefer it to a time limit when the plan must be reproducible. */
  maxNodes?: number;
  relativeGap?: number;
  /** A feasible plan (e.g. the heuristic's) handed to HiGHS as its first incumbent. */
  start?: Solution;
}

export interface MilpResult {
  status: string;
  /** Present unless the solver found no feasible plan. */
  solution: Solution | null;
  /** Objective of the solver's solution as HiGHS reports it. */
  objective: number | null;
  /** Proven upper bound on the objective (the LP value for a relaxation, the MIP dual bound otherwise). */
  bound: number;
  /** For a relaxation: the fractional x_c of every candidate (guides the heuristic). */
  relaxedSelection?: number[];
  nodes: number;
  columns: number;
  rows: number;
  nonzeros: number;
}

const STATUS_NAMES: Record<number, string> = {
  0: 'not-set', 1: 'load-error', 2: 'model-error', 3: 'presolve-error', 4: 'solve-error', 5: 'postsolve-error', 6: 'empty',
  7: 'optimal', 8: 'infeasible', 9: 'unbounded-or-infeasible', 10: 'unbounded', 11: 'objective-bound', 12: 'objective-target',
  13: 'time-limit', 14: 'iteration-limit', 15: 'unknown', 16: 'solution-limit', 17: 'interrupted',
};

/** Bits per model unit: the median candidate key, so coefficients sit near 1. */
function scaleOf(problem: ScheduleProblem): number {
  const v = problem.candidates.map((c) => c.clearSkyKeyBits).sort((a, b) => a - b);
  return v.length ? Math.max(1, v[Math.floor(v.length / 2)]) : 1;
}

interface Built {
  numCols: number;
  cost: number[];
  lower: number[];
  upper: number[];
  integrality: number[];
  rowLower: number[];
  rowUpper: number[];
  starts: number[];
  indices: number[];
  values: number[];
}

function build(problem: ScheduleProblem, scale: number, relaxation: boolean): Built {
  const { candidates, routes, pairs } = problem;
  const nC = candidates.length;
  const nR = routes.length;
  const nP = pairs.length;
  const X = (c: number) => c;
  const Y = (r: number) => nC + r;
  const U = (p: number) => nC + nR + p;
  const Z = nC + nR + nP;
  // Memory level columns, one per satellite checkpoint, after z.
  const memBase: number[] = [];
  let next = Z + 1;
  for (const mem of problem.memory) {
    memBase.push(next);
    next += mem.checkpointsMs.length;
  }
  const numCols = next;
  const cost = new Array<number>(numCols).fill(0);
  const lower = new Array<number>(numCols).fill(0);
  const upper = new Array<number>(numCols).fill(1);
  const integrality = new Array<number>(numCols).fill(0);
  for (let c = 0; c < nC; c++) {
    cost[X(c)] = -problem.candidateCost;
    integrality[X(c)] = relaxation ? 0 : 1;
    const fixed = problem.fixedCandidates.get(c);
    if (fixed !== undefined) lower[X(c)] = upper[X(c)] = fixed;
  }
  routes.forEach((r, ri) => {
    upper[Y(ri)] = Math.min(...r.segments.map((c) => candidates[c].clearSkyKeyBits)) / scale;
    const fixed = problem.fixedRoutes.get(ri);
    if (fixed !== undefined) lower[Y(ri)] = upper[Y(ri)] = Math.min(fixed / scale, upper[Y(ri)]);
  });
  pairs.forEach((p, i) => (cost[U(i)] = p.priority));
  const routable = routablePairs(problem);
  cost[Z] = routable.some(Boolean) ? problem.fairnessWeight : 0;
  problem.memory.forEach((mem, m) => {
    for (let k = 0; k < mem.checkpointsMs.length; k++) upper[memBase[m] + k] = mem.capacityBits / scale;
  });
  if (!routable.some(Boolean)) upper[Z] = 0;

  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const row = (cols: number[], vals: number[], lo: number, hi: number) => {
    indices.push(...cols);
    values.push(...vals);
    starts.push(indices.length);
    rowLower.push(lo);
    rowUpper.push(hi);
  };
  const routesOfCandidate: number[][] = candidates.map(() => []);
  const routesOfPair: number[][] = pairs.map(() => []);
  routes.forEach((r, ri) => {
    for (const c of r.segments) routesOfCandidate[c].push(ri);
    routesOfPair[r.pair].push(ri);
  });
  candidates.forEach((cand, c) => {
    if (routesOfCandidate[c].length === 0) return;
    row([...routesOfCandidate[c].map(Y), X(c)], [...routesOfCandidate[c].map(() => 1), -cand.clearSkyKeyBits / scale], -Infinity, 0);
  });
  pairs.forEach((p, i) => {
    row([U(i), ...routesOfPair[i].map(Y)], [p.demandBits / scale, ...routesOfPair[i].map((r) => -routes[r].successProbability)], -Infinity, 0);
    if (routable[i]) row([Z, U(i)], [1, -1], -Infinity, 0);
  });
  for (const cap of problem.capacityRows) row(cap.members.map(X), cap.members.map(() => 1), -Infinity, cap.capacity);
  problem.memory.forEach((mem, m) => {
    const enter: number[][] = mem.checkpointsMs.map(() => []);
    const leave: number[][] = mem.checkpointsMs.map(() => []);
    for (const h of mem.holds) {
      enter[h.k0].push(h.route);
      if (h.k1 < mem.checkpointsMs.length) leave[h.k1].push(h.route);
    }
    for (let k = 0; k < mem.checkpointsMs.length; k++) {
      // m_k − m_{k−1} − Σ enter + Σ leave = 0; a route in both lists of one checkpoint cancels out.
      const coef = new Map<number, number>();
      coef.set(memBase[m] + k, 1);
      if (k > 0) coef.set(memBase[m] + k - 1, -1);
      for (const r of enter[k]) coef.set(Y(r), (coef.get(Y(r)) ?? 0) - 1);
      for (const r of leave[k]) coef.set(Y(r), (coef.get(Y(r)) ?? 0) + 1);
      const cols = [...coef.keys()].filter((c) => coef.get(c) !== 0).sort((a, b) => a - b);
      row(cols, cols.map((c) => coef.get(c)!), 0, 0);
    }
  });
  return { numCols, cost, lower, upper, integrality, rowLower, rowUpper, starts, indices, values };
}

/** Turns solver columns into a clean plan: binaries rounded, route bits clipped to the flown key budgets. */
function extract(problem: ScheduleProblem, col: ArrayLike<number>, scale: number): Solution {
  const nC = problem.candidates.length;
  const selected = problem.candidates.map((_, c) => col[c] > 0.5);
  const routeBits = problem.routes.map((r, ri) => {
    if (!r.segments.every((c) => selected[c])) return 0;
    const y = col[nC + ri] * scale;
    return y > 1e-6 * scale ? y : 0;
  });
  // Floating tolerance can leave a budget exceeded by a hair; scale the routes of such a candidate down.
  const used = problem.candidates.map(() => 0);
  problem.routes.forEach((r, ri) => r.segments.forEach((c) => (used[c] += routeBits[ri])));
  problem.routes.forEach((r, ri) => {
    for (const c of r.segments) {
      const cap = problem.candidates[c].clearSkyKeyBits;
      if (used[c] > cap) routeBits[ri] *= cap / used[c];
    }
  });
  for (const mem of problem.memory) {
    const peak = Math.max(0, ...memoryUsage(mem, routeBits));
    if (peak > mem.capacityBits) for (const h of mem.holds) routeBits[h.route] *= mem.capacityBits / peak;
  }
  return { selected, routeBits };
}

/** Column values of a known plan, for a warm start. */
function startColumns(problem: ScheduleProblem, sol: Solution, scale: number, numCols: number): number[] {
  const nC = problem.candidates.length;
  const nR = problem.routes.length;
  const col = new Array<number>(numCols).fill(0);
  sol.selected.forEach((s, c) => (col[c] = s ? 1 : 0));
  const delivered = problem.pairs.map(() => 0);
  sol.routeBits.forEach((y, r) => {
    col[nC + r] = y / scale;
    delivered[problem.routes[r].pair] += y * problem.routes[r].successProbability;
  });
  const routable = routablePairs(problem);
  let z = 1;
  problem.pairs.forEach((p, i) => {
    const u = Math.min(1, delivered[i] / p.demandBits);
    col[nC + nR + i] = u;
    if (routable[i]) z = Math.min(z, u);
  });
  col[nC + nR + problem.pairs.length] = routable.some(Boolean) ? z : 0;
  let base = nC + nR + problem.pairs.length + 1;
  for (const mem of problem.memory) {
    memoryUsage(mem, sol.routeBits).forEach((bits, k) => (col[base + k] = bits / scale));
    base += mem.checkpointsMs.length;
  }
  return col;
}

export async function solveMilp(problem: ScheduleProblem, opts: MilpOptions = {}): Promise<MilpResult> {
  const highs = await getHighs();
  const scale = scaleOf(problem);
  const b = build(problem, scale, opts.relaxation ?? false);
  const numRows = b.rowLower.length;
  const model = highs.createModel({
    numCols: b.numCols,
    numRows,
    sense: highs.constants.objectiveSense.maximize,
    colCost: b.cost,
    colLower: b.lower,
    colUpper: b.upper,
    rowLower: b.rowLower,
    rowUpper: b.rowUpper,
    matrix: { format: 'csr', numRows, numCols: b.numCols, starts: b.starts, indices: b.indices, values: b.values },
    ...(opts.relaxation ? {} : { integrality: b.integrality as never }),
  });
  try {
    model.options.set({ output_flag: false, random_seed: 0, mip_rel_gap: opts.relativeGap ?? 1e-4 });
    if (opts.timeLimitS !== undefined) model.options.set('time_limit', opts.timeLimitS);
    if (opts.maxNodes !== undefined) model.options.set('mip_max_nodes', opts.maxNodes);
    if (opts.start && !opts.relaxation) model.setSolution({ colValue: startColumns(problem, opts.start, scale, b.numCols) });
    model.run();
    const statusCode = model.getModelStatus() as number;
    const status = STATUS_NAMES[statusCode] ?? `status-${statusCode}`;
    const primal = Number(model.info.get('primal_solution_status'));
    const hasSolution = primal === 2; // kSolutionStatusFeasible
    const objective = hasSolution ? model.getObjectiveValue() : null;
    let bound: number;
    if (opts.relaxation) bound = statusCode === 7 ? model.getObjectiveValue() : Infinity;
    else {
      const dual = Number(model.info.get('mip_dual_bound'));
      bound = Number.isFinite(dual) ? dual : statusCode === 7 && objective !== null ? objective : Infinity;
    }
    const solution = hasSolution && !opts.relaxation ? extract(problem, model.getSolution().colValue, scale) : null;
    const nodes = opts.relaxation ? 0 : Number(model.info.get('mip_node_count'));
    const relaxedSelection = opts.relaxation && hasSolution ? Array.from(model.getSolution().colValue.slice(0, problem.candidates.length)) : undefined;
    return { status, solution, objective, bound, nodes, columns: b.numCols, rows: numRows, nonzeros: b.indices.length, ...(relaxedSelection ? { relaxedSelection } : {}) };
  } finally {
    model.dispose();
  }
}
