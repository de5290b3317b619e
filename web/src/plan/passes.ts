/** Plan passes as the panel uses them: times parsed once, ids filled in, filters. Pure (tested in node). */
import type { PlanPass, StationSiteJson } from '../api-types.ts';
import { sunElevationDeg } from './sun.ts';

export interface ViewPass extends PlanPass {
  id: string;
  aosMs: number;
  tcaMs: number;
  losMs: number;
  /** Sun elevation at the station at TCA, from the plan or computed; undefined when the station is unknown. */
  sunElDegAtTca?: number;
}

export function toViewPasses(passes: PlanPass[], stations: StationSiteJson[] = []): ViewPass[] {
  const byId = new Map(stations.map((s) => [s.id, s]));
  return passes
    .map((p) => {
      const aosMs = Date.parse(p.aos);
      const tcaMs = Date.parse(p.tca);
      const st = byId.get(p.station);
      return {
        ...p,
        id: p.id ?? `${p.satellite}@${p.station}@${p.aos}`,
        aosMs,
        tcaMs,
        losMs: Date.parse(p.los),
        sunElDegAtTca: p.sunElevationDegAtTca ?? (st ? sunElevationDeg(tcaMs, st.latDeg, st.lonDeg) : undefined),
      };
    })
    .sort((a, b) => a.aosMs - b.aosMs || a.station.localeCompare(b.station));
}

export interface PassFilter {
  station?: string;
  satellite?: string;
  /** Keep passes whose TCA is in astronomical night at least this dark (sun below −12° by default). */
  nightOnly?: boolean;
  nightSunElevationDeg?: number;
}

export function filterPasses(passes: ViewPass[], f: PassFilter): ViewPass[] {
  const darkDeg = f.nightSunElevationDeg ?? -12;
  return passes.filter(
    (p) =>
      (!f.station || p.station === f.station) &&
      (!f.satellite || p.satellite === f.satellite) &&
      // A pass of unknown sun elevation is kept: hiding it would look like the planner found nothing.
      (!f.nightOnly || p.sunElDegAtTca === undefined || p.sunElDegAtTca < darkDeg),
  );
}

/** Usable seconds of a pass (the whole pass when no windows are given). */
export function usableSeconds(p: ViewPass): number {
  if (!p.usableWindows) return (p.losMs - p.aosMs) / 1000;
  return p.usableWindows.reduce((s, w) => s + Math.max(0, Date.parse(w.end) - Date.parse(w.start)) / 1000, 0);
}
