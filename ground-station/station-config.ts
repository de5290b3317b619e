/**
 * The station daemon's configuration file (JSON, validated with zod; paths relative to the file) and how it turns
 * into a plan: the planner predicts this station's passes over the night from the TLE files, and the tracking
 * ephemeris of each pass comes from the same satellite and station (planner/passes trackingEphemeris).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { parseCatalog, type CatalogEntry } from '../planner/catalog/index.ts';
import { predictPasses, trackingEphemeris } from '../planner/passes/index.ts';
import { parseStations, type Station } from '../planner/stations/index.ts';
import { parseIso, type UtcMs } from '../planner/time.ts';
import type { Pass } from '../planner/types.ts';
import type { EphemerisSource } from './automation/ports.ts';

const iso = z.string().refine((s) => parseIso(s) !== null, 'must be an ISO-8601 instant with a zone');

export const stationConfigSchema = z
  .object({
    stationsFile: z.string().min(1),
    stationId: z.string().min(1),
    tleFiles: z.array(z.string().min(1)).min(1),
    /** NORAD ids to plan for (default: every satellite in the TLE files). */
    satellites: z.array(z.string().min(1)).optional(),
    night: z.object({ startUtc: iso.optional(), hours: z.number().positive().max(48).default(14) }).strict().default({ hours: 14 }),
    minElevationDeg: z.number().min(0).max(80).default(15),
    sunMaxElevationDeg: z.number().min(-90).max(90).default(-12),
    /** Virtual-time speed-up when flying on sky-sim (1 = real time). Real mounts always run on the wall clock. */
    speedUp: z.number().positive().max(10_000).default(60),
    api: z.object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65535).default(8087) }).strict().default({ host: '127.0.0.1', port: 8087 }),
    /** Raw time tags of every pass are kept here (binary .sqtt, see adapters/timetag-file.ts). */
    recordsDir: z.string().optional(),
    timing: z.record(z.string(), z.number()).optional(),
    loop: z.record(z.string(), z.number()).optional(),
  })
  .strict();

export type StationConfig = z.infer<typeof stationConfigSchema> & { baseDir: string };

export type Loaded<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parseStationConfig(text: string, path: string): Loaded<StationConfig> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `${path}: not valid JSON: ${(err as Error).message}` };
  }
  const r = stationConfigSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    return { ok: false, reason: `${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  return { ok: true, value: { ...r.data, baseDir: dirname(resolve(path)) } };
}

export function loadStationConfig(path: string): Loaded<StationConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, reason: `${path}: ${(err as Error).message}` };
  }
  return parseStationConfig(text, path);
}

export interface StationPlan {
  station: Station;
  satellites: CatalogEntry[];
  passes: Pass[];
  ephemeris: EphemerisSource;
  startMs: UtcMs;
  endMs: UtcMs;
}

/** Loads the station and satellites and predicts the night's passes; `startMs` defaults to the config's night. */
export function planNight(cfg: StationConfig, defaultStartMs: UtcMs): Loaded<StationPlan> {
  const at = (p: string) => resolve(cfg.baseDir, p);
  let stationsText: string;
  try {
    stationsText = readFileSync(at(cfg.stationsFile), 'utf8');
  } catch (err) {
    return { ok: false, reason: `stationsFile ${at(cfg.stationsFile)}: ${(err as Error).message}` };
  }
  const st = parseStations(stationsText, at(cfg.stationsFile));
  const station = st.stations.find((s) => s.id === cfg.stationId);
  if (!station) return { ok: false, reason: `stationId: no station '${cfg.stationId}' in ${at(cfg.stationsFile)}` };
  const satellites: CatalogEntry[] = [];
  for (const f of cfg.tleFiles) {
    let text: string;
    try {
      text = readFileSync(at(f), 'utf8');
    } catch (err) {
      return { ok: false, reason: `tleFiles: ${at(f)}: ${(err as Error).message}` };
    }
    const cat = parseCatalog(text, at(f));
    if (cat.problems.length && !cat.satellites.length) return { ok: false, reason: `tleFiles: ${at(f)}: ${cat.problems[0].reason}` };
    satellites.push(...cat.satellites);
  }
  const chosen = cfg.satellites ? satellites.filter((s) => cfg.satellites!.includes(s.noradId)) : satellites;
  if (!chosen.length) return { ok: false, reason: `satellites: none of ${JSON.stringify(cfg.satellites)} in the TLE files` };
  const startMs = cfg.night.startUtc ? parseIso(cfg.night.startUtc)! : defaultStartMs;
  const endMs = startMs + cfg.night.hours * 3_600_000;
  const passes = predictPasses({
    satellites: chosen,
    stations: [station],
    startMs,
    endMs,
    constraints: { minElevationDeg: cfg.minElevationDeg, sunMaxElevationDeg: cfg.sunMaxElevationDeg },
  }).filter((p) => p.usableWindows.length > 0 && !p.clippedStart);
  const byName = new Map(chosen.map((s) => [s.name, s]));
  const byId = new Map(chosen.map((s) => [s.noradId, s]));
  const ephemeris: EphemerisSource = async (pass) => {
    const sat = byId.get(pass.satellite) ?? byName.get(pass.satellite);
    if (!sat) throw new Error(`no elements for satellite '${pass.satellite}'`);
    // 1 Hz is plenty for interpolation (< 1 mdeg between samples); the loop commands at ≥ 10 Hz.
    return trackingEphemeris(sat, station, pass.aosMs, pass.losMs, 1);
  };
  return { ok: true, value: { station, satellites: chosen, passes, ephemeris, startMs, endMs } };
}
