import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../command.ts';
import { main } from '../cli.ts';

function io(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const w = (f: (s: string) => void) => new Writable({ write(c, _e, cb) { f(String(c)); cb(); } });
  return { stdout: w((s) => (out += s)), stderr: w((s) => (err += s)), stderrIsTty: false, env: {}, cwd: process.cwd(), out: () => out, err: () => err };
}

describe('satqkd mount-test / station command lines', () => {
  it.each([
    [['mount-test'], /missing --mount/],
    [['mount-test', '--mount', 'ftp://x'], /unknown mount scheme 'ftp'/],
    [['mount-test', '--mount', 'sim', '--format', 'xml'], /--format must be one of json\|text/],
    [['mount-test', '--mount', 'sim', '--track-seconds', '0'], /--track-seconds/],
    [['station'], /missing --config/],
    [['station', '--config', 'x.json', '--speed-up', 'fast'], /--speed-up must be a number/],
  ])('%j is a usage error (exit 2, one line)', async (argv, message) => {
    const c = io();
    expect(await main(argv, c)).toBe(2);
    expect(c.err()).toMatch(message);
    expect(c.err().trim().split('\n')).toHaveLength(1);
  });

  it('station: a bad config file is a clear error naming the file and field', async () => {
    const c = io();
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const path = join(mkdtempSync(join(tmpdir(), 'satqkd-st-')), 'station.json');
    writeFileSync(path, JSON.stringify({ stationsFile: 'a', stationId: 'x', tleFiles: [], speedUp: 1 }));
    expect(await main(['station', '--config', path], c)).toBe(1);
    expect(c.err()).toMatch(/station\.json: tleFiles: /);
  });
});

// The real rotctld and INDI peers fly whole passes in ground-station/automation/real-peer-*.test.ts; the command
// itself is exercised here on the simulated telescope mount at 5× real time.
describe('satqkd mount-test on the simulated mount', () => {
  it('reports every step as JSON and passes', async () => {
    const c = io();
    const code = await main(['mount-test', '--mount', 'sim', '--track-seconds', '4', '--speed-up', '5'], c);
    const report = JSON.parse(c.out());
    expect(report.steps.map((s: { step: string }) => s.step)).toEqual(['connect', 'unpark', 'slew 1', 'slew 2', 'slew 3', 'track 4 s', 'park']);
    expect(report.ok, JSON.stringify(report.steps.filter((s: { ok: boolean }) => !s.ok))).toBe(true);
    expect(code).toBe(0);
    const slew = report.steps[2];
    expect(slew.commanded).toEqual({ azDeg: 100, elDeg: 30 });
    expect(slew.errorDeg).toBeLessThan(0.01);
    const track = report.steps[5];
    expect(track.samples.length).toBeGreaterThanOrEqual(4);
    expect(track.rmsErrorDeg).toBeLessThan(1);
  }, 120_000);
});
