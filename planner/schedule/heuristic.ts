/**
 * A fast heuristic for problems too large to solve exactly: lazy greedy over relay routes, then a bounded
 * remove-and-refill local search. Fully deterministic (no randomness; every tie broken by index).
 *
 * Greedy step: among routes whose new passes fit every telescope and terminal, add the one whose bits raise the
 * objective most: w_p·Δu_p, plus λ·Δu_p shared among the pairs at the current least satisfaction (the max–min
 * term only rises when all of them rise), minus ε per newly flown pass. Bits per route are as many as the key left
 * in its segments, the demand left and the on-board memory left allow.
 */
import { evaluate } from './evaluate.ts';
import { MaxHeap } from './heap.ts';
import { routablePairs } from './problem.ts';
import type { ScheduleProblem, Solution } from './types.ts';

export interface HeuristicOptions {
  /** Remove-and-refill attempts after the greedy pass (0 = greedy only; default 1000, each pass at most once). */
  localSearchMoves?: number;
  /**
   * Most bits one greedy step gives a pair, as a fraction of its demand. Small steps let pairs take turns on the
   * scarce passes (water-filling) instead of the first pair taking a whole pass; 1 = as much as fits.
   */
  stepFraction?: number;
  /**
   * Passes to fly first (e.g. those the LP relaxation flies fully), each kept only if it fits the capacity rows;
   * the greedy then routes key through them and adds passes where they help. Unused seeds are dropped at the end.
   */
  seed?: readonly boolean[];
}

export interface HeuristicResult {
  solution: Solution;
  objective: number;
  greedyObjective: number;
  movesTried: number;
  movesAccepted: number;
}

/** Smallest relay worth an entry in the plan, bits. */
const MIN_ROUTE_BITS = 1;

interface State {
  selected: boolean[];
  banned: boolean[];
  used: number[];
  delivered: number[];
  rowCount: number[];
  /** Per satellite memory model, the key held at each checkpoint. */
  memUsed: number[][];
  routeBits: number[];
}

interface Index {
  candRows: number[][];
  routeMem: { m: number; k0: number; k1: number }[][];
  routesOfCandidate: number[][];
  routesOfPair: number[][];
  routable: boolean[];
}

function index(problem: ScheduleProblem): Index {
  const candRows: number[][] = problem.candidates.map(() => []);
  problem.capacityRows.forEach((row, k) => row.members.forEach((c) => candRows[c].push(k)));
  const routeMem: Index['routeMem'] = problem.routes.map(() => []);
  problem.memory.forEach((mem, m) => mem.holds.forEach((h) => routeMem[h.route].push({ m, k0: h.k0, k1: h.k1 })));
  const routesOfCandidate: number[][] = problem.candidates.map(() => []);
  problem.routes.forEach((r, ri) => r.segments.forEach((c) => routesOfCandidate[c].push(ri)));
  const routesOfPair: number[][] = problem.pairs.map(() => []);
  problem.routes.forEach((r, ri) => routesOfPair[r.pair].push(ri));
  return { candRows, routeMem, routesOfCandidate, routesOfPair, routable: routablePairs(problem) };
}

function emptyState(problem: ScheduleProblem): State {
  return {
    selected: problem.candidates.map(() => false),
    banned: problem.candidates.map(() => false),
    used: problem.candidates.map(() => 0),
    delivered: problem.pairs.map(() => 0),
    rowCount: problem.capacityRows.map(() => 0),
    memUsed: problem.memory.map((m) => m.checkpointsMs.map(() => 0)),
    routeBits: problem.routes.map(() => 0),
  };
}

function cloneState(s: State): State {
  return {
    selected: s.selected.slice(), banned: s.banned.slice(), used: s.used.slice(), delivered: s.delivered.slice(),
    rowCount: s.rowCount.slice(), memUsed: s.memUsed.map((u) => u.slice()), routeBits: s.routeBits.slice(),
  };
}

function select(problem: ScheduleProblem, ix: Index, s: State, c: number): void {
  if (s.selected[c]) return;
  s.selected[c] = true;
  for (const k of ix.candRows[c]) s.rowCount[k]++;
}

function deselect(problem: ScheduleProblem, ix: Index, s: State, c: number): void {
  if (!s.selected[c]) return;
  for (const r of ix.routesOfCandidate[c]) if (s.routeBits[r] > 0) addBits(problem, ix, s, r, -s.routeBits[r]);
  s.selected[c] = false;
  for (const k of ix.candRows[c]) s.rowCount[k]--;
}

