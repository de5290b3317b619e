/**
 * The scheduler's JSON: the fixed fields first (assignments[] with satellite, station, start, end,
 * expectedSecretKeyBits; demands[] with from, to, demandBits, expectedBits), then what planners and a re-plan need.
 * Bits are rounded to whole bits on output (they are expectations; sub-bit digits are noise).
 */
import type { SchedulePlan } from './plan.ts';

const bits = (x: number) => Math.round(x);

export function planJson(plan: SchedulePlan): object {
  return {
    scenario: plan.scenario,
    start: plan.start,
    end: plan.end,
    assignments: plan.assignments.map((a) => ({
      satellite: a.satellite,
      station: a.station,
      start: a.start,
      end: a.end,
      expectedSecretKeyBits: bits(a.expectedSecretKeyBits),
      id: a.id,
      kind: a.kind,
      ...(a.telescope ? { telescope: a.telescope } : {}),
      startMs: a.startMs,
      endMs: a.endMs,
      clearSkyKeyBits: bits(a.clearSkyKeyBits),
      cloudFreeProbability: a.cloudFreeProbability,
      usedKeyBits: bits(a.usedKeyBits),
      serves: a.serves.map((s) => ({ ...s, bits: bits(s.bits) })),
      ...(a.flown ? { flown: true } : {}),
    })),
    demands: plan.demands.map((d) => ({
      from: d.from,
      to: d.to,
      demandBits: bits(d.demandBits),
      expectedBits: bits(d.expectedBits),
      priority: d.priority,
      satisfaction: Number(d.satisfaction.toFixed(6)),
      status: d.status,
      ...(d.reason ? { reason: d.reason } : {}),
    })),
    relays: plan.relays.map((r) => ({ ...r, bits: bits(r.bits), clearSkyBits: bits(r.clearSkyBits) })),
    // The mission view's plan timeline (web/src/api-types.ts PlanSchema) reads these directly.
    passes: plan.passes,
    stations: plan.stations,
    stats: plan.stats,
    dropped: plan.dropped,
  };
}

export function formatJson(plan: SchedulePlan): string {
  return JSON.stringify(planJson(plan), null, 1) + '\n';
}
