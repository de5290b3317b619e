import { describe, expect, it } from 'vitest';
import { buildCandidates } from './candidates.ts';
import { formatCsv } from './output-csv.ts';
import { formatCzml } from './output-czml.ts';
import { foldLine, formatIcs } from './output-ics.ts';
import { formatJson } from './output-json.ts';
import { parsePlanText } from './plan-schema.ts';
import { schedule } from './schedule.ts';
import { simplePassYield } from './simple-yield.ts';
import { RATE, T0, mustParse, pass, smallScenarioInput } from './test-fixtures.ts';
import { weatherModel } from './weather.ts';

const scenario = mustParse({ ...smallScenarioInput(), demands: [{ from: 'A', to: 'B', bitsPerDay: 400_000, priority: 2 }, { from: 'A', to: 'E', bitsPerDay: 1000 }] });
const horizon = { startMs: T0, endMs: T0 + 86_400_000 };
const passes = [pass('10001', 'S1', 0, 5, 90), pass('10001', 'S2', 100, 4, 90)];

async function plan() {
  const cs = buildCandidates({ scenario, horizon, passes, passYield: simplePassYield(RATE), weather: weatherModel(scenario) });
  return (await schedule(scenario, horizon, cs)).plan;
}

describe('outputs', () => {
  it('JSON has the fields the issue fixes, and reads back as a previous plan', async () => {
    const p = await plan();
    const text = formatJson(p);
    const json = JSON.parse(text);
    expect(json.assignments[0]).toMatchObject({ satellite: '10001', station: 'S1', start: '2026-12-01T00:00:00.000Z', end: '2026-12-01T00:05:00.000Z', expectedSecretKeyBits: 300_000 });
    expect(json.demands).toEqual([
      expect.objectContaining({ from: 'A', to: 'B', demandBits: 400_000, expectedBits: 240_000, status: 'partial' }),
      expect.objectContaining({ from: 'A', to: 'E', demandBits: 1000, expectedBits: 0, status: 'unmet', reason: 'no ground station feeds node E' }),
    ]);
    // The mission view's timeline fields: every ground candidate with aos/tca/los and whether it is flown.
    expect(json.passes.map((x: { station: string; scheduled: boolean }) => [x.station, x.scheduled])).toEqual([['S1', true], ['S2', true]]);
    expect(json.passes[0]).toMatchObject({ aos: '2026-12-01T00:00:00.000Z', tca: '2026-12-01T00:02:30.000Z', los: '2026-12-01T00:05:00.000Z', maxElevationDeg: 90 });
    expect(json.stations.map((s: { id: string }) => s.id)).toEqual(['S1', 'S2', 'S3', 'S4']);
    const back = parsePlanText(text, 'plan.json');
    expect(back.ok).toBe(true);
    const bad = parsePlanText(text.replace('"start": "2026-12-01T00:00:00.000Z"', '"start": "yesterday"'), 'plan.json');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]).toMatchObject({ file: 'plan.json', path: 'start' });
  });

  it('CSV: one header, one row per assignment and per demand, quoted where needed', async () => {
    const csv = formatCsv(await plan());
    const rows = csv.trimEnd().split('\r\n');
    expect(rows[0].split(',')[0]).toBe('record');
    expect(rows).toHaveLength(1 + 2 + 2);
    expect(rows[1]).toMatch(/^assignment,10001,S1,S1-T1,2026-12-01T00:00:00.000Z,2026-12-01T00:05:00.000Z,300000,240000,1,A-B:240000,/);
    expect(rows[4]).toContain('demand,');
    expect(rows[4]).toContain('no ground station feeds node E');
  });

  it('ICS: a VEVENT per assignment with stable UIDs, CRLF, lines of at most 75 octets', async () => {
    const ics = formatIcs(await plan());
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(ics).toContain('DTSTART:20261201T000000Z');
    expect(ics).toContain('UID:10001@S1@2026-12-01T00:00:00.000Z@satqkd');
    for (const line of ics.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(ics).not.toMatch(/[^\r]\n/);
  });

  it.each([
    { line: 'x'.repeat(75), parts: 1 },
    { line: 'x'.repeat(76), parts: 2 },
    { line: 'é'.repeat(40), parts: 2 },
  ])('folds a $line.length-character line into $parts', ({ line, parts }) => {
    const folded = foldLine(line).split('\r\n');
    expect(folded).toHaveLength(parts);
    expect(folded.map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(line);
  });

  it('CZML: document, stations, flown satellites and one link per assignment during its window', async () => {
    const p = await plan();
    const track = { id: '10001', samples: [{ tMs: T0, positionEcefM: [7e6, 0, 0] as [number, number, number] }, { tMs: T0 + 86_400_000, positionEcefM: [0, 7e6, 0] as [number, number, number] }] };
    const czml = formatCzml(p, scenario, [track]);
    expect(czml[0]).toMatchObject({ id: 'document', version: '1.0' });
    const links = czml.filter((x) => x.id.startsWith('pass/'));
    expect(links.map((l) => l.availability)).toEqual(['2026-12-01T00:00:00.000Z/2026-12-01T00:05:00.000Z', '2026-12-01T01:40:00.000Z/2026-12-01T01:44:00.000Z']);
  });
});