function addBits(problem: ScheduleProblem, ix: Index, s: State, r: number, y: number): void {
  const route = problem.routes[r];
  s.routeBits[r] += y;
  s.delivered[route.pair] += y * route.successProbability;
  for (const c of route.segments) s.used[c] += y;
  for (const h of ix.routeMem[r]) {
    const u = s.memUsed[h.m];
    for (let k = h.k0; k < h.k1; k++) u[k] += y;
  }
}

/** Whether the route's not-yet-flown segments can all be added without breaking a capacity row. */
function fits(problem: ScheduleProblem, ix: Index, s: State, r: number): boolean {
  const route = problem.routes[r];
  let extra: Map<number, number> | null = null;
  for (const c of route.segments) {
    if (s.selected[c]) continue;
    if (s.banned[c]) return false;
    for (const k of ix.candRows[c]) {
      const add = (extra?.get(k) ?? 0) + 1;
      if (s.rowCount[k] + add > problem.capacityRows[k].capacity) return false;
      (extra ??= new Map()).set(k, add);
    }
  }
  return true;
}

/** Bits route r could relay now (0 when blocked). */
function room(problem: ScheduleProblem, ix: Index, s: State, r: number): number {
  if (problem.fixedRoutes.has(r)) return 0; // completed before the re-plan instant: its bits are history
  const route = problem.routes[r];
  const pair = problem.pairs[route.pair];
  // Clear-sky bits: the demand left needs (demand − delivered) / P_r of them.
  let y = (pair.demandBits - s.delivered[route.pair]) / route.successProbability;
  for (const c of route.segments) y = Math.min(y, problem.candidates[c].clearSkyKeyBits - s.used[c]);
  if (y < MIN_ROUTE_BITS) return 0;
  for (const h of ix.routeMem[r]) {
    const u = s.memUsed[h.m];
    let peak = 0;
    for (let k = h.k0; k < h.k1; k++) if (u[k] > peak) peak = u[k];
    y = Math.min(y, problem.memory[h.m].capacityBits - peak);
  }
  if (y < MIN_ROUTE_BITS) return 0;
  return fits(problem, ix, s, r) ? y : 0;
}

function satisfactionOf(problem: ScheduleProblem, s: State, p: number): number {
  return Math.min(1, s.delivered[p] / problem.pairs[p].demandBits);
}

function score(problem: ScheduleProblem, ix: Index, s: State, r: number, y: number, minU: number, atMin: number): number {
  const route = problem.routes[r];
  const p = route.pair;
  const pair = problem.pairs[p];
  const du = (y * route.successProbability) / pair.demandBits;
  const u = satisfactionOf(problem, s, p);
  let gain = pair.priority * du;
  if (ix.routable[p] && u <= minU + 1e-12) gain += (problem.fairnessWeight * du) / atMin;
  const newPasses = route.segments.filter((c) => !s.selected[c]).length;
  return gain - problem.candidateCost * newPasses;
}

function minSatisfaction(problem: ScheduleProblem, ix: Index, s: State): { minU: number; atMin: number } {
  let minU = Infinity;
  let atMin = 0;
  problem.pairs.forEach((_, p) => {
    if (!ix.routable[p]) return;
    const u = satisfactionOf(problem, s, p);
    if (u < minU - 1e-12) { minU = u; atMin = 1; } else if (Math.abs(u - minU) <= 1e-12) atMin++;
  });
  return { minU, atMin: Math.max(1, atMin) };
}

/** Lazy greedy fill from the current state: stale heap scores only ever overestimate except for the fairness share. */
function greedyFill(problem: ScheduleProblem, ix: Index, s: State, stepFraction: number, only?: Iterable<number>): void {
  const step = (r: number) => Math.min(room(problem, ix, s, r), (stepFraction * problem.pairs[problem.routes[r].pair].demandBits) / problem.routes[r].successProbability);
  const heap = new MaxHeap();
  let { minU, atMin } = minSatisfaction(problem, ix, s);
  for (const r of only ?? problem.routes.keys()) {
    const y = step(r);
    if (y > 0) {
      const sc = score(problem, ix, s, r, y, minU, atMin);
      if (sc > 0) heap.push(sc, r);
    }
  }
  while (heap.size) {
    const top = heap.pop()!;
    const y = step(top.id);
    if (y <= 0) continue;
    const sc = score(problem, ix, s, top.id, y, minU, atMin);
    if (sc <= 0) continue;
    if (sc < heap.peekScore() - 1e-15) {
      heap.push(sc, top.id);
      continue;
    }
    for (const c of problem.routes[top.id].segments) select(problem, ix, s, c);
    addBits(problem, ix, s, top.id, y);
    ({ minU, atMin } = minSatisfaction(problem, ix, s));
    // The route may have room left (it was capped by memory only partly used elsewhere); offer it again.
    const again = step(top.id);
    if (again > 0) heap.push(score(problem, ix, s, top.id, again, minU, atMin), top.id);
  }
}

