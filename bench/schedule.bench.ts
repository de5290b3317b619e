/**
 * Scheduler benchmark (issue 4): a 7-day plan for 20 satellites, 10 stations and 30 demand pairs, and a 30-day plan
 * of the same constellation. Real pass prediction (SGP4, night and elevation constraints) and the Micius link-budget
 * finite-key yield; a generated 20-satellite sun-synchronous constellation (4 planes × 5, 500 km) so the figures do
 * not depend on which real satellites happen to be in the snapshot. Prints the candidate and model sizes, the
 * heuristic's time and objective, the HiGHS times, objective and proven bound, and the heuristic's gap to it.
 *   npm run bench -- schedule
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTle, parseCatalog } from '../planner/catalog/index.ts';
import { parseTerminalFile } from '../planner/link/terminal-file.ts';
import { buildProblem, evaluate, parseScenario, scenarioCandidates, solveHeuristic, solveMilp, type ScenarioInput } from '../planner/schedule/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const base = JSON.parse(readFileSync(join(root, 'tle-data/scenarios/china-europe-qkd.json'), 'utf8')) as ScenarioInput & { nodes: { id: string }[] };
const term = parseTerminalFile(readFileSync(join(root, 'tle-data/terminals/micius-xinglong.json'), 'utf8'), 'micius-xinglong.json');
if (!term.ok) throw new Error(term.errors.join('\n'));
const terminal = term.value;

const START_MS = Date.parse('2026-11-29T00:00:00Z');
const RE_KM = 6378.137;
const nRevDay = (Math.sqrt(398_600.4418 / (RE_KM + 500) ** 3) * 86_400) / (2 * Math.PI);

function constellationTle(): string {
  const lines: string[] = [];
  for (let plane = 0; plane < 4; plane++) {
    for (let k = 0; k < 5; k++) {
      const id = 98000 + plane * 5 + k;
      const [l1, l2] = formatTle({
        noradId: id, intlDesignator: `26998${String.fromCharCode(65 + plane * 5 + k)}`, epochMs: Date.UTC(2026, 10, 28, 12), ndotRevDay2: 0.00002,
        bstarPerEarthRadius: 0.0001, inclinationDeg: 97.4, raanDeg: (227.5 + plane * 30) % 360, eccentricity: 0.0005, argPerigeeDeg: 90,
        meanAnomalyDeg: (k * 72 + plane * 18) % 360, meanMotionRevDay: nRevDay, revolutionNumber: 100, elementSetNumber: 999,
      });
      lines.push(`BENCH-${plane}${k}`, l1, l2);
    }
  }
  return lines.join('\n') + '\n';
}

/** 30 of the 55 node pairs, chosen by a fixed stride so the set is the same in every run. */
function demands(nodes: string[]) {
  const pairs: [string, string][] = [];
  for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) pairs.push([nodes[i], nodes[j]]);
  const out: { from: string; to: string; bitsPerDay: number; priority: number }[] = [];
  for (let k = 0; out.length < 30; k++) {
    const [from, to] = pairs[(k * 13) % pairs.length];
    if (out.some((d) => d.from === from && d.to === to)) continue;
    out.push({ from, to, bitsPerDay: 100_000 + ((k * 37_000) % 300_000), priority: 1 + (k % 3) });
  }
  return out;
}

const catalog = parseCatalog(constellationTle(), 'bench-constellation.tle').satellites;
const scenarioResult = parseScenario({
  ...base,
  name: 'bench-20x10x30',
  tleFiles: ['bench-constellation.tle'],
  satellites: catalog.map((c) => ({ noradId: c.noradId, keyMemoryBits: 2e8, opticalTerminals: 1, interSatelliteTerminals: 0, retargetTimeS: 60 })),
  demands: demands(base.nodes.map((n) => n.id)),
}, 'bench');
if (!scenarioResult.ok) throw new Error(JSON.stringify(scenarioResult.issues));
const scenario = scenarioResult.scenario;

const fmt = (x: number, d = 1) => x.toFixed(d);
const secs = (ms: number) => `${fmt(ms / 1000, 2)} s`;

async function run(days: number, milpTimeLimitS: number): Promise<void> {
  const horizon = { startMs: START_MS, endMs: START_MS + days * 86_400_000 };
  let t = performance.now();
  const cs = scenarioCandidates({ scenario, satellites: catalog, horizon, terminal });
  const tCand = performance.now() - t;
  t = performance.now();
  const problem = buildProblem(scenario, horizon, cs.candidates);
  const tBuild = performance.now() - t;
  t = performance.now();
  const heur = solveHeuristic(problem);
  const tHeur = performance.now() - t;
  t = performance.now();
  const lp = await solveMilp(problem, { relaxation: true });
  const tLp = performance.now() - t;
  t = performance.now();
  const guided = solveHeuristic(problem, { seed: lp.relaxedSelection!.map((x) => x >= 0.9) });
  const tGuided = performance.now() - t;
  t = performance.now();
  const start = guided.objective > heur.objective ? guided.solution : heur.solution;
  const milp = await solveMilp(problem, { start, timeLimitS: milpTimeLimitS, relativeGap: 5e-3 });
  const tMilp = performance.now() - t;
  const milpObj = milp.solution ? evaluate(problem, milp.solution).objective : NaN;
  const bound = Math.min(lp.bound, milp.bound);
  const gap = (x: number) => `${fmt((100 * (bound - x)) / bound, 2)} %`;
  console.log(`\n${days}-day plan: ${catalog.length} satellites, ${scenario.stations.length} stations, ${scenario.demands.length} demand pairs`);
  console.log(`  passes ${cs.passes.length}, candidates ${cs.candidates.length} (dropped ${cs.dropped.length}); pass prediction + key yield ${secs(tCand)}`);
  console.log(`  model: ${problem.routes.length} relay routes, ${problem.capacityRows.length} capacity cliques, ${milp.columns} columns, ${milp.rows} rows, ${milp.nonzeros} nonzeros; built in ${secs(tBuild)}`);
  console.log(`  heuristic (greedy + local search): objective ${fmt(heur.objective, 4)} (greedy alone ${fmt(heur.greedyObjective, 4)}; kept ${heur.movesAccepted} of ${heur.movesTried} moves) in ${secs(tHeur)}`);
  console.log(`  HiGHS LP relaxation: bound ${fmt(lp.bound, 4)} in ${secs(tLp)}`);
  console.log(`  LP-guided heuristic (seeded with the passes the LP flies ≥ 0.9): objective ${fmt(guided.objective, 4)} in ${secs(tGuided)} after the LP`);
  console.log(`  HiGHS MILP (limit ${milpTimeLimitS} s, gap 0.5 %): ${milp.status}, objective ${fmt(milpObj, 4)}, bound ${fmt(milp.bound, 4)}, ${milp.nodes} nodes in ${secs(tMilp)}`);
  console.log(`  gaps to the best proven bound ${fmt(bound, 4)}: heuristic ${gap(heur.objective)}, LP-guided heuristic ${gap(guided.objective)}, MILP ${gap(milpObj)}`);
  console.log(`  times: heuristic ${secs(tHeur)}, LP + guided heuristic ${secs(tLp + tGuided)}, MILP ${secs(tMilp)}`);
}

await run(7, 120);
await run(30, 120);
