/** `satqkd simulate-raw` end to end on a few seconds of a synthetic pass (the command lives in bin/commands). */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../bin/cli.ts';
import type { CliIo } from '../bin/command.ts';
import { syntheticPass } from './geometry/synthetic-pass.ts';
import { toIso } from '../planner/time.ts';

function io(cwd: string) {
  let out = '', err = '';
  const w = (f: (s: string) => void) => new Writable({ write: (c, _e, cb) => (f(String(c)), cb()) });
  const value: CliIo = { stdout: w((s) => (out += s)), stderr: w((s) => (err += s)), stderrIsTty: false, env: {}, cwd };
  return { value, out: () => out, err: () => err };
}

const TCA = Date.UTC(2026, 10, 29, 16, 50);

describe('satqkd simulate-raw', () => {
  it('writes events, telemetry, satellite records and meta for a clipped pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simraw-'));
    const samples = syntheticPass({ tcaMs: TCA, altitudeKm: 500, maxElevationDeg: 60, minElevationDeg: 15 }).map((s) => ({ t: toIso(s.tMs), azDeg: s.azDeg, elDeg: s.elDeg, rangeKm: s.rangeKm, rangeRateKmS: s.rangeRateKmS }));
    writeFileSync(join(dir, 'track.json'), JSON.stringify({ samples }));
    // A mount parked where the satellite is at the start, so the 3 s recorded are on target.
    const first = samples.find((s) => Date.parse(s.t) >= TCA - 2000)!;
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ mount: { ...(await import('./mount/profiles.ts')).TELESCOPE_MOUNT, park: { azDeg: first.azDeg, elDeg: first.elDeg } } }));
    writeFileSync(join(dir, 'faults.json'), JSON.stringify([{ kind: 'tagger-gap', startMs: TCA + 1000, durationMs: 500 }]));
    const t = io(dir);
    const rc = await main(['simulate-raw', '--out', 'out', '--track', 'track.json', '--config', 'config.json', '--faults', 'faults.json', '--start', toIso(TCA - 2000), '--end', toIso(TCA + 3000), '--seed', '4'], t.value);
    expect(t.err()).toBe('');
    expect(rc).toBe(0);
    const lines = (f: string) => readFileSync(join(dir, 'out', f), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const events = lines('events.jsonl');
    expect(events.length).toBeGreaterThan(10_000);
    expect(Object.keys(events[0]).sort()).toEqual(['channel', 'timePs']);
    const telemetry = lines('telemetry.jsonl');
    expect(telemetry.filter((e) => e.type === 'fault').map((e) => e.phase)).toEqual(['start', 'end']);
    const sat = lines('satellite.jsonl');
    expect(sat.length).toBeGreaterThan(1000);
    expect(sat.every((r) => (r.basis === 'X' || r.basis === 'Z') && (r.bit === 0 || r.bit === 1) && [0, 1, 2].includes(r.intensityIndex))).toBe(true);
    const meta = JSON.parse(readFileSync(join(dir, 'out', 'meta.json'), 'utf8'));
    expect(meta.satellite.repetitionRateHz).toBe(1e8);
    expect(meta.truth.clicksByKind.signal).toBeGreaterThan(sat.length - 1);
  });

  it.each([
    [['--out', 'x'], /exactly one of --track/],
    [['--out', 'x', '--synthetic-max-el', '95'], /--synthetic-max-el must be/],
    [['--out', 'x', '--synthetic-max-el', '60', '--seed=-1'], /--seed/],
    [['--synthetic-max-el', '60'], /missing --out/],
  ])('bad arguments exit 2 with one line (%#)', async (args, msg) => {
    const t = io(tmpdir());
    expect(await main(['simulate-raw', ...args], t.value)).toBe(2);
    expect(t.err()).toMatch(msg);
    expect(t.err().trim().split('\n')).toHaveLength(1);
  });

  it('bad input files exit 1 naming the file and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simraw-bad-'));
    writeFileSync(join(dir, 'faults.json'), JSON.stringify([{ kind: 'cloud', startMs: 0, durationMs: -5 }]));
    writeFileSync(join(dir, 'track.json'), JSON.stringify({ samples: [{ t: 'noon', azDeg: 0, elDeg: 10, rangeKm: 900, rangeRateKmS: 0 }, { t: 'noon', azDeg: 0, elDeg: 10, rangeKm: 900, rangeRateKmS: 0 }] }));
    let t = io(dir);
    expect(await main(['simulate-raw', '--out', 'o', '--synthetic-max-el', '60', '--faults', 'faults.json'], t.value)).toBe(1);
    expect(t.err()).toMatch(/faults\.json: 0\.durationMs/);
    t = io(dir);
    expect(await main(['simulate-raw', '--out', 'o', '--track', 'track.json'], t.value)).toBe(1);
    expect(t.err()).toMatch(/track\.json: samples\.0\.t/);
  });
});
