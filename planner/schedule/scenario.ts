/**
 * The scheduling scenario: which satellites, which optical ground stations (and their telescopes), which backbone
 * nodes each station feeds, how much key each node pair needs, and how cloudy each site is. Validated with zod at
 * the boundary; cross-references (a demand naming an unknown node, a station feeding an unknown node, weather for an
 * unknown station) are checked after the shape, and every problem is reported with its JSON path.
 */
import { z } from 'zod';
import { parseIso } from '../time.ts';

const isoInstant = z.string().refine((s) => parseIso(s) !== null, { message: 'must be an ISO-8601 instant with a zone' });
const probability = z.number().min(0).max(1);

export const satelliteSchema = z.object({
  noradId: z.string().regex(/^\d{1,9}$/, 'NORAD catalogue number (digits)'),
  name: z.string().optional(),
  /** Optical ground terminals: how many ground stations it can serve at once (Micius: one). */
  opticalTerminals: z.number().int().min(0).default(1),
  /** Inter-satellite optical terminals; 0 means it takes part in no inter-satellite link. */
  interSatelliteTerminals: z.number().int().min(0).default(0),
  /** Secure on-board memory for keys that wait for their relay partner, bits. */
  keyMemoryBits: z.number().positive(),
  /** Time to re-point the satellite's terminal between two targets, seconds. */
  retargetTimeS: z.number().min(0).default(60),
});

export const telescopeSchema = z.object({
  id: z.string().min(1),
  apertureM: z.number().positive(),
  /** Slew, re-acquisition and settling time needed between two passes on this telescope, seconds. */
  slewTimeS: z.number().min(0),
});

export const stationSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  latDeg: z.number().min(-90).max(90),
  lonDeg: z.number().min(-180).max(180),
  heightM: z.number().min(-500).max(9000),
  minElevationDeg: z.number().min(0).max(90).default(15),
  telescopes: z.array(telescopeSchema).min(1),
  /** Backbone nodes this station's keys go to (over its own fibre link). */
  feeds: z.array(z.string().min(1)).min(1),
  source: z.string().optional(),
});

export const nodeSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  latDeg: z.number().min(-90).max(90).optional(),
  lonDeg: z.number().min(-180).max(180).optional(),
});

export const demandSchema = z.object({
  from: z.string().min(1),
  to: z.string().min(1),
  bitsPerDay: z.number().positive(),
  /** Weight of this pair's satisfaction in the objective (1 = routine, larger = more important). */
  priority: z.number().positive().default(1),
});

export const forecastSchema = z.object({
  station: z.string().min(1),
  start: isoInstant,
  end: isoInstant,
  cloudFreeProbability: probability,
  source: z.string().optional(),
});

export const weatherSchema = z.object({
  /** Twelve monthly cloud-free probabilities (January first) per station id. */
  monthlyCloudFree: z.record(z.string(), z.array(probability).length(12)),
  /** Per-night forecasts; inside [start, end) they override the monthly climatology. */
  forecasts: z.array(forecastSchema).default([]),
  sources: z.array(z.string()).default([]),
});

export const planningSchema = z.object({
  /** Longest time a satellite keeps a key waiting for its relay partner (also bounds the model size), hours. */
  maxRelayHoldH: z.number().positive().default(24),
  /** Weight λ of the max–min fairness term; default: the mean demand priority. */
  fairnessWeight: z.number().min(0).optional(),
  /** Passes expected to give less than this many secret bits are not offered to the optimiser. */
  minPassKeyBits: z.number().min(0).default(1000),
  /** Nearest partner passes kept per pass and inter-satellite window when building inter-satellite relay routes. */
  islPartnersPerSide: z.number().int().min(1).default(3),
  /** Inter-satellite links beyond this range are not attempted (the key rate falls as 1/range²), km. */
  islMaxRangeKm: z.number().positive().default(3000),
  /** A long inter-satellite visibility window is offered as sessions of this length… */
  islSessionMin: z.number().positive().default(10),
  /** …one every this many minutes (about one per orbit: enough to pair with the ground passes around it). */
  islSessionSpacingMin: z.number().positive().default(90),
  /** Key exchange only while the Sun is below this elevation at the station (optical QKD at night), degrees. */
  sunMaxElevationDeg: z.number().min(-90).max(90).default(-12),
  /** Spacing of the look samples fed to the key-yield model, seconds. */
  yieldSampleStepS: z.number().positive().max(60).default(10),
});

