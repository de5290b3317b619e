/**
 * Candidate generation: the planner's passes and inter-satellite windows become things the optimiser may fly, each
 * with its usable window and its expected secret key. The key-yield model is injected (`PassYield`), so the scheduler
 * runs with the finite-key model of planner/keyrate in production and with a simple deterministic yield in tests.
 */
import type { InterSatelliteWindow, Pass } from '../types.ts';
import type { Interval } from '../time.ts';
import type { Scenario, ScenarioSatellite, ScenarioStation } from './scenario.ts';
import type { Candidate } from './types.ts';
import type { WeatherModel } from './weather.ts';

/** Clear-sky expected secret key of one pass, bits. */
export type PassYield = (pass: Pass, station: ScenarioStation, satellite: ScenarioSatellite) => number;
/** Expected secret key of one inter-satellite window, bits. */
export type IslYield = (window: InterSatelliteWindow, a: ScenarioSatellite, b: ScenarioSatellite) => number;

export interface DroppedCandidate {
  id: string;
  reason: string;
}

export interface CandidateSet {
  candidates: Candidate[];
  dropped: DroppedCandidate[];
}

export interface CandidateInput {
  scenario: Scenario;
  horizon: Interval;
  passes: readonly Pass[];
  islWindows?: readonly InterSatelliteWindow[];
  passYield: PassYield;
  islYield?: IslYield;
  weather: WeatherModel;
}

/** The span a telescope is busy for: from the first usable instant to the last, inside the horizon. */
function busyWindow(pass: Pass, horizon: Interval): Interval | null {
  if (pass.usableWindows.length === 0) return null;
  const startMs = Math.max(horizon.startMs, Math.min(...pass.usableWindows.map((w) => w.startMs)));
  const endMs = Math.min(horizon.endMs, Math.max(...pass.usableWindows.map((w) => w.endMs)));
  return endMs > startMs ? { startMs, endMs } : null;
}

function byTimeThenId(a: Candidate, b: Candidate): number {
  return a.startMs - b.startMs || a.endMs - b.endMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function buildCandidates(input: CandidateInput): CandidateSet {
  const { scenario, horizon, weather } = input;
  const sats = new Map(scenario.satellites.map((s) => [s.noradId, s]));
  const stations = new Map(scenario.stations.map((s) => [s.id, s]));
  const minBits = scenario.planning.minPassKeyBits;
  const candidates: Candidate[] = [];
  const dropped: DroppedCandidate[] = [];

  for (const pass of input.passes) {
    const sat = sats.get(pass.satellite);
    const station = stations.get(pass.station);
    if (!sat) { dropped.push({ id: pass.id, reason: `satellite ${pass.satellite} is not in the scenario` }); continue; }
    if (!station) { dropped.push({ id: pass.id, reason: `station ${pass.station} is not in the scenario` }); continue; }
    if (sat.opticalTerminals === 0) { dropped.push({ id: pass.id, reason: `satellite ${sat.noradId} has no optical ground terminal` }); continue; }
    const w = busyWindow(pass, horizon);
    if (!w) { dropped.push({ id: pass.id, reason: 'no usable window (elevation, darkness or horizon)' }); continue; }
    const clearSkyKeyBits = Math.max(0, input.passYield(pass, station, sat));
    const p = weather.cloudFreeProbability(station.id, (w.startMs + w.endMs) / 2);
    const expected = clearSkyKeyBits * p;
    if (!(expected >= minBits) || expected === 0) {
      dropped.push({ id: pass.id, reason: `expected key ${Math.round(expected)} bits below the ${minBits}-bit threshold` });
      continue;
    }
    candidates.push({
      id: pass.id, kind: 'ground', satellite: sat.noradId, target: station.id, ...w,
      clearSkyKeyBits, cloudFreeProbability: p, expectedSecretKeyBits: expected, maxElevationDeg: pass.maxElevationDeg,
      pass: { aosMs: pass.aosMs, tcaMs: pass.tcaMs, losMs: pass.losMs, usableWindows: pass.usableWindows },
    });
  }

  for (const win of input.islWindows ?? []) {
    const a = sats.get(win.satelliteA);
    const b = sats.get(win.satelliteB);
    if (!a || !b) { dropped.push({ id: win.id, reason: `satellite ${a ? win.satelliteB : win.satelliteA} is not in the scenario` }); continue; }
    if (a.interSatelliteTerminals === 0 || b.interSatelliteTerminals === 0) {
      dropped.push({ id: win.id, reason: 'a satellite of the window has no inter-satellite terminal' });
      continue;
    }
    if (!input.islYield) { dropped.push({ id: win.id, reason: 'no inter-satellite yield model given' }); continue; }
    const startMs = Math.max(win.startMs, horizon.startMs);
    const endMs = Math.min(win.endMs, horizon.endMs);
    if (endMs <= startMs) { dropped.push({ id: win.id, reason: 'outside the horizon' }); continue; }
    const bits = Math.max(0, input.islYield({ ...win, startMs, endMs }, a, b));
    if (!(bits >= minBits) || bits === 0) { dropped.push({ id: win.id, reason: `expected key ${Math.round(bits)} bits below the ${minBits}-bit threshold` }); continue; }
    // Stored once, from A's side; the capacity rows charge it to both satellites' inter-satellite terminals.
    candidates.push({ id: win.id, kind: 'isl', satellite: a.noradId, target: b.noradId, startMs, endMs, clearSkyKeyBits: bits, cloudFreeProbability: 1, expectedSecretKeyBits: bits });
  }

  candidates.sort(byTimeThenId);
  return { candidates, dropped };
}
