/**
 * `satqkd schedule --scenario FILE --start ISO --end ISO [--format json|csv|ics|czml]`: the constellation plan
 * (issue 4). The only place the scheduler touches files: the scenario, the element sets and terminal files it names
 * (paths relative to the scenario file), and for a rolling re-plan the previous plan.
 */
import { readFile, writeFile, rename } from 'node:fs/promises';
import { resolve } from 'node:path';
import { choiceFlag, instantFlag, numberFlag, parseFlags, required, UsageError, type CliCommand, type CliIo } from '../command.ts';
import type { CatalogEntry } from '../../planner/catalog/index.ts';
import { sampleTleTrack, type SatelliteTrack } from '../../planner/czml/index.ts';
import {
  formatCsv, formatCzml, formatIcs, formatIssues, formatJson, parsePlanText, replan, schedule, scenarioCandidates,
  type SchedulePlan, type ScheduleOptions,
} from '../../planner/schedule/index.ts';
import { toIso } from '../../planner/time.ts';
import { loadScenarioBundle } from '../lib/scenario-files.ts';

const usage = `usage: satqkd schedule --scenario FILE --start ISO --end ISO [--format json|csv|ics|czml] [--out FILE]
                       [--method auto|milp|heuristic] [--time-limit S] [--moves N]
       satqkd schedule --scenario FILE --previous PLAN.json --now ISO [--end ISO] [--failed ID,ID…] [--format …]

  --scenario FILE   scenario JSON (tle-data/scenarios/china-europe-qkd.json): satellites, stations and telescopes,
                    backbone nodes, demands, weather; element and terminal files relative to it
  --start, --end    planning horizon (ISO-8601 with a zone)
  --format          json (default): assignments[], demands[], relays[], stats; csv; ics (calendar); czml (web view)
  --out FILE        write there (atomically) instead of stdout
  --method          auto (default: exact HiGHS MILP when the model is small enough, else heuristic + LP bound),
                    milp, heuristic
  --time-limit S    solver time limit (a time-limited MILP may differ between runs; the heuristic never does)
  --moves N         local-search moves of the heuristic (default 1000)
  --previous FILE   rolling re-plan: keep what PLAN.json flew before --now, re-decide the rest with the scenario's
                    current forecasts; --failed lists assignment ids that gave no key; --end rolls the
                    horizon forward
Exit status: 0 ok, 1 invalid or unreadable input (named by file and field), 2 bad arguments.`;

async function readText(path: string, io: CliIo): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

class InputError extends Error {}

function tracksFor(plan: SchedulePlan, satellites: CatalogEntry[], stepS: number): SatelliteTrack[] {
  const flying = new Set(plan.assignments.flatMap((a) => (a.kind === 'ground' ? [a.satellite] : [a.satellite, a.station])));
  const tracks: SatelliteTrack[] = [];
  for (const s of satellites) {
    if (!flying.has(s.noradId) || s.elements.kind !== 'tle') continue;
    const r = sampleTleTrack(s.noradId, s.elements.line1, s.elements.line2, { startMs: Date.parse(plan.start), endMs: Date.parse(plan.end), stepS }, s.name);
    if (r.ok) tracks.push(r.track);
    else throw new InputError(`satellite ${r.satellite}: ${r.reason}`);
  }
  return tracks;
}

function summary(plan: SchedulePlan): string {
  const s = plan.stats;
  const pct = (x: number | undefined) => (x === undefined ? 'n/a' : `${(100 * x).toFixed(2)} %`);
  const met = plan.demands.filter((d) => d.status === 'met').length;
  return [
    `schedule ${plan.scenario} ${plan.start} → ${plan.end}: ${plan.assignments.length} assignments from ${s.candidates} candidates, ${s.routes} relay routes`,
    `objective ${s.objective.toFixed(4)} (${s.method}${s.solverStatus ? `, ${s.solverStatus}` : ''}), bound ${s.bound?.toFixed(4) ?? 'n/a'}, gap ${pct(s.gap)}; heuristic ${s.heuristicObjective.toFixed(4)}, gap ${pct(s.heuristicGap)}`,
    `demands: ${met}/${plan.demands.length} met, least satisfaction ${(100 * s.minSatisfaction).toFixed(1)} %`,
    ...plan.demands.filter((d) => d.status !== 'met').map((d) => `  ${d.from}–${d.to}: ${Math.round(d.expectedBits)} of ${Math.round(d.demandBits)} bits (${d.status}): ${d.reason}`),
  ].join('\n');
}

