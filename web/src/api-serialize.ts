/**
 * Server-side helpers: planner objects → the JSON of api-types.ts. Servers (the mission process, the test fixture)
 * call these so the wire format lives next to its schema.
 */
import type { Pass } from '../../planner/types.ts';
import { toIso } from '../../planner/time.ts';
import type { PlanPass } from './api-types.ts';

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
