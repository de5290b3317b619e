/**
 * Pass prediction: geometric windows for every satellite × station (geometric.ts), then the usable sub-windows where
 * every optical constraint holds (constraints.ts), then the reported figures (azimuths, range at TCA, sunlit).
 */
import type { CatalogEntry } from '../catalog/types.ts';
import type { EcefState } from '../frames/earth-rotation.ts';
import type { Site } from '../frames/geodesy.ts';
import { makeSkyEphemeris, type SkyEphemeris } from '../frames/sky-cache.ts';
import { intersect } from '../search/intervals.ts';
import { compileMask, type ElevationMask } from '../stations/mask.ts';
import type { Station } from '../stations/types.ts';
import { toIso, type Interval } from '../time.ts';
import type { Pass } from '../types.ts';
import { DEFAULT_SUN_MAX_ELEVATION_DEG, illuminationMarginFn, moonMarginFn, sunWindows, umbraMarginKm, windowsWhere, type PassConstraints } from './constraints.ts';
import { searchGeometricPasses } from './geometric.ts';
import { makeEcefPropagator, type EvalCounter } from './propagator.ts';
import { siteOf } from './site-cache.ts';

export interface PredictPassesInput {
  satellites: readonly CatalogEntry[];
  stations: readonly Station[];
  /** Search window [startMs, endMs), UTC. */
  startMs: number;
  endMs: number;
  constraints?: PassConstraints;
  /** Receives the SGP4 evaluation count (benchmarks). */
  counter?: EvalCounter;
  /** Called after each satellite (CLI progress). */
  onProgress?: (doneSatellites: number, totalSatellites: number) => void;
}

/** Everything shared by the satellites of one prediction run (built once per thread). */
export interface PassContext {
  stations: readonly Station[];
  sites: Site[];
  masks: ElevationMask[];
  sky: SkyEphemeris;
  /** Per station, where the Sun constraint holds over the whole run (null: no Sun constraint). */
  nights: (Interval[] | null)[];
  constraints: PassConstraints;
  startMs: number;
  endMs: number;
}

export function makePassContext(stations: readonly Station[], startMs: number, endMs: number, constraints: PassConstraints = {}): PassContext {
  if (!(endMs > startMs)) throw new RangeError(`end ${toIso(endMs)} is not after start ${toIso(startMs)}`);
  const sites = stations.map(siteOf);
  const masks = stations.map((s) => compileMask(s, constraints.minElevationDeg));
  const sky = makeSkyEphemeris(startMs, endMs);
  const sunMax = constraints.sunMaxElevationDeg === undefined ? DEFAULT_SUN_MAX_ELEVATION_DEG : constraints.sunMaxElevationDeg;
  const nights = sites.map((site) => (sunMax === null ? null : sunWindows(site, sky, startMs, endMs, sunMax)));
  return { stations, sites, masks, sky, nights, constraints, startMs, endMs };
}

export function passesForSatellite(sat: CatalogEntry, ctx: PassContext, counter?: EvalCounter): Pass[] {
  const geo = searchGeometricPasses(sat, ctx.sites, ctx.masks, ctx.startMs, ctx.endMs, counter, { refraction: ctx.constraints.refraction });
  const prop = makeEcefPropagator(sat, counter);
  const st: EcefState = { x: 0, y: 0, z: 0, vx: 0, vy: 0, vz: 0 };
  const sun = new Float64Array(3);
  const passes: Pass[] = [];
  for (const g of geo) {
    const site = ctx.sites[g.stationIndex]!;
    const station = ctx.stations[g.stationIndex]!;
    prop(g.tcaMs, st);
    ctx.sky.sunEcefKm(g.tcaMs, sun);
    const sunlitAtTca = umbraMarginKm(st.x, st.y, st.z, sun) > 0;

    let usable: Interval[] = [{ startMs: g.aosMs, endMs: g.losMs }];
    const night = ctx.nights[g.stationIndex];
    if (night) usable = intersect(usable, night);
    const moonSep = ctx.constraints.moonMinSeparationDeg;
    if (usable.length && moonSep != null && moonSep > 0) usable = windowsWhere(moonMarginFn(site, ctx.sky, prop, moonSep), usable);
    const illum = ctx.constraints.satelliteIllumination ?? 'any';
    if (usable.length && illum !== 'any') usable = windowsWhere(illuminationMarginFn(ctx.sky, prop, illum), usable);

    passes.push({
      id: `${sat.noradId}@${station.id}@${toIso(g.aosMs)}`,
      satellite: sat.noradId,
      station: station.id,
      aosMs: g.aosMs,
      tcaMs: g.tcaMs,
      losMs: g.losMs,
      maxElevationDeg: g.maxElevationDeg,
      aosAzimuthDeg: g.aosAzimuthDeg,
      tcaAzimuthDeg: g.tcaAzimuthDeg,
      losAzimuthDeg: g.losAzimuthDeg,
      rangeAtTcaKm: g.rangeAtTcaKm,
      clippedStart: g.clippedStart,
      clippedEnd: g.clippedEnd,
      usableWindows: usable,
      sunlitAtTca,
    });
  }
  return passes;
}

/** Every pass of every satellite over every station in [startMs, endMs), sorted by AOS. Single thread; see parallel-node.ts. */
export function predictPasses(input: PredictPassesInput): Pass[] {
  const ctx = makePassContext(input.stations, input.startMs, input.endMs, input.constraints);
  const all: Pass[] = [];
  input.satellites.forEach((sat, i) => {
    for (const p of passesForSatellite(sat, ctx, input.counter)) all.push(p);
    input.onProgress?.(i + 1, input.satellites.length);
  });
  return sortPasses(all);
}

export function sortPasses(passes: Pass[]): Pass[] {
  return passes.sort((a, b) => a.aosMs - b.aosMs || (a.station < b.station ? -1 : a.station > b.station ? 1 : 0) || (a.satellite < b.satellite ? -1 : 1));
}
