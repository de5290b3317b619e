/**
 * The plan the browser tests and the benchmark serve, computed by the real planner over tle-data/: catalog ingest,
 * pass prediction (sun below −12°), look samples, the Micius–Xinglong link budget and the expected finite-key yield
 * per pass, inter-satellite windows, and the mission CZML. Satellites: Micius (snapshot 2026-11-28) and the
 * hypothetical six-satellite QKD constellation of the china-europe-qkd scenario, over the ten stations of
 * tle-data/stations.json; or, for the 500-satellite benchmark, a synthetic Walker-like constellation of N copies of
 * test/browser/fixtures/scenario-tle.txt (RAAN and mean anomaly spread).
 */
import { readFileSync } from 'node:fs';
import { parseCatalog, withChecksum, type CatalogEntry } from '../../planner/catalog/index.ts';
import { missionCzmlFromPlanner, type CzmlPacket } from '../../planner/czml/index.ts';
import { expectedPassKey } from '../../planner/keyrate/pass-yield.ts';
import { channelTransmittance } from '../../planner/link/channel.ts';
import { parseTerminalFile } from '../../planner/link/terminal-file.ts';
import { findInterSatelliteWindows, lookAt, predictPasses } from '../../planner/passes/index.ts';
import { parseStations, type Station } from '../../planner/stations/index.ts';
import { toIso } from '../../planner/time.ts';
import type { Pass } from '../../planner/types.ts';
import type { Plan, PlanPass } from '../../web/src/api-types.ts';
import { passToJson, planToJson } from '../../web/src/api-serialize.ts';
import { sunElevationDeg } from '../../web/src/plan/sun.ts';

const here = new URL('.', import.meta.url);
export const SCENARIO_START_MS = Date.parse('2026-11-29T12:00:00Z');

const tleData = new URL('../../tle-data/', import.meta.url);

/** The optical ground stations of tle-data/stations.json. */
export function fixtureStations(): Station[] {
  const r = parseStations(readFileSync(new URL('stations.json', tleData), 'utf8'), 'tle-data/stations.json');
  if (r.problems.length) throw new Error(r.problems.map((p) => `${p.file}:${p.line} ${p.reason}`).join('; '));
  return r.stations;
}

/** Micius from the snapshot and the scenario's QKD constellation, as one TLE text. */
function scenarioTle(): string {
  const snapshot = readFileSync(new URL('snapshot-2026-11-28.tle', tleData), 'utf8').split('\n');
  const i = snapshot.findIndex((l) => l.startsWith('1 41731'));
  if (i < 1) throw new Error('tle-data/snapshot-2026-11-28.tle: no MOZI (41731)');
  return [snapshot[i - 1], snapshot[i], snapshot[i + 1], readFileSync(new URL('scenarios/qkd-constellation-2026-11-28.tle', tleData), 'utf8')].join('\n');
}

export interface FixturePlan {
  plan: Plan;
  czml: CzmlPacket[];
  /** Planner passes with their look samples, for the scripted telemetry. */
  passes: { pass: Pass; json: PlanPass; samples: ReturnType<typeof lookAt>[] }[];
  satellites: CatalogEntry[];
}

/** N satellites from the scenario's first element set, spread over 20 planes (a Walker-like pattern). */
export function syntheticTle(n: number): string {
  const [l1, l2] = readFileSync(new URL('fixtures/scenario-tle.txt', here), 'utf8').split('\n').slice(1, 3);
  const planes = 20;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const plane = i % planes;
    const slot = Math.floor(i / planes);
    const id = String(80000 + i).padStart(5, '0');
    const raan = ((plane * 360) / planes) % 360;
    const ma = (slot * (360 / Math.ceil(n / planes)) + plane * 7) % 360;
    const a = withChecksum(`1 ${id}${l1.slice(7, 68)}`);
    const b = withChecksum(`2 ${id}${l2.slice(7, 17)}${raan.toFixed(4).padStart(8)}${l2.slice(25, 43)}${ma.toFixed(4).padStart(8)}${l2.slice(51, 68)}`);
    out.push(`SYN-${i}`, a, b);
  }
  return out.join('\n') + '\n';
}

