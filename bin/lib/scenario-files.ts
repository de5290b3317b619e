/**
 * Reads a scenario file and everything it names (element sets, terminal files; paths relative to the scenario),
 * with every problem reported by file, line and field. The one place the mission and `satqkd schedule` touch
 * scenario files; planner/schedule stays pure.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseCatalog, type CatalogEntry } from '../../planner/catalog/index.ts';
import { parseTerminalFile, type TerminalFile } from '../../planner/link/terminal-file.ts';
import { formatIssues, parseScenarioText, resolveSatellites, type Scenario } from '../../planner/schedule/index.ts';

export interface ScenarioBundle {
  path: string;
  scenario: Scenario;
  /** Every satellite the scenario names, resolved from its element files (newest epoch per NORAD id). */
  satellites: CatalogEntry[];
  terminal: TerminalFile;
  islTerminal?: TerminalFile;
  /** Skipped element sets and stale-epoch warnings, one line each (file:line: reason). */
  notes: string[];
}

export type BundleResult = { ok: true; bundle: ScenarioBundle } | { ok: false; error: string };

async function readText(path: string): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  try {
    return { ok: true, text: await readFile(path, 'utf8') };
  } catch (err) {
    return { ok: false, error: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
}

async function terminalAt(base: string, rel: string): Promise<{ ok: true; value: TerminalFile } | { ok: false; error: string }> {
  const path = resolve(base, rel);
  const t = await readText(path);
  if (!t.ok) return t;
  const r = parseTerminalFile(t.text, path);
  return r.ok ? r : { ok: false, error: r.errors.join('\n') };
}

/** `referenceMs`: the planning start, against which element-set ages are judged. */
export async function loadScenarioBundle(scenarioPath: string, referenceMs: number): Promise<BundleResult> {
  const st = await readText(scenarioPath);
  if (!st.ok) return st;
  const sr = parseScenarioText(st.text, scenarioPath);
  if (!sr.ok) return { ok: false, error: formatIssues(sr.issues) };
  const scenario = sr.scenario;
  const base = dirname(scenarioPath);
  const notes: string[] = [];
  const entries: CatalogEntry[] = [];
  const wanted = new Set(scenario.satellites.map((s) => s.noradId));
  for (const rel of scenario.tleFiles) {
    const path = resolve(base, rel);
    const t = await readText(path);
    if (!t.ok) return t;
    const r = parseCatalog(t.text, path, { referenceMs });
    for (const p of r.problems) notes.push(`${p.file}:${p.line}${p.field ? ` ${p.field}` : ''}: ${p.reason} (skipped)`);
    for (const w of r.warnings) if (!w.noradId || wanted.has(w.noradId)) notes.push(`warning: ${w.file}:${w.line}: ${w.reason}`);
    entries.push(...r.satellites);
  }
  const resolved = resolveSatellites(scenario, entries, scenarioPath);
  if (!resolved.ok) return { ok: false, error: formatIssues(resolved.issues) };
  if (!scenario.terminalFile) return { ok: false, error: `${scenarioPath}: terminalFile: a terminal file is needed for the key yield` };
  const terminal = await terminalAt(base, scenario.terminalFile);
  if (!terminal.ok) return terminal;
  let islTerminal: TerminalFile | undefined;
  if (scenario.islTerminalFile) {
    const t = await terminalAt(base, scenario.islTerminalFile);
    if (!t.ok) return t;
    islTerminal = t.value;
  }
  return { ok: true, bundle: { path: scenarioPath, scenario, satellites: resolved.satellites, terminal: terminal.value, ...(islTerminal ? { islTerminal } : {}), notes } };
}
