/**
 * Scenario → plan, without I/O: resolve the scenario's satellites in the parsed catalogue, predict passes and
 * inter-satellite windows (planner/passes), price them with the key-yield model, and schedule. The CLI, the bench
 * and the web view all call this; they only differ in where the files come from.
 */
import type { CatalogEntry } from '../catalog/types.ts';
import type { TerminalFile } from '../link/terminal-file.ts';
import { findInterSatelliteWindows } from '../passes/isl.ts';
import { predictPasses } from '../passes/predict.ts';
import { MS_PER_S, toIso, type Interval } from '../time.ts';
import type { InterSatelliteWindow, Pass } from '../types.ts';
import { buildCandidates, type CandidateSet, type IslYield, type PassYield } from './candidates.ts';
import { plannerStation, terminalIslYield, terminalPassYield } from './link-yield.ts';
import type { Scenario, ScenarioIssue } from './scenario.ts';
import { schedule, type ScheduleOptions, type ScheduleResult } from './schedule.ts';
import { weatherModel } from './weather.ts';

const MS_PER_MIN = 60 * MS_PER_S;

export type Resolved = { ok: true; satellites: CatalogEntry[] } | { ok: false; issues: ScenarioIssue[] };

/** Every scenario satellite must have an element set; an unknown NORAD id is named with its place in the file. */
export function resolveSatellites(scenario: Scenario, catalog: readonly CatalogEntry[], file = '<scenario>'): Resolved {
  const byId = new Map(catalog.map((e) => [e.noradId, e]));
  const issues: ScenarioIssue[] = [];
  const satellites: CatalogEntry[] = [];
  scenario.satellites.forEach((s, i) => {
    const e = byId.get(s.noradId);
    if (e) satellites.push(e);
    else issues.push({ file, path: `satellites[${i}].noradId`, message: `NORAD ${s.noradId} is in none of the element files (${scenario.tleFiles.join(', ')})` });
  });
  return issues.length ? { ok: false, issues } : { ok: true, satellites };
}

/**
 * Long inter-satellite visibility (co-planar neighbours see each other for hours) is offered as sessions of
 * `sessionMs`, one every `spacingMs`: a session per orbit is what a relay around the ground passes needs, and it
 * keeps the model small. Each session keeps the parent's id with its start appended.
 */
export function islSessions(windows: readonly InterSatelliteWindow[], sessionMs: number, spacingMs: number): InterSatelliteWindow[] {
  const out: InterSatelliteWindow[] = [];
  for (const w of windows) {
    for (let t = w.startMs; t < w.endMs; t += spacingMs) {
      const endMs = Math.min(w.endMs, t + sessionMs);
      if (endMs - t < sessionMs / 2) break;
      out.push({ ...w, id: `${w.satelliteA}~${w.satelliteB}@${toIso(t)}`, startMs: t, endMs, clippedStart: t === w.startMs && w.clippedStart, clippedEnd: endMs === w.endMs && w.clippedEnd });
    }
  }
  return out;
}

export interface ScenarioCandidateInput {
  scenario: Scenario;
  satellites: readonly CatalogEntry[];
  horizon: Interval;
  /** Ground link terminal; required unless `passYield` is given. */
  terminal?: TerminalFile;
  islTerminal?: TerminalFile;
  passYield?: PassYield;
  islYield?: IslYield;
  onProgress?: (done: number, total: number) => void;
}

export interface ScenarioCandidates extends CandidateSet {
  passes: Pass[];
  islWindows: InterSatelliteWindow[];
}

export function scenarioCandidates(input: ScenarioCandidateInput): ScenarioCandidates {
  const { scenario, horizon } = input;
  if (!(horizon.endMs > horizon.startMs)) throw new RangeError(`empty horizon: end ${toIso(horizon.endMs)} is not after start ${toIso(horizon.startMs)}`);
  const byId = new Map(input.satellites.map((s) => [s.noradId, s]));
  const passes = predictPasses({
    satellites: input.satellites,
    stations: scenario.stations.map(plannerStation),
    startMs: horizon.startMs,
    endMs: horizon.endMs,
    constraints: { sunMaxElevationDeg: scenario.planning.sunMaxElevationDeg },
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
  const islSats = scenario.satellites.filter((s) => s.interSatelliteTerminals > 0).map((s) => byId.get(s.noradId)!);
  const islWindows =
    islSats.length >= 2
      ? islSessions(
          findInterSatelliteWindows({ satellites: islSats, startMs: horizon.startMs, endMs: horizon.endMs, maxRangeKm: scenario.planning.islMaxRangeKm }),
          scenario.planning.islSessionMin * MS_PER_MIN,
          scenario.planning.islSessionSpacingMin * MS_PER_MIN,
        )
      : [];
  const step = scenario.planning.yieldSampleStepS;
  const passYield = input.passYield ?? (input.terminal ? terminalPassYield(input.terminal, byId, step) : null);
  if (!passYield) throw new TypeError('scenarioCandidates: give a terminal or a passYield');
  const islYield = input.islYield ?? (input.islTerminal ? terminalIslYield(input.islTerminal, byId, step) : undefined);
  const cs = buildCandidates({ scenario, horizon, passes, islWindows, passYield, ...(islYield ? { islYield } : {}), weather: weatherModel(scenario) });
  return { ...cs, passes, islWindows };
}

/** The whole chain for one horizon. */
export async function planScenario(input: ScenarioCandidateInput, opts: ScheduleOptions = {}): Promise<ScheduleResult & { candidates: ScenarioCandidates }> {
  const candidates = scenarioCandidates(input);
  const r = await schedule(input.scenario, input.horizon, candidates, opts);
  return { ...r, candidates };
}
