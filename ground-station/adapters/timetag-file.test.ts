import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileTimeTagger, encodeTimeTagsBinary, encodeTimeTagsCsv, parseTimeTags, writeTimeTagFile } from './timetag-file.ts';

const events = [
  { timePs: 0, channel: 0 },
  { timePs: 1_500_000_000, channel: 3 },
  { timePs: 2_000_000_000_000, channel: 1 },
  { timePs: 600_000_000_000_000, channel: 4 }, // a 10-minute pass in ps: still exact
];
const meta = { startUtc: '2026-11-29T16:07:05.000Z', passId: 'MICIUS@xinglong@2026-11-29T16:07:05.000Z' };
const dir = mkdtempSync(join(tmpdir(), 'satqkd-ttag-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('time-tag files', () => {
  it.each([
    ['csv', (e: typeof events) => Buffer.from(encodeTimeTagsCsv(e, meta))],
    ['binary', (e: typeof events) => encodeTimeTagsBinary(e, meta)],
  ])('%s round-trips events and metadata', (_name, encode) => {
    const r = parseTimeTags(encode(events), 'x');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.recording.events).toEqual(events);
    expect(r.recording.meta.passId).toBe(meta.passId);
    expect(r.recording.startUtcMs).toBe(Date.parse(meta.startUtc));
  });

  it.each([
    ['no header', '1,0\n', /x:1: expected the header/],
    ['negative time', 'timePs,channel\n-5,0\n', /x:2: timePs must be an integer/],
    ['bad channel', 'timePs,channel\n5,300\n', /x:2: channel must be an integer 0..255/],
    ['time going backwards', 'timePs,channel\n10,0\n\n5,1\n', /x:4: time goes backwards/],
    ['bad startUtc', '# startUtc: yesterday\ntimePs,channel\n', /startUtc is not an ISO-8601/],
    ['fractional picoseconds', 'timePs,channel\n1.5,0\n', /x:2: timePs/],
  ])('rejects %s with file and line', (_name, text, reason) => {
    const r = parseTimeTags(Buffer.from(text), 'x');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('rejects a truncated binary file by record', () => {
    const b = encodeTimeTagsBinary(events, meta);
    const r = parseTimeTags(b.subarray(0, b.length - 4), 'x.sqtt');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/stray byte\(s\) after record 3/);
  });

  it('replays paced by the injected clock, or all at once', async () => {
    const path = join(dir, 'pass.sqtt');
    writeTimeTagFile(path, events, meta);
    let now = 1_000_000;
    const clock = { nowMs: () => now };
    const paced = FileTimeTagger.open(path, clock);
    expect(await paced.read()).toEqual([]); // not started
    await paced.start();
    expect(await paced.read()).toEqual([events[0]]);
    now += 2; // 2 ms = 2e9 ps
    expect(await paced.read()).toEqual([events[1]]);
    now += 600_000;
    expect(await paced.read()).toEqual(events.slice(2));
    const all = FileTimeTagger.open(path, clock, 'all');
    await all.start();
    expect(await all.read()).toEqual(events);
    expect(await all.read()).toEqual([]);
  });
});
