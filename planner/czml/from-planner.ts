/**
 * The mission CZML straight from the planner's objects (catalog entries, stations, predicted passes, inter-satellite
 * windows): what a server's GET /api/czml returns. Positions come from the planner's own propagator, so the view
 * shows exactly the orbits the passes were predicted on (TLE or OMM alike). A satellite SGP4 cannot carry over the
 * span is reported and left out with its links, rather than failing the whole document.
 */
import type { CatalogEntry } from '../catalog/types.ts';
import type { EcefState } from '../frames/earth-rotation.ts';
import { makeEcefPropagator } from '../passes/propagator.ts';
import type { Station } from '../stations/types.ts';
import { toIso, type UtcMs } from '../time.ts';
import type { InterSatelliteWindow, Pass } from '../types.ts';
import { missionCzml, type MissionCzmlInput } from './mission.ts';
import type { CzmlPacket, SatelliteTrack } from './types.ts';
import type { SatelliteStyle } from './satellites.ts';

export function trackFromCatalog(sat: CatalogEntry, startMs: UtcMs, endMs: UtcMs, stepS = 60): { ok: true; track: SatelliteTrack } | { ok: false; reason: string } {
  const prop = makeEcefPropagator(sat);
  const st: EcefState = { x: 0, y: 0, z: 0, vx: 0, vy: 0, vz: 0 };
  const samples: SatelliteTrack['samples'] = [];
  for (let t = startMs; ; t += stepS * 1000) {
    const tMs = Math.min(t, endMs);
    if (!prop(tMs, st)) return { ok: false, reason: `SGP4 fails at ${toIso(tMs)} (error ${sat.satrec.error})` };
    samples.push({ tMs, positionEcefM: [st.x * 1000, st.y * 1000, st.z * 1000] });
    if (tMs >= endMs) break;
  }
  if (samples.length < 2) return { ok: false, reason: 'empty time span' };
  return { ok: true, track: { id: sat.noradId, name: sat.name || sat.noradId, samples } };
}

export interface PlannerCzmlInput {
  name: string;
  startMs: UtcMs;
  endMs: UtcMs;
  satellites: readonly CatalogEntry[];
  stations: readonly Station[];
  /** Passes, optionally with their expected secret key (colours the link lines). */
  passes?: readonly (Pass & { expectedSecretKeyBits?: number })[];
  interSatellite?: readonly InterSatelliteWindow[];
  backbone?: MissionCzmlInput['backbone'];
  /** Sample step, s (60 s: metres of interpolation error; 120 s for hundreds of satellites over a day). */
  stepS?: number;
  /** Clock multiplier of the view (simulated seconds per second). */
  multiplier?: number;
  satelliteStyle?: SatelliteStyle;
}

export function missionCzmlFromPlanner(input: PlannerCzmlInput): { czml: CzmlPacket[]; problems: { satellite: string; reason: string }[] } {
  const tracks: SatelliteTrack[] = [];
  const problems: { satellite: string; reason: string }[] = [];
  for (const sat of input.satellites) {
    const r = trackFromCatalog(sat, input.startMs, input.endMs, input.stepS);
    if (r.ok) tracks.push(r.track);
    else problems.push({ satellite: sat.noradId, reason: r.reason });
  }
  const have = new Set(tracks.map((t) => t.id));
  const stationIds = new Set(input.stations.map((s) => s.id));
  const czml = missionCzml({
    document: { name: input.name, startMs: input.startMs, endMs: input.endMs, multiplier: input.multiplier ?? 60 },
    satellites: tracks,
    stations: input.stations.map((s) => ({ id: s.id, name: s.name, latDeg: s.latDeg, lonDeg: s.lonDeg, heightM: s.heightM, minElevationDeg: s.minElevationDeg ?? 10 })),
    passes: (input.passes ?? []).filter((p) => have.has(p.satellite) && stationIds.has(p.station)),
    interSatellite: (input.interSatellite ?? []).filter((w) => have.has(w.satelliteA) && have.has(w.satelliteB)),
    backbone: input.backbone,
    satelliteStyle: input.satelliteStyle ?? { labels: input.satellites.length <= 50 },
  });
  return { czml, problems };
}
