/**
 * Server-side helpers: planner objects → the JSON of api-types.ts. Servers (the mission process, the test fixture)
 * call these so the wire format lives next to its schema.
 */
import type { Pass } from '../../planner/types.ts';
import { toIso } from '../../planner/time.ts';
import type { Plan, PlanPass } from './api-types.ts';

export interface PassExtras {
  expectedSecretKeyBits?: number;
  meanLossDb?: number;
  profile?: PlanPass['profile'];
  cuts?: PlanPass['cuts'];
  sunElevationDegAtTca?: number;
  scheduled?: boolean;
}

export function passToJson(p: Pass, extras: PassExtras = {}): PlanPass {
  return {
    id: p.id,
    satellite: p.satellite,
    station: p.station,
    aos: toIso(p.aosMs),
    tca: toIso(p.tcaMs),
    los: toIso(p.losMs),
    maxElevationDeg: p.maxElevationDeg,
    usableWindows: p.usableWindows.map((w) => ({ start: toIso(w.startMs), end: toIso(w.endMs) })),
    ...extras,
  };
}

/** The whole GET /api/plan body from planner objects; `extras` adds per-pass figures (expected key, profile …). */
export function planToJson(input: {
  passes: readonly Pass[];
  stations: readonly { id: string; name?: string; latDeg: number; lonDeg: number; heightM?: number; minElevationDeg?: number }[];
  satellites?: readonly { noradId: string; name: string }[];
  startMs: number;
  endMs: number;
  extras?: (p: Pass) => PassExtras;
  generatedAtMs?: number;
}): Plan {
  return {
    start: toIso(input.startMs),
    end: toIso(input.endMs),
    ...(input.generatedAtMs !== undefined ? { generatedAt: toIso(input.generatedAtMs) } : {}),
    satellites: (input.satellites ?? []).map((s) => ({ id: s.noradId, name: s.name || s.noradId })),
    stations: input.stations.map((s) => ({ id: s.id, name: s.name, latDeg: s.latDeg, lonDeg: s.lonDeg, heightM: s.heightM, minElevationDeg: s.minElevationDeg })),
    passes: input.passes.map((p) => passToJson(p, input.extras?.(p))),
  };
}
