import { describe, expect, it } from 'vitest';
import type { PlanPass } from '../api-types.ts';
import { CSV_HEADER, passesToCsv, passesToIcs } from './export.ts';
import { ganttLayout, MIN_BAR_WIDTH } from './gantt.ts';
import { filterPasses, toViewPasses, usableSeconds } from './passes.ts';
import { polylinePoints, profileSvg } from './profile-chart.ts';
import { sunElevationDeg } from './sun.ts';

const pass = (o: Partial<PlanPass> & { station: string; aos: string; los: string }): PlanPass => ({
  satellite: 'MICIUS',
  tca: o.aos,
  maxElevationDeg: 45,
  ...o,
});

const stations = [
  { id: 'xinglong', latDeg: 40.3958, lonDeg: 117.5775 },
  { id: 'graz', latDeg: 47.0674, lonDeg: 15.4934 },
];

// 17:00Z is 01:00 at Xinglong (night) and 18:00 at Graz (dusk, sun ≈ −20°); 04:00Z is noon at Xinglong.
const plan = toViewPasses(
  [
    pass({ station: 'graz', aos: '2026-11-29T17:00:00Z', tca: '2026-11-29T17:03:00Z', los: '2026-11-29T17:06:00Z', expectedSecretKeyBits: 1e5 }),
    pass({ station: 'xinglong', aos: '2026-11-29T17:00:00Z', tca: '2026-11-29T17:03:00Z', los: '2026-11-29T17:06:00Z', usableWindows: [{ start: '2026-11-29T17:01:00Z', end: '2026-11-29T17:04:30Z' }] }),
    pass({ satellite: 'QKDSAT-2', station: 'xinglong', aos: '2026-11-30T04:00:00Z', tca: '2026-11-30T04:03:00Z', los: '2026-11-30T04:06:00Z' }),
  ],
  stations,
);

describe('sunElevationDeg (astronomy-engine)', () => {
  it.each([
    // PyEphem 4 references (pressure 0: no refraction; height 0): -66.662° and 27.959°.
    { iso: '2026-11-29T17:03:00Z', st: stations[0], want: -66.662 },
    { iso: '2026-11-30T04:03:00Z', st: stations[0], want: 27.959 },
  ])('$iso at $st.id', ({ iso, st, want }) => {
    expect(Math.abs(sunElevationDeg(Date.parse(iso), st.latDeg, st.lonDeg) - want)).toBeLessThan(0.05);
  });
});

describe('plan passes', () => {
  it('fills ids, sorts by AOS then station, computes the sun at TCA', () => {
    expect(plan.map((p) => p.id)).toEqual(['MICIUS@graz@2026-11-29T17:00:00Z', 'MICIUS@xinglong@2026-11-29T17:00:00Z', 'QKDSAT-2@xinglong@2026-11-30T04:00:00Z']);
    expect(plan[1].sunElDegAtTca).toBeLessThan(-18);
    expect(plan[2].sunElDegAtTca).toBeGreaterThan(0);
  });

  it.each([
    { f: {}, want: 3 },
    { f: { station: 'xinglong' }, want: 2 },
    { f: { satellite: 'QKDSAT-2' }, want: 1 },
    { f: { nightOnly: true }, want: 2 },
    { f: { nightOnly: true, station: 'xinglong' }, want: 1 },
    { f: { nightOnly: true, nightSunElevationDeg: -60 }, want: 1 },
  ])('filter $f → $want', ({ f, want }) => expect(filterPasses(plan, f)).toHaveLength(want));

  it('keeps passes of unknown sun elevation under night-only', () => {
    const unknown = toViewPasses([pass({ station: 'nowhere', aos: '2026-11-30T04:00:00Z', los: '2026-11-30T04:05:00Z' })]);
    expect(filterPasses(unknown, { nightOnly: true })).toHaveLength(1);
  });

  it('usable seconds: whole pass, or the sum of its windows', () => {
    expect(usableSeconds(plan[0])).toBe(360);
    expect(usableSeconds(plan[1])).toBe(210);
  });
});

describe('ganttLayout', () => {
  const span = { startMs: Date.parse('2026-11-29T12:00:00Z'), endMs: Date.parse('2026-11-30T12:00:00Z') };
  const g = ganttLayout(plan, span, ['xinglong', 'graz']);

  it('one row per station in the given order, bars in their station row', () => {
    expect(g.rows).toEqual(['xinglong', 'graz']);
    expect(g.bars.map((b) => [b.pass.station, b.row])).toEqual([
      ['graz', 1],
      ['xinglong', 0],
      ['xinglong', 0],
    ]);
  });

  it('places bars by time and widens tiny ones to stay clickable', () => {
    const b = g.bars[0];
    expect(b.x0).toBeCloseTo(5 / 24, 9);
    expect(b.x1).toBeCloseTo(5.1 / 24, 9);
    const short = toViewPasses([pass({ station: 'graz', aos: '2026-11-29T18:00:00Z', los: '2026-11-29T18:01:00Z' })]);
    const s = ganttLayout(short, span, ['graz']).bars[0];
    expect((s.x0 + s.x1) / 2).toBeCloseTo(6.00833 / 24, 5);
    expect(s.x1 - s.x0).toBeCloseTo(MIN_BAR_WIDTH, 9);
    expect(g.bars[1].usable[0].x0).toBeCloseTo(5 / 24 + 1 / 1440, 6);
  });

  it('stacks overlapping passes of one station in lanes, reuses a lane once free', () => {
    const three = toViewPasses([
      pass({ station: 'graz', aos: '2026-11-29T17:00:00Z', los: '2026-11-29T17:06:00Z' }),
      pass({ satellite: 'B', station: 'graz', aos: '2026-11-29T17:04:00Z', los: '2026-11-29T17:10:00Z' }),
      pass({ satellite: 'C', station: 'graz', aos: '2026-11-29T17:08:00Z', los: '2026-11-29T17:12:00Z' }),
      pass({ station: 'xinglong', aos: '2026-11-29T17:04:00Z', los: '2026-11-29T17:10:00Z' }),
    ]);
    const l = ganttLayout(three, span, ['graz', 'xinglong']);
    expect(l.bars.map((b) => [b.pass.satellite, b.pass.station, b.lane])).toEqual([
      ['MICIUS', 'graz', 0],
      ['B', 'graz', 1],
      ['MICIUS', 'xinglong', 0],
      ['C', 'graz', 0],
    ]);
    expect(l.lanes).toEqual([2, 1]);
  });

  it('hourly ticks at round hours', () => {
    expect(g.ticks[0]).toEqual({ x: 0, label: '12:00' });
    expect(g.ticks.length).toBeLessThanOrEqual(13);
    expect(g.ticks.every((t) => /^\d\d:00$/.test(t.label))).toBe(true);
  });

  it('drops passes of stations not shown and empty plans', () => {
    expect(ganttLayout(plan, span, ['graz']).bars).toHaveLength(1);
    expect(ganttLayout([], span).bars).toEqual([]);
  });
});

