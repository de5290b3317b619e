/** `satqkd passes|isl|track` end to end through the CLI dispatcher, with captured streams. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.ts';

const run = (argv: string[]) => runCli(argv);

const base = ['--tle', 'tle-data/snapshot-2026-11-28.tle', '--stations', 'tle-data/stations.json', '--start', '2026-11-29T00:00:00Z', '--end', '2026-11-30T00:00:00Z'];

describe('satqkd passes', () => {
  it('prints the JSON contract: satellite, station, ISO times with milliseconds, maxElevationDeg', async () => {
    const r = await run(['passes', ...base, '--satellite', '41731', '--station', 'xinglong,graz', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { passes: Record<string, unknown>[] };
    expect(j.passes.length).toBeGreaterThan(3);
    for (const p of j.passes) {
      expect(p.satellite).toBe('41731');
      expect(['xinglong', 'graz']).toContain(p.station);
      for (const k of ['aos', 'tca', 'los']) expect(p[k]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(typeof p.maxElevationDeg).toBe('number');
    }
    const sorted = [...j.passes].sort((a, b) => String(a.aos).localeCompare(String(b.aos)));
    expect(j.passes).toEqual(sorted);
  });

  it('honours --min-elevation and --sun-max-elevation none', async () => {
    const hi = JSON.parse((await run(['passes', ...base, '--min-elevation', '40', '--format', 'json'])).out).passes as { maxElevationDeg: number; usableS: number }[];
    expect(hi.length).toBeGreaterThan(0);
    for (const p of hi) expect(p.maxElevationDeg).toBeGreaterThanOrEqual(40);
    const allDay = JSON.parse((await run(['passes', ...base, '--min-elevation', '40', '--sun-max-elevation', 'none', '--format', 'json'])).out).passes as { durationS: number; usableS: number }[];
    for (const p of allDay) expect(p.usableS).toBeCloseTo(p.durationS, 2);
  });

  it('writes CSV, iCalendar and a table', async () => {
    const csv = await run(['passes', ...base, '--satellite', '41731', '--format', 'csv']);
    expect(csv.out.split('\n')[0]).toBe('satellite,satelliteName,station,aos,tca,los,maxElevationDeg,aosAzimuthDeg,tcaAzimuthDeg,losAzimuthDeg,rangeAtTcaKm,durationS,usableS,sunlitAtTca,clippedStart,clippedEnd');
    const ics = await run(['passes', ...base, '--satellite', '41731', '--station', 'xinglong', '--format', 'ics']);
    expect(ics.out).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics.out).toMatch(/DTSTART:20261129T\d{6}Z\r\n/);
    expect(ics.out.match(/BEGIN:VEVENT/g)!.length).toBeGreaterThan(1);
    const table = await run(['passes', ...base, '--satellite', '41731', '--usable-only']);
    expect(table.out).toMatch(/MOZI \(QSS\) \(41731\)/);
    expect(table.out).toMatch(/\d+ passes/);
  });

  it('reports a bad element set with file and line, skips it, and fails with --strict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'satqkd-cli-'));
    const f = join(dir, 'bad.tle');
    writeFileSync(f, '1 41731U 16051A   26332.41732000  .00003400  00000+0  12000-3 0  9990\n2 41731  97.3520 257.5000 0012000  95.1000 265.2000 15.27000000562105\nGOOD\n1 25544U 98067A   26332.52311000  .00012000  00000+0  22000-3 0  9997\n2 25544  51.6400 210.5000 0006500  45.0000 315.0000 15.49500000490125\n');
    const args = ['passes', '--tle', f, '--stations', 'tle-data/stations.json', '--start', '2026-11-29T00:00:00Z', '--end', '2026-11-29T06:00:00Z', '--format', 'json'];
    const lenient = await run(args);
    expect(lenient.code).toBe(0);
    expect(lenient.err).toMatch(/bad\.tle:1: skipped: bad checksum/);
    expect((JSON.parse(lenient.out).passes as { satellite: string }[]).every((p) => p.satellite === '25544')).toBe(true);
    const strict = await run([...args, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.err).toMatch(/bad element set.*--strict/);
  });

  it.each([
    [['--end', '2026-11-28T00:00:00Z'], /--end .* must be after --start/],
    [['--start', 'yesterday'], /--start must be an ISO-8601 instant/],
    [['--station', 'mars'], /unknown station 'mars' \(known: xinglong/],
    [['--format', 'xml'], /--format must be one of table\|json\|csv\|ics/],
    [['--min-elevation', 'ten'], /--min-elevation must be a number/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--tle', 'no/such.tle'], /--tle: cannot read 'no\/such.tle': ENOENT/],
  ])('bad arguments %j → one line, exit 2', async (extra, msg) => {
    const r = await run(['passes', ...base, ...extra]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('prints --help for every command', async () => {
    for (const c of ['passes', 'isl', 'track']) {
      const r = await run([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^usage: satqkd ${c}`));
    }
  });
});

describe('satqkd isl and track', () => {
  it('isl prints windows as JSON', async () => {
    const r = await run(['isl', '--tle', 'tle-data/snapshot-2026-11-28.tle', '--start', '2026-11-29T00:00:00Z', '--end', '2026-11-29T03:00:00Z', '--max-range-km', '4000', '--satellite', '41731,20580,40697', '--format', 'json']);
    expect(r.code).toBe(0);
    const w = JSON.parse(r.out).windows as { minRangeKm: number; start: string }[];
    expect(w.length).toBeGreaterThan(0);
    for (const x of w) expect(x.minRangeKm).toBeLessThanOrEqual(4000);
  });

  it('isl rejects a malformed pair', async () => {
    const r = await run(['isl', '--tle', 'tle-data/snapshot-2026-11-28.tle', '--start', '2026-11-29T00:00:00Z', '--end', '2026-11-29T03:00:00Z', '--pairs', '41731-20580']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--pairs: '41731-20580' is not A:B/);
  });

  it('track prints 10 Hz samples with the frame and light time stated; CSV too', async () => {
    const args = ['track', '--tle', 'tle-data/snapshot-2026-11-28.tle', '--stations', 'tle-data/stations.json', '--station', 'xinglong', '--satellite', '41731', '--start', '2026-11-29T16:28:00Z', '--end', '2026-11-29T16:29:00Z'];
    const j = JSON.parse((await run(args)).out);
    expect(j.samples).toHaveLength(600);
    expect(j.lightTime).toBe('receive');
    expect(j.frame).toMatch(/topocentric/);
    expect(j.samples[1].t).toBe('2026-11-29T16:28:00.100Z');
    const csv = await run([...args, '--format', 'csv', '--rate-hz', '1']);
    expect(csv.out.trim().split('\n')).toHaveLength(61);
  });

  it('track --pass follows the first pass from AOS to LOS', async () => {
    const args = ['track', '--tle', 'tle-data/snapshot-2026-11-28.tle', '--stations', 'tle-data/stations.json', '--station', 'xinglong', '--satellite', '41731', '--start', '2026-11-29T16:00:00Z', '--end', '2026-11-29T17:00:00Z', '--pass', '--rate-hz', '1', '--light-time', 'none'];
    const j = JSON.parse((await run(args)).out);
    expect(j.pass).toMatch(/^41731@xinglong@2026-11-29T16:27:/);
    expect(j.samples.length).toBeGreaterThan(300);
    expect(j.samples[0].elDeg).toBeGreaterThanOrEqual(10 - 1e-3);
    expect(j.samples.at(-1).elDeg).toBeGreaterThanOrEqual(10 - 1e-3);
    const none = await run([...args.slice(0, 10), '2026-11-29T16:40:00Z', '--end', '2026-11-29T16:50:00Z', '--pass']);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no pass of 41731 over xinglong/);
  });

  it.each([
    [['--station', 'nowhere'], /unknown station 'nowhere'/],
    [['--satellite', '99999'], /unknown satellite '99999'/],
    [['--rate-hz', '0'], /--rate-hz must be in/],
  ])('track bad input %j → exit 2', async (extra, msg) => {
    const args = ['track', '--tle', 'tle-data/snapshot-2026-11-28.tle', '--stations', 'tle-data/stations.json', '--station', 'xinglong', '--satellite', '41731', '--start', '2026-11-29T16:28:00Z', '--end', '2026-11-29T16:29:00Z'];
    const r = await run([...args, ...extra]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
  });
});