export function buildFixturePlan(opts: { satellites?: number; hours?: number; czmlStepS?: number; trails?: boolean } = {}): FixturePlan {
  const startMs = SCENARIO_START_MS;
  const endMs = startMs + (opts.hours ?? 24) * 3_600_000;
  const tleText = opts.satellites ? syntheticTle(opts.satellites) : scenarioTle();
  const cat = parseCatalog(tleText, opts.satellites ? 'synthetic.tle' : 'tle-data scenario');
  const STATIONS = fixtureStations();
  if (cat.problems.length) throw new Error(`fixture catalog: ${cat.problems.map((p) => `${p.file}:${p.line} ${p.reason}`).join('; ')}`);
  const terminal = parseTerminalFile(readFileSync(new URL('../../tle-data/terminals/micius-xinglong.json', here), 'utf8'), 'micius-xinglong.json');
  if (!terminal.ok) throw new Error(terminal.errors.join('; '));
  const link = terminal.value.link;
  const protocol = terminal.value.protocol;

  // Pass prediction and yields only for the small scenario: the bench measures rendering, not planning.
  const predicted = opts.satellites ? [] : predictPasses({ satellites: cat.satellites, stations: STATIONS, startMs, endMs });
  const byNorad = new Map(cat.satellites.map((s) => [s.noradId, s]));
  const passes = predicted.map((pass) => {
    const sat = byNorad.get(pass.satellite)!;
    const station = STATIONS.find((s) => s.id === pass.station)!;
    const samples: ReturnType<typeof lookAt>[] = [];
    for (let t = pass.aosMs; t < pass.losMs; t += 5000) samples.push(lookAt(sat, station, t));
    samples.push(lookAt(sat, station, pass.losMs));
    const y = expectedPassKey(samples, link, protocol, { usableWindows: pass.usableWindows });
    const cuts = complement(pass.usableWindows, pass.aosMs, pass.losMs).map((w) => ({
      start: toIso(w.startMs),
      end: toIso(w.endMs),
      // The planner reports where key is possible, not which constraint removed the rest; the Sun is the usual one.
      constraint: sunElevationDeg((w.startMs + w.endMs) / 2, station.latDeg, station.lonDeg) > -12 ? 'sun' : 'sunlit',
    }));
    const extras = {
      expectedSecretKeyBits: Math.round(y.expectedSecretKeyBits),
      meanLossDb: Number.isFinite(y.meanLossDb) ? Math.round(y.meanLossDb * 100) / 100 : undefined,
      profile: samples.filter((_, i) => i % 2 === 0).map((s) => ({ t: toIso(s.tMs), elevationDeg: round3(s.elDeg), azimuthDeg: round3(s.azDeg), rangeKm: round3(s.rangeKm), lossDb: round3(channelTransmittance(s, link).lossDb) })),
      cuts,
      sunElevationDegAtTca: round3(sunElevationDeg(pass.tcaMs, station.latDeg, station.lonDeg)),
    };
    const json = passToJson(pass, extras);
    return { pass, json, samples, extras };
  });
  const extrasById = new Map(passes.map((p) => [p.pass.id, p.extras]));

  const { czml, problems } = missionCzmlFromPlanner({
    name: 'satqkd fixture mission',
    startMs,
    endMs,
    satellites: cat.satellites,
    stations: STATIONS,
    passes: passes.map(({ pass, json }) => ({ ...pass, expectedSecretKeyBits: json.expectedSecretKeyBits })),
    // Inter-satellite windows of the constellation within 5,000 km (the planner's limb-clearance search).
    interSatellite: opts.satellites ? [] : findInterSatelliteWindows({ satellites: cat.satellites, startMs, endMs, maxRangeKm: 5000 }),
    backbone: fixtureBackbone(startMs, endMs),
    stepS: opts.czmlStepS ?? 60,
    satelliteStyle: { labels: !opts.satellites || opts.satellites <= 50, ...(opts.trails === false ? { trailS: 0 } : {}) },
  });
  if (problems.length) throw new Error(`fixture CZML: ${problems.map((p) => `${p.satellite}: ${p.reason}`).join('; ')}`);
  return {
    plan: planToJson({ passes: predicted, stations: STATIONS, satellites: cat.satellites, startMs, endMs, extras: (p) => extrasById.get(p.id)! }),
    czml,
    passes,
    satellites: cat.satellites,
  };
}

/** The Beijing–Shanghai trusted-node trunk (a few of its nodes) with scripted pool levels. */
export function fixtureBackbone(startMs: number, endMs: number) {
  const nodes = [
    { id: 'beijing', name: 'Beijing', latDeg: 39.9042, lonDeg: 116.4074 },
    { id: 'jinan', name: 'Jinan', latDeg: 36.6512, lonDeg: 117.1201 },
    { id: 'hefei', name: 'Hefei', latDeg: 31.8206, lonDeg: 117.2272 },
    { id: 'shanghai', name: 'Shanghai', latDeg: 31.2304, lonDeg: 121.4737 },
    { id: 'xinglong', name: 'Xinglong ground station', latDeg: 40.3958, lonDeg: 117.5775 },
  ];
  const pairs: [string, string][] = [
    ['xinglong', 'beijing'],
    ['beijing', 'jinan'],
    ['jinan', 'hefei'],
    ['hefei', 'shanghai'],
  ];
  const links = pairs.map(([a, b], i) => ({
    id: `${a}-${b}`,
    a,
    b,
    levels: Array.from({ length: 13 }, (_, k) => ({ tMs: startMs + ((endMs - startMs) * k) / 12, fillFraction: 0.5 + 0.45 * Math.sin(k / 2 + i) })),
  }));
  return { nodes, links };
}

function complement(windows: { startMs: number; endMs: number }[], a: number, b: number): { startMs: number; endMs: number }[] {
  const out: { startMs: number; endMs: number }[] = [];
  let cur = a;
  for (const w of [...windows].sort((x, y) => x.startMs - y.startMs)) {
    if (w.startMs > cur) out.push({ startMs: cur, endMs: w.startMs });
    cur = Math.max(cur, w.endMs);
  }
  if (cur < b) out.push({ startMs: cur, endMs: b });
  return out;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
