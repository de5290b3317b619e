/**
 * The objective and the rule checker, independent of how a solution was found. The MILP, the heuristic and the
 * tests all judge plans here, so "the heuristic's gap" compares like with like.
 *
 * Objective (maximised):  Σ_p w_p·u_p + λ·z − ε·Σ_c x_c,  u_p = min(1, D_p / demand_p),  z = min over routable p of u_p.
 */
import { routablePairs } from './problem.ts';
import type { Evaluation, SatelliteMemory, ScheduleProblem, Solution } from './types.ts';

/** Key held on board at each checkpoint (a difference array over the holds). */
export function memoryUsage(mem: SatelliteMemory, routeBits: readonly number[]): number[] {
  const diff = new Array<number>(mem.checkpointsMs.length + 1).fill(0);
  for (const h of mem.holds) {
    const y = routeBits[h.route] ?? 0;
    if (y === 0) continue;
    diff[h.k0] += y;
    diff[h.k1] -= y;
  }
  const usage: number[] = [];
  let acc = 0;
  for (let k = 0; k < mem.checkpointsMs.length; k++) usage.push((acc += diff[k]));
  return usage;
}

/** Relative slack allowed on bit-budget rows: solver tolerances are ~1e-7 relative. */
const TOL = 1e-6;

export function evaluate(problem: ScheduleProblem, sol: Solution): Evaluation {
  const { candidates, pairs, routes } = problem;
  const violations: string[] = [];
  const delivered = pairs.map(() => 0);
  const used = candidates.map(() => 0);
  routes.forEach((r, ri) => {
    const y = sol.routeBits[ri] ?? 0;
    if (y < -TOL) violations.push(`route ${r.id}: negative bits ${y}`);
    if (y <= 0) return;
    delivered[r.pair] += y * r.successProbability;
    for (const c of r.segments) {
      used[c] += y;
      if (!sol.selected[c]) violations.push(`route ${r.id} relays ${y.toFixed(0)} bits through ${candidates[c].id}, which is not flown`);
    }
  });
  candidates.forEach((c, i) => {
    const cap = sol.selected[i] ? c.clearSkyKeyBits : 0;
    if (used[i] > cap * (1 + TOL) + 1e-3) violations.push(`${c.id}: routes use ${used[i].toFixed(0)} bits of ${cap.toFixed(0)}`);
  });
  for (const row of problem.capacityRows) {
    const n = row.members.filter((i) => sol.selected[i]).length;
    if (n > row.capacity) violations.push(`${row.resource}: ${n} at once (capacity ${row.capacity}): ${row.members.filter((i) => sol.selected[i]).map((i) => candidates[i].id).join(', ')}`);
  }
  for (const mem of problem.memory) {
    const usage = memoryUsage(mem, sol.routeBits);
    usage.forEach((bits, k) => {
      if (bits > mem.capacityBits * (1 + TOL) + 1e-3) violations.push(`memory of ${mem.satellite} at ${new Date(mem.checkpointsMs[k]).toISOString()}: ${bits.toFixed(0)} of ${mem.capacityBits} bits`);
    });
  }
  for (const [r, bits] of problem.fixedRoutes) {
    const y = sol.routeBits[r] ?? 0;
    if (Math.abs(y - bits) > 1e-6 * Math.max(1, bits) + 1e-3 && !(bits > 0 && !routes[r].segments.every((c) => sol.selected[c]))) {
      violations.push(`relay ${routes[r].id} completed before the re-plan with ${bits.toFixed(0)} bits, now ${y.toFixed(0)}`);
    }
  }
  for (const [i, v] of problem.fixedCandidates) {
    if (Boolean(sol.selected[i]) !== Boolean(v)) violations.push(`${candidates[i].id} was fixed to ${v} (already flown or failed)`);
  }
  const satisfaction = pairs.map((p, i) => Math.min(1, delivered[i] / p.demandBits));
  const routable = routablePairs(problem);
  const fair = satisfaction.filter((_, i) => routable[i]);
  const minSatisfaction = fair.length ? Math.min(...fair) : 0;
  const flown = sol.selected.filter(Boolean).length;
  const objective = pairs.reduce((s, p, i) => s + p.priority * satisfaction[i], 0) + problem.fairnessWeight * minSatisfaction - problem.candidateCost * flown;
  return { objective, deliveredBits: delivered, satisfaction, minSatisfaction, violations };
}
