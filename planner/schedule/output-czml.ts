/**
 * CZML for the mission view (planner/czml's writer): the satellites that fly, the stations, one link per assignment
 * shown during its window, coloured by its expected key. Tracks are given by the caller (sampled from the TLEs).
 */
import { missionCzml, type CzmlPacket, type SatelliteTrack } from '../czml/index.ts';
import type { SchedulePlan } from './plan.ts';
import type { Scenario } from './scenario.ts';

export function formatCzml(plan: SchedulePlan, scenario: Scenario, tracks: SatelliteTrack[]): CzmlPacket[] {
  const startMs = Date.parse(plan.start);
  const endMs = Date.parse(plan.end);
  return missionCzml({
    document: { name: `satqkd schedule: ${plan.scenario}`, startMs, endMs },
    satellites: tracks,
    stations: scenario.stations.map((s) => ({ id: s.id, ...(s.name ? { name: s.name } : {}), latDeg: s.latDeg, lonDeg: s.lonDeg, heightM: s.heightM, minElevationDeg: s.minElevationDeg })),
    passes: plan.assignments
      .filter((a) => a.kind === 'ground')
      .map((a) => ({ id: a.id, satellite: a.satellite, station: a.station, aosMs: a.startMs, losMs: a.endMs, expectedSecretKeyBits: a.expectedSecretKeyBits })),
    interSatellite: plan.assignments
      .filter((a) => a.kind === 'inter-satellite')
      .map((a) => ({ id: a.id, satelliteA: a.satellite, satelliteB: a.station, startMs: a.startMs, endMs: a.endMs })),
  });
}
