/** `satqkd passes --yield` and `isl --yield`: the planner's passes joined with the link-budget/finite-key model. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.ts';

const run = (argv: string[]) => runCli(argv);

const base = ['--tle', 'tle-data/snapshot-2026-11-28.tle', '--stations', 'tle-data/stations.json', '--start', '2026-11-29T00:00:00Z', '--end', '2026-11-30T00:00:00Z', '--satellite', '41731'];

interface YieldPass {
  id: string;
  maxElevationDeg: number;
  usableS: number;
  usableWindows: { start: string; end: string }[];
  expectedSecretKeyBits: number;
  meanLossDb: number | null;
  keyWindow: { start: string; end: string } | null;
}

describe('satqkd passes --yield', () => {
  it('gives night passes key inside their usable window and daylight passes none', async () => {
    const r = await run(['passes', ...base, '--yield', '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    const passes = (JSON.parse(r.out) as { passes: YieldPass[] }).passes;
    const night = passes.filter((p) => p.usableS > 0);
    const day = passes.filter((p) => p.usableS === 0);
    expect(night.length).toBeGreaterThan(2);
    expect(day.length).toBeGreaterThan(0);
    for (const p of day) expect(p.expectedSecretKeyBits).toBe(0);
    for (const p of night.filter((q) => q.expectedSecretKeyBits > 0)) {
      expect(p.keyWindow).not.toBeNull();
      const inside = p.usableWindows.some((w) => w.start <= p.keyWindow!.start && p.keyWindow!.end <= w.end);
      expect(inside, `${p.id} key window inside a usable window`).toBe(true);
      // Liao et al. 2017: 29.8 dB at 645 km rising to ~40 dB at 1,200 km; a pass's mean sits in between.
      expect(p.meanLossDb!).toBeGreaterThan(28);
      expect(p.meanLossDb!).toBeLessThan(45);
    }
    // Higher passes are shorter in range and give more key (same station set, same night).
    const keyed = night.filter((p) => p.expectedSecretKeyBits > 0).sort((a, b) => a.maxElevationDeg - b.maxElevationDeg);
    expect(keyed.length).toBeGreaterThan(1);
    expect(keyed[keyed.length - 1]!.expectedSecretKeyBits).toBeGreaterThan(keyed[0]!.expectedSecretKeyBits);
  });

  it('adds the yield columns to CSV', async () => {
    const r = await run(['passes', ...base, '--station', 'graz', '--yield', '--format', 'csv']);
    expect(r.code, r.err).toBe(0);
    const [header, ...rows] = r.out.trim().split('\n');
    expect(header).toContain('expectedSecretKeyBits,meanLossDb,expectedQber,keyWindowStart,keyWindowEnd');
    for (const row of rows) expect(row.split(',').length).toBe(header!.split(',').length);
  });

  it('reports a bad terminal file by field and exits 1; --terminal alone is a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'satqkd-yield-'));
    const bad = join(dir, 'terminal.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', link: {}, protocol: {} }));
    const r = await run(['passes', ...base, '--yield', '--terminal', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('terminal.json');
    expect(r.out).toBe('');
    const u = await run(['passes', ...base, '--terminal', bad]);
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/--terminal goes with --yield/);
  });
});

describe('satqkd isl --yield', () => {
  it('adds expected key to inter-satellite windows', async () => {
    const r = await run(['isl', '--tle', 'tle-data/snapshot-2026-11-28.tle', '--start', '2026-11-29T00:00:00Z', '--end', '2026-11-29T02:00:00Z', '--max-range-km', '3000', '--yield', '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    const w = (JSON.parse(r.out) as { windows: { expectedSecretKeyBits: number; meanLossDb: number }[] }).windows;
    expect(w.length).toBeGreaterThan(0);
    for (const x of w) expect(x.expectedSecretKeyBits).toBeGreaterThanOrEqual(0);
    expect(w.some((x) => x.expectedSecretKeyBits > 0)).toBe(true);
  });
});
