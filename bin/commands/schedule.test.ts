/** `satqkd schedule` end to end on the bundled scenario, and its answers to bad input. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../cli.ts';

const root = resolve(import.meta.dirname, '../..');
const SCENARIO = join(root, 'tle-data/scenarios/china-europe-qkd.json');
const DAY = ['--start', '2026-11-29T00:00:00Z', '--end', '2026-11-30T00:00:00Z'];

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (f: (s: string) => void) => new Writable({ write(chunk, _e, cb) { f(String(chunk)); cb(); } });
  const code = await main(['schedule', ...args], { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), stderrIsTty: false, env: {}, cwd: root });
  return { code, stdout, stderr };
}

function scenarioVariant(mutate: (s: Record<string, any>) => void): string {
  const s = JSON.parse(readFileSync(SCENARIO, 'utf8'));
  s.tleFiles = s.tleFiles.map((f: string) => resolve(root, 'tle-data/scenarios', f));
  s.terminalFile = resolve(root, 'tle-data/scenarios', s.terminalFile);
  s.islTerminalFile = resolve(root, 'tle-data/scenarios', s.islTerminalFile);
  mutate(s);
  const dir = mkdtempSync(join(tmpdir(), 'satqkd-schedule-'));
  const file = join(dir, 'scenario.json');
  writeFileSync(file, JSON.stringify(s));
  return file;
}

describe('satqkd schedule', () => {
  it('plans a day of the bundled scenario: conflict-free assignments and the per-pair balance', async () => {
    const r = await run(['--scenario', SCENARIO, ...DAY, '--method', 'heuristic']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.assignments.length).toBeGreaterThan(5);
    expect(plan.demands).toHaveLength(12);
    for (const a of plan.assignments) {
      expect(a.satellite).toMatch(/^\d+$/);
      expect(Date.parse(a.end)).toBeGreaterThan(Date.parse(a.start));
      expect(a.expectedSecretKeyBits).toBeGreaterThan(0);
    }
    // One telescope tracks one satellite at a time, slew time between passes.
    const slew = new Map<string, number>();
    for (const st of JSON.parse(readFileSync(SCENARIO, 'utf8')).stations) for (const t of st.telescopes) slew.set(t.id, t.slewTimeS * 1000);
    const byTelescope = new Map<string, any[]>();
    for (const a of plan.assignments.filter((x: any) => x.kind === 'ground')) byTelescope.set(a.telescope, [...(byTelescope.get(a.telescope) ?? []), a]);
    for (const [tel, list] of byTelescope) {
      const sorted = [...list].sort((x: any, y: any) => x.startMs - y.startMs);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i].startMs, tel).toBeGreaterThanOrEqual(sorted[i - 1].endMs + slew.get(tel)!);
    }
    expect(r.stderr).toMatch(/objective [\d.]+ \(heuristic, lp-relaxation optimal\), bound [\d.]+, gap [\d.]+ %/);
  });

  it('solves a day of the bundled scenario exactly with HiGHS, relaying over the inter-satellite link too', async () => {
    const r = await run(['--scenario', SCENARIO, ...DAY]);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.stats).toMatchObject({ method: 'milp', solverStatus: 'optimal' });
    expect(plan.stats.gap).toBeLessThanOrEqual(0.005);
    expect(plan.stats.heuristicGap).toBeGreaterThanOrEqual(plan.stats.gap);
    expect(plan.stats.objective).toBeLessThanOrEqual(plan.stats.bound + 1e-9);
    const isl = plan.assignments.filter((a: any) => a.kind === 'inter-satellite');
    expect(isl.length).toBeGreaterThan(0);
    expect(plan.relays.some((x: any) => x.via.length === 3)).toBe(true);
    // Every relayed bit is accounted for at both ends and never exceeds what the passes give.
    for (const d of plan.demands) {
      const relayed = plan.relays.filter((x: any) => x.from === d.from && x.to === d.to).reduce((s: number, x: any) => s + x.bits, 0);
      expect(Math.abs(relayed - d.expectedBits)).toBeLessThanOrEqual(plan.relays.length); // whole-bit rounding
    }
    for (const a of plan.assignments) expect(a.usedKeyBits).toBeLessThanOrEqual(a.clearSkyKeyBits + 1);
  });

  it('writes csv, ics and czml', async () => {
    const csv = await run(['--scenario', SCENARIO, ...DAY, '--method', 'heuristic', '--format', 'csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^record,satellite,station,/);
    const ics = await run(['--scenario', SCENARIO, ...DAY, '--method', 'heuristic', '--format', 'ics']);
    expect(ics.stdout).toMatch(/^BEGIN:VCALENDAR\r\n/);
    const czml = await run(['--scenario', SCENARIO, ...DAY, '--method', 'heuristic', '--format', 'czml', '--czml-step', '120']);
    const packets = JSON.parse(czml.stdout);
    expect(packets[0].id).toBe('document');
    expect(packets.some((p: any) => p.id.startsWith('pass/'))).toBe(true);
    expect(packets.some((p: any) => p.position?.cartesian)).toBe(true);
  });

  it('re-plans from a previous plan, keeping what was flown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'satqkd-replan-'));
    const prev = join(dir, 'plan.json');
    expect((await run(['--scenario', SCENARIO, ...DAY, '--method', 'heuristic', '--out', prev])).code).toBe(0);
    const first = JSON.parse(readFileSync(prev, 'utf8'));
    const now = '2026-11-29T12:00:00Z';
    const failed = first.assignments.find((a: any) => a.startMs < Date.parse(now)).id;
    const r = await run(['--scenario', SCENARIO, '--previous', prev, '--now', now, '--failed', failed, '--method', 'heuristic']);
    expect(r.code, r.stderr).toBe(0);
    const next = JSON.parse(r.stdout);
    const before = (p: any) => p.assignments.filter((a: any) => a.startMs < Date.parse(now)).map((a: any) => a.id);
    expect(before(next)).toEqual(before(first).filter((id: string) => id !== failed));
  });

  it.each([
    { args: [...DAY], code: 2, message: /missing --scenario/ },
    { args: ['--scenario', SCENARIO, '--start', '2026-11-30T00:00:00Z', '--end', '2026-11-29T00:00:00Z'], code: 2, message: /empty horizon/ },
    { args: ['--scenario', SCENARIO, '--start', 'tomorrow', '--end', '2026-11-29T00:00:00Z'], code: 2, message: /--start must be an ISO-8601/ },
    { args: ['--scenario', SCENARIO, ...DAY, '--format', 'xml'], code: 2, message: /--format must be one of json\|csv\|ics\|czml/ },
    { args: ['--scenario', '/nonexistent/s.json', ...DAY], code: 1, message: /cannot read \/nonexistent\/s.json: ENOENT/ },
    { args: ['--scenario', SCENARIO, ...DAY, '--failed', 'x'], code: 2, message: /--failed needs --previous/ },
    { args: ['--scenario', SCENARIO, ...DAY, '--previous', 'plan.json', '--now', '2026-11-29T06:00:00Z'], code: 2, message: /keeps the start of --previous/ },
    { args: ['--scenario', SCENARIO, ...DAY, '--time-limit', '0'], code: 2, message: /--time-limit must be positive/ },
  ])('exit $code for $args', async ({ args, code, message }) => {
    const r = await run(args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
  });

  it.each([
    { name: 'an unknown node in a demand', mutate: (s: any) => (s.demands[0].to = 'atlantis'), message: /scenario\.json: demands\[0\]\.to: unknown node 'atlantis'/ },
    { name: 'a satellite missing from the element files', mutate: (s: any) => s.satellites.push({ noradId: '12345', keyMemoryBits: 1e6 }), message: /satellites\[7\]\.noradId: NORAD 12345 is in none of the element files/ },
    { name: 'a missing terminal file', mutate: (s: any) => (s.terminalFile = '/nonexistent/t.json'), message: /cannot read \/nonexistent\/t.json/ },
  ])('exit 1 naming the field for $name', async ({ mutate, message }) => {
    const r = await run(['--scenario', scenarioVariant(mutate), ...DAY]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});
