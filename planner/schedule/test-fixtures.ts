/** Hand-made scenarios and passes for the scheduler's tests: small enough to reason about, exact to the second. */
import type { InterSatelliteWindow, Pass } from '../types.ts';
import { parseScenario, type Scenario, type ScenarioInput } from './scenario.ts';

export const T0 = Date.parse('2026-12-01T00:00:00Z');
export const MIN = 60_000;

export function pass(satellite: string, station: string, startMin: number, durationMin: number, maxElevationDeg = 60): Pass {
  const aosMs = T0 + startMin * MIN;
  const losMs = aosMs + durationMin * MIN;
  return {
    id: `${satellite}@${station}@${new Date(aosMs).toISOString()}`,
    satellite, station, aosMs, tcaMs: (aosMs + losMs) / 2, losMs, maxElevationDeg,
    aosAzimuthDeg: 0, tcaAzimuthDeg: 90, losAzimuthDeg: 180, rangeAtTcaKm: 600,
    clippedStart: false, clippedEnd: false, usableWindows: [{ startMs: aosMs, endMs: losMs }], sunlitAtTca: false,
  };
}

export function islWindow(a: string, b: string, startMin: number, durationMin: number): InterSatelliteWindow {
  const startMs = T0 + startMin * MIN;
  return { id: `${a}~${b}@${new Date(startMs).toISOString()}`, satelliteA: a, satelliteB: b, startMs, endMs: startMs + durationMin * MIN, minRangeKm: 2000, minRangeMs: startMs, clippedStart: false, clippedEnd: false };
}

const station = (id: string, feeds: string[], telescopes = 1, slewTimeS = 120) => ({
  id, latDeg: 40, lonDeg: 10, heightM: 500, feeds,
  telescopes: Array.from({ length: telescopes }, (_, k) => ({ id: `${id}-T${k + 1}`, apertureM: 1, slewTimeS })),
});

/** Four stations feeding nodes A–D; node E is fed by none. Three satellites; 10001 and 10002 have ISL terminals. */
export function smallScenarioInput(): ScenarioInput {
  return {
    name: 'small',
    tleFiles: ['none.tle'],
    satellites: [
      { noradId: '10001', keyMemoryBits: 1e9, interSatelliteTerminals: 1 },
      { noradId: '10002', keyMemoryBits: 1e9, interSatelliteTerminals: 1 },
      { noradId: '10003', keyMemoryBits: 1e9 },
    ],
    stations: [station('S1', ['A']), station('S2', ['B']), station('S3', ['C']), station('S4', ['D'])],
    nodes: ['A', 'B', 'C', 'D', 'E'].map((id) => ({ id })),
    demands: [
      { from: 'A', to: 'B', bitsPerDay: 400_000, priority: 2 },
      { from: 'A', to: 'C', bitsPerDay: 400_000, priority: 1 },
      { from: 'B', to: 'C', bitsPerDay: 400_000, priority: 1 },
    ],
    weather: { monthlyCloudFree: Object.fromEntries(['S1', 'S2', 'S3', 'S4'].map((s) => [s, new Array(12).fill(1)])) },
    planning: { maxRelayHoldH: 24, minPassKeyBits: 1 },
  };
}

export function mustParse(input: ScenarioInput): Scenario {
  const r = parseScenario(input, 'test');
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return r.scenario;
}

/** 1000 bits per usable second at zenith: a 5-minute pass at 90° gives 300 kbit. */
export const RATE = 1000;

/** A deterministic pseudo-random generator (LCG) so generated test problems are the same on every run. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A generated constellation: `passesPerDay` passes per satellite and station, at night-ish random times. */
export function syntheticProblemInput(opts: { satellites: number; stations: number; days: number; pairs: number; seed: number; telescopes?: number; passesPerDay?: number }) {
  const rnd = lcg(opts.seed);
  const stationIds = Array.from({ length: opts.stations }, (_, i) => `G${i + 1}`);
  const satIds = Array.from({ length: opts.satellites }, (_, i) => String(40000 + i));
  const nodes = stationIds.map((_, i) => `N${i + 1}`);
  const demands: { from: string; to: string; bitsPerDay: number; priority: number }[] = [];
  const seen = new Set<string>();
  while (demands.length < Math.min(opts.pairs, (nodes.length * (nodes.length - 1)) / 2)) {
    const a = Math.floor(rnd() * nodes.length);
    const b = Math.floor(rnd() * nodes.length);
    const key = [Math.min(a, b), Math.max(a, b)].join('-');
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    demands.push({ from: nodes[a], to: nodes[b], bitsPerDay: 2e5 + Math.floor(rnd() * 8e5), priority: 1 + Math.floor(rnd() * 3) });
  }
  const input: ScenarioInput = {
    name: `synthetic-${opts.seed}`,
    tleFiles: ['none.tle'],
    satellites: satIds.map((noradId) => ({ noradId, keyMemoryBits: 2e6 })),
    stations: stationIds.map((id, i) => station(id, [nodes[i]], opts.telescopes ?? 1)),
    nodes: nodes.map((id) => ({ id })),
    demands,
    weather: { monthlyCloudFree: Object.fromEntries(stationIds.map((s) => [s, new Array(12).fill(0).map(() => 0.3 + 0.6 * rnd())])) },
    planning: { maxRelayHoldH: 24, minPassKeyBits: 1 },
  };
  const passes: Pass[] = [];
  for (let d = 0; d < opts.days; d++) {
    for (const sat of satIds) {
      for (const st of stationIds) {
        for (let k = 0; k < (opts.passesPerDay ?? 1); k++) {
          if (rnd() < 0.4) continue;
          const start = d * 1440 + Math.floor(rnd() * 1400);
          passes.push(pass(sat, st, start, 3 + Math.floor(rnd() * 6), 20 + rnd() * 70));
        }
      }
    }
  }
  return { input, passes, horizon: { startMs: T0, endMs: T0 + opts.days * 86_400_000 } };
}