/**
 * The routes a move on pass c can make worth adding: those of the pairs c served (they lose bits), those through the
 * other segments of c's routes (their key is freed) and those through passes sharing a capacity row with c (they
 * may fit now). Refilling only these keeps a move cheap on month-long plans; the final fill looks at every route.
 */
function affectedRoutes(problem: ScheduleProblem, ix: Index, s: State, c: number): number[] {
  const pairs = new Set<number>();
  const cands = new Set<number>([c]);
  for (const r of ix.routesOfCandidate[c]) {
    if (s.routeBits[r] <= 0) continue;
    pairs.add(problem.routes[r].pair);
    for (const x of problem.routes[r].segments) cands.add(x);
  }
  for (const k of ix.candRows[c]) for (const x of problem.capacityRows[k].members) cands.add(x);
  const out = new Set<number>();
  for (const x of cands) for (const r of ix.routesOfCandidate[x]) out.add(r);
  for (const p of pairs) for (const r of ix.routesOfPair[p]) out.add(r);
  return [...out].sort((a, b) => a - b);
}

/** Flown passes no route uses (seeds, or left behind by a move) cost ε and block others: drop them. */
function dropUnused(problem: ScheduleProblem, ix: Index, s: State): void {
  s.selected.forEach((sel, c) => {
    if (sel && s.used[c] <= 0 && !problem.fixedCandidates.has(c)) deselect(problem, ix, s, c);
  });
}

function toSolution(s: State): Solution {
  return { selected: s.selected.slice(), routeBits: s.routeBits.slice() };
}

/** Starts from the decisions a re-plan fixed: flown passes and the bits their completed routes delivered. */
function initialState(problem: ScheduleProblem, ix: Index): State {
  const s = emptyState(problem);
  for (const [c, v] of problem.fixedCandidates) {
    if (v === 1) select(problem, ix, s, c);
    else s.banned[c] = true;
  }
  for (const [r, bits] of problem.fixedRoutes) {
    if (bits > 0 && problem.routes[r].segments.every((c) => s.selected[c])) addBits(problem, ix, s, r, bits);
  }
  return s;
}

export function solveHeuristic(problem: ScheduleProblem, opts: HeuristicOptions = {}): HeuristicResult {
  const ix = index(problem);
  const stepFraction = opts.stepFraction ?? 1;
  let best = initialState(problem, ix);
  if (opts.seed) {
    opts.seed.forEach((want, c) => {
      if (want && !best.selected[c] && !best.banned[c] && ix.candRows[c].every((k) => best.rowCount[k] < problem.capacityRows[k].capacity)) select(problem, ix, best, c);
    });
  }
  greedyFill(problem, ix, best, stepFraction);
  dropUnused(problem, ix, best);
  let bestObj = evaluate(problem, toSolution(best)).objective;
  const greedyObjective = bestObj;
  const budget = opts.localSearchMoves ?? 1000;
  let tried = 0;
  let accepted = 0;
  // Remove-and-refill: drop a flown pass (and its routes), forbid it, refill greedily; keep the result if better.
  // Passes are tried least useful first (the key they relay per bit they could give), which is where greedy errs.
  const order = (st: State) =>
    st.selected
      .map((sel, c) => ({ c, sel, util: st.used[c] / problem.candidates[c].clearSkyKeyBits }))
      .filter((e) => e.sel && !problem.fixedCandidates.has(e.c))
      .sort((a, b) => a.util - b.util || a.c - b.c)
      .map((e) => e.c);
  let queue = order(best);
  const triedSet = new Set<number>();
  while (tried < budget && queue.length) {
    const c = queue.shift()!;
    if (triedSet.has(c)) continue;
    triedSet.add(c);
    tried++;
    const trial = cloneState(best);
    const affected = affectedRoutes(problem, ix, trial, c);
    deselect(problem, ix, trial, c);
    trial.banned[c] = true;
    greedyFill(problem, ix, trial, stepFraction, affected);
    trial.banned[c] = false;
    const obj = evaluate(problem, toSolution(trial)).objective;
    if (obj > bestObj + 1e-9) {
      best = trial;
      bestObj = obj;
      accepted++;
      // Each pass is tried once: re-trying all after every accepted move was measured to do worse per move.
      queue = order(best).filter((x) => !triedSet.has(x));
    }
  }
  // A final fill: a pass forbidden during a move may fit again now.
  greedyFill(problem, ix, best, stepFraction);
  dropUnused(problem, ix, best);
  const solution = toSolution(best);
  return { solution, objective: evaluate(problem, solution).objective, greedyObjective, movesTried: tried, movesAccepted: accepted };
}