export const command: CliCommand = {
  name: 'schedule',
  summary: 'constellation plan: which satellite serves which station when, to meet the key demand between nodes',
  usage,
  async run(argv, io) {
    const v = parseFlags(argv, {
      scenario: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' },
      method: { type: 'string' }, 'time-limit': { type: 'string' }, moves: { type: 'string' }, previous: { type: 'string' }, now: { type: 'string' },
      failed: { type: 'string' }, 'czml-step': { type: 'string' },
    }, { usage }, io);
    if (!v) return 0;
    const scenarioPath = resolve(io.cwd, required(v, 'scenario'));
    const format = choiceFlag(v, 'format', ['json', 'csv', 'ics', 'czml'] as const, 'json');
    const method = choiceFlag(v, 'method', ['auto', 'milp', 'heuristic'] as const, 'auto');
    const timeLimitS = numberFlag(v, 'time-limit');
    const moves = numberFlag(v, 'moves', 1000)!;
    const czmlStepS = numberFlag(v, 'czml-step', 60)!;
    if (timeLimitS !== undefined && !(timeLimitS > 0)) throw new UsageError(`--time-limit must be positive, got ${timeLimitS}`);
    if (!(moves >= 0 && Number.isInteger(moves))) throw new UsageError(`--moves must be a whole number ≥ 0, got ${moves}`);
    const replanning = v.previous !== undefined;
    let startMs: number;
    let endMs: number;
    let previous: SchedulePlan | null = null;
    let nowMs = 0;
    try {
      if (replanning) {
        if (v.start !== undefined) throw new UsageError('a re-plan keeps the start of --previous: drop --start (--end may roll the horizon forward)');
        nowMs = instantFlag(v, 'now');
        const prevPath = resolve(io.cwd, v.previous as string);
        const pr = parsePlanText(await readText(prevPath, io), prevPath);
        if (!pr.ok) throw new InputError(formatIssues(pr.issues));
        previous = pr.plan;
        startMs = Date.parse(previous.start);
        endMs = v.end !== undefined ? instantFlag(v, 'end') : Date.parse(previous.end);
        if (endMs < Date.parse(previous.end)) throw new UsageError(`--end ${toIso(endMs)} is before the previous plan's end ${previous.end}: a re-plan can extend the horizon, not cut it`);
        if (!(nowMs >= startMs && nowMs <= endMs)) throw new UsageError(`--now ${toIso(nowMs)} is outside the previous plan (${previous.start} → ${previous.end})`);
      } else {
        startMs = instantFlag(v, 'start');
        endMs = instantFlag(v, 'end');
        if (!(endMs > startMs)) throw new UsageError(`--end must be after --start (empty horizon)`);
        if (endMs - startMs > 62 * 86_400_000) throw new UsageError('horizon longer than 62 days: element sets are too old by then');
      }
      const loaded = await loadScenarioBundle(scenarioPath, startMs);
      if (!loaded.ok) throw new InputError(loaded.error);
      const { scenario, terminal, islTerminal } = loaded.bundle;
      for (const note of loaded.bundle.notes) io.stderr.write(`satqkd schedule: ${note}\n`);
      if (previous && previous.scenario !== scenario.name) throw new InputError(`${v.previous}: plan of scenario '${previous.scenario}', not '${scenario.name}'`);
      const resolved = { satellites: loaded.bundle.satellites };

      const t0 = performance.now();
      const progress = io.stderrIsTty ? (done: number, total: number) => io.stderr.write(`\rpasses: ${done}/${total} satellites`) : undefined;
      const cs = scenarioCandidates({ scenario, satellites: resolved.satellites, horizon: { startMs, endMs }, terminal, ...(islTerminal ? { islTerminal } : {}), ...(progress ? { onProgress: progress } : {}) });
      if (progress) io.stderr.write('\n');
      const t1 = performance.now();
      const opts: ScheduleOptions = { method, heuristic: { localSearchMoves: moves }, ...(timeLimitS !== undefined ? { milp: { timeLimitS } } : {}) };
      const failed = typeof v.failed === 'string' ? v.failed.split(',').map((s) => s.trim()).filter(Boolean) : [];
      if (previous) {
        const known = new Set(previous.assignments.map((a) => a.id));
        const unknown = failed.filter((id) => !known.has(id));
        if (unknown.length) throw new InputError(`--failed: not assignments of ${v.previous}: ${unknown.join(', ')}`);
      } else if (failed.length) throw new UsageError('--failed needs --previous');
      const { plan } = previous
        ? await replan({ scenario, previous, nowMs, candidateSet: cs, failedIds: failed, endMs }, opts)
        : await schedule(scenario, { startMs, endMs }, cs, opts);
      const t2 = performance.now();
      io.stderr.write(`${summary(plan)}\ntimes: passes and key yield ${((t1 - t0) / 1000).toFixed(1)} s, optimisation ${((t2 - t1) / 1000).toFixed(1)} s\n`);

      let out: string;
      if (format === 'json') out = formatJson(plan);
      else if (format === 'csv') out = formatCsv(plan);
      else if (format === 'ics') out = formatIcs(plan);
      else out = JSON.stringify(formatCzml(plan, scenario, tracksFor(plan, resolved.satellites, czmlStepS))) + '\n';
      if (typeof v.out === 'string') {
        const outPath = resolve(io.cwd, v.out);
        await writeFile(`${outPath}.tmp`, out);
        await rename(`${outPath}.tmp`, outPath);
      } else io.stdout.write(out);
      return 0;
    } catch (err) {
      if (err instanceof InputError) {
        io.stderr.write(`satqkd schedule: ${err.message}\n`);
        return 1;
      }
      if (err instanceof RangeError) {
        io.stderr.write(`satqkd schedule: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