export const scenarioSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  /** TLE/OMM snapshots, relative to the scenario file (read by the CLI, never by the planner). */
  tleFiles: z.array(z.string().min(1)).min(1),
  /** Terminal file (planner/link/terminal-file.ts) of the satellite–ground link; each station's aperture replaces its receiver's. */
  terminalFile: z.string().min(1).optional(),
  /** Terminal file of the inter-satellite link. */
  islTerminalFile: z.string().min(1).optional(),
  sources: z.array(z.string()).default([]),
  satellites: z.array(satelliteSchema).min(1),
  stations: z.array(stationSchema).min(1),
  nodes: z.array(nodeSchema).min(1),
  demands: z.array(demandSchema),
  weather: weatherSchema,
  planning: planningSchema.default(planningSchema.parse({})),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioSatellite = z.infer<typeof satelliteSchema>;
export type ScenarioStation = z.infer<typeof stationSchema>;
export type ScenarioDemand = z.infer<typeof demandSchema>;
export type Forecast = z.infer<typeof forecastSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** One problem with the scenario, located by file and JSON path. */
export interface ScenarioIssue {
  file: string;
  path: string;
  message: string;
}

export type ScenarioResult = { ok: true; scenario: Scenario } | { ok: false; issues: ScenarioIssue[] };

function pathString(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '') || '(root)';
}

function duplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup];
}

/** The references between parts of a shape-valid scenario; each broken one is an issue. */
function crossCheck(s: Scenario, file: string): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const add = (path: string, message: string) => issues.push({ file, path, message });
  const nodeIds = new Set(s.nodes.map((n) => n.id));
  const stationIds = new Set(s.stations.map((st) => st.id));
  for (const d of duplicates(s.satellites.map((x) => x.noradId))) add('satellites', `duplicate satellite ${d}`);
  for (const d of duplicates(s.stations.map((x) => x.id))) add('stations', `duplicate station ${d}`);
  for (const d of duplicates(s.nodes.map((x) => x.id))) add('nodes', `duplicate node ${d}`);
  s.stations.forEach((st, i) => {
    st.feeds.forEach((n, j) => {
      if (!nodeIds.has(n)) add(`stations[${i}].feeds[${j}]`, `unknown node '${n}'`);
    });
    for (const d of duplicates(st.telescopes.map((t) => t.id))) add(`stations[${i}].telescopes`, `duplicate telescope ${d}`);
    if (!s.weather.monthlyCloudFree[st.id]) add(`weather.monthlyCloudFree`, `no monthly cloud-free probabilities for station '${st.id}'`);
  });
  const pairs = new Set<string>();
  s.demands.forEach((d, i) => {
    if (!nodeIds.has(d.from)) add(`demands[${i}].from`, `unknown node '${d.from}'`);
    if (!nodeIds.has(d.to)) add(`demands[${i}].to`, `unknown node '${d.to}'`);
    if (d.from === d.to) add(`demands[${i}]`, `a demand needs two different nodes, got '${d.from}' twice`);
    const key = [d.from, d.to].sort().join('|');
    if (pairs.has(key)) add(`demands[${i}]`, `second demand for the pair ${d.from}–${d.to}; merge them`);
    pairs.add(key);
  });
  for (const st of Object.keys(s.weather.monthlyCloudFree)) {
    if (!stationIds.has(st)) add(`weather.monthlyCloudFree.${st}`, `unknown station '${st}'`);
  }
  s.weather.forecasts.forEach((f, i) => {
    if (!stationIds.has(f.station)) add(`weather.forecasts[${i}].station`, `unknown station '${f.station}'`);
    if ((parseIso(f.end) ?? 0) <= (parseIso(f.start) ?? 0)) add(`weather.forecasts[${i}]`, 'end must be after start');
  });
  return issues;
}

/** Validates parsed JSON as a scenario; `file` only labels the issues. */
export function parseScenario(json: unknown, file = '<scenario>'): ScenarioResult {
  const r = scenarioSchema.safeParse(json);
  if (!r.success) {
    return { ok: false, issues: r.error.issues.map((i) => ({ file, path: pathString(i.path), message: i.message })) };
  }
  const issues = crossCheck(r.data, file);
  return issues.length ? { ok: false, issues } : { ok: true, scenario: r.data };
}

/** Parses JSON text then validates it; a syntax error is reported with its position. */
export function parseScenarioText(text: string, file = '<scenario>'): ScenarioResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, issues: [{ file, path: '(syntax)', message: (err as Error).message }] };
  }
  return parseScenario(json, file);
}

export function formatIssues(issues: ScenarioIssue[]): string {
  return issues.map((i) => `${i.file}: ${i.path}: ${i.message}`).join('\n');
}