describe('exports', () => {
  it('ICS: one VEVENT per pass, UTC basic format, CRLF, escaped text, folded lines', () => {
    const tricky = toViewPasses([pass({ id: 'a;b,c', station: 'Graz, AT', aos: '2026-11-29T17:00:00Z', los: '2026-11-29T17:06:00Z' })]);
    const ics = passesToIcs([...plan, ...tricky], Date.parse('2026-11-29T10:00:00Z'));
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(4);
    expect(ics).toContain('DTSTART:20261129T170000Z\r\nDTEND:20261129T170600Z');
    expect(ics).toContain('DTSTAMP:20261129T100000Z');
    expect(ics).toContain('UID:a\\;b\\,c@satqkd');
    expect(ics).toContain('SUMMARY:MICIUS over Graz\\, AT');
    for (const line of ics.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });

  it('CSV: header, one row per pass, quoting', () => {
    const quoted = toViewPasses([pass({ id: 'x"y', station: 'a,b', aos: '2026-11-29T17:00:00Z', los: '2026-11-29T17:06:00Z' })]);
    const rows = passesToCsv([...plan, ...quoted], usableSeconds).trimEnd().split('\r\n');
    expect(rows[0]).toBe(CSV_HEADER.join(','));
    expect(rows).toHaveLength(5);
    expect(rows[1]).toBe('MICIUS@graz@2026-11-29T17:00:00Z,MICIUS,graz,2026-11-29T17:00:00Z,2026-11-29T17:03:00Z,2026-11-29T17:06:00Z,45,100000,,360');
    expect(rows[4].startsWith('"x""y",MICIUS,"a,b",')).toBe(true);
  });
});

describe('profile chart', () => {
  it('maps time and value onto the plot box', () => {
    const size = { width: 476, height: 132 }; // plot box 400 × 100 after padding
    expect(polylinePoints([{ tMs: 0, v: 0 }, { tMs: 10, v: 90 }], 0, 10, 0, 90, size)).toBe('36.0,110.0 436.0,10.0');
  });

  it('draws elevation, loss and shaded cuts; escapes constraint names', () => {
    const p = toViewPasses([
      pass({
        station: 'xinglong',
        aos: '2026-11-29T17:00:00Z',
        los: '2026-11-29T17:02:00Z',
        profile: [
          { t: '2026-11-29T17:00:00Z', elevationDeg: 10, lossDb: 40 },
          { t: '2026-11-29T17:01:00Z', elevationDeg: 60, lossDb: 30 },
          { t: '2026-11-29T17:02:00Z', elevationDeg: 10, lossDb: 41 },
        ],
        cuts: [{ start: '2026-11-29T17:00:00Z', end: '2026-11-29T17:00:30Z', constraint: '<sun>' }],
      }),
    ])[0];
    const svg = profileSvg(p);
    expect(svg).toContain('class="elevation"');
    expect(svg).toContain('class="loss"');
    expect(svg).toContain('<title>&lt;sun&gt;</title>');
    expect(svg).toContain('45 dB');
    expect(svg).toContain('30 dB');
    expect(profileSvg({ ...p, profile: undefined })).toContain('no profile in the plan');
  });
});

describe('home view rectangle', async () => {
  const { homeRectangleDeg } = await import('../mission/view.ts');
  it.each([
    { name: 'China–Europe stations', sites: [{ latDeg: 40.4, lonDeg: 117.6 }, { latDeg: 47.1, lonDeg: 15.5 }], want: { west: 3.5, east: 129.6, south: 28.4, north: 59.1 } },
    { name: 'across the antimeridian', sites: [{ latDeg: -40, lonDeg: 175 }, { latDeg: -45, lonDeg: -175 }], want: { west: 163, east: -163, south: -57, north: -28 } },
  ])('$name', ({ sites, want }) => {
    const r = homeRectangleDeg(sites)!;
    for (const k of ['west', 'east', 'south', 'north'] as const) expect(r[k]).toBeCloseTo(want[k], 6);
  });
  it('no sites, no rectangle', () => expect(homeRectangleDeg([])).toBeNull());
});
