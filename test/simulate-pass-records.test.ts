/** `satqkd simulate-pass --records DIR`: the raw records of the pass are written and replay as a time-tag file. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../bin/cli.ts';
import { parseTimeTags } from '../ground-station/adapters/timetag-file.ts';

describe('satqkd simulate-pass --records', () => {
  it('writes detections (replayable time tags) and telemetry next to the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'satqkd-records-'));
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d) => (out += d));
    const code = await main(['simulate-pass', '--format', 'json', '--store', ':memory:', '--seconds', '3', '--records', dir], { stdout, stderr: new PassThrough(), stderrIsTty: false, env: {}, cwd: process.cwd() });
    expect(code).toBe(0);
    const report = JSON.parse(out) as { detections: number; ok: boolean };
    expect(report.ok).toBe(true);
    const parsed = parseTimeTags(readFileSync(join(dir, 'detections.sqtt')), 'detections.sqtt');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed));
    // Every tag post-processing saw is in the file (the sync channel's included), in time order.
    const events = parsed.recording.events;
    expect(events.length).toBe(report.detections);
    expect(events.some((e) => e.channel === 4) && events.some((e) => e.channel < 4)).toBe(true);
    for (let i = 1; i < events.length; i++) expect(events[i]!.timePs).toBeGreaterThanOrEqual(events[i - 1]!.timePs);
    const telemetry = readFileSync(join(dir, 'telemetry.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { tMs: number });
    expect(telemetry.length).toBeGreaterThan(10);
  });
});
