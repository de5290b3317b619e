/** Catalog ingest: TLE 2/3-line, checksums, Alpha-5, OMM JSON, duplicates, stale sets, bad input with file/line. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeAlpha5, encodeAlpha5, formatTle, parseCatalog, syntheticLeoCatalog, tleChecksum, withChecksum } from '../planner/catalog/index.ts';

const snapshot = readFileSync('tle-data/snapshot-2026-11-28.tle', 'utf8');
const [name, l1, l2] = snapshot.split('\n') as [string, string, string];
const fixChecksum = (l: string) => withChecksum(l.slice(0, 68));

describe('TLE checksums and Alpha-5', () => {
  it.each([
    ['1 25544U 98067A   19156.50900463  .00003075  00000-0  59442-4 0  999', 2],
    ['2 25544  51.6433  59.2583 0008217  16.4489 347.6017 15.5117461817344', 2],
  ])('checksum of %s is %i (published ISS set)', (body, sum) => expect(tleChecksum(body)).toBe(sum));

  it.each([
    ['41731', 41731],
    [' 1234', 1234],
    ['A0000', 100000],
    ['A0001', 100001],
    ['H9999', 179999],
    ['J0000', 180000], // I is skipped
    ['P1234', 231234], // O is skipped
    ['Z9999', 339999],
  ])('decodes %s as %i and back', (s, n) => {
    expect(decodeAlpha5(s)).toBe(n);
    expect(encodeAlpha5(n)).toBe(s.trim().padStart(5, '0'));
  });

  it.each(['I0000', 'O1234', 'AB123', '12a45', ''])('rejects %j', (s) => expect(decodeAlpha5(s)).toBeNull());
});

describe('parseCatalog (TLE)', () => {
  it('reads the snapshot: 15 sets, Micius among them, names from 3-line sets, epoch from the TLE', () => {
    const r = parseCatalog(snapshot, 'snap.tle');
    expect(r.problems).toEqual([]);
    expect(r.satellites).toHaveLength(15);
    const micius = r.satellites.find((s) => s.noradId === '41731')!;
    expect(micius.name).toBe('MOZI (QSS)');
    expect(micius.intlDesignator).toBe('16051A');
    expect(new Date(micius.epochMs).toISOString()).toBe('2026-11-28T10:00:56.448Z');
  });

  it('reads 2-line sets without names', () => {
    const r = parseCatalog(`${l1}\n${l2}\n`, 'two.tle');
    expect(r.satellites.map((s) => [s.noradId, s.name])).toEqual([['41731', '41731']]);
  });

  it('reads Alpha-5 catalogue numbers', () => {
    const a5 = [l1, l2].map((l) => fixChecksum(l.slice(0, 2) + 'B1234' + l.slice(7)));
    const r = parseCatalog(`X\n${a5[0]}\n${a5[1]}\n`, 'a5.tle');
    expect(r.problems).toEqual([]);
    expect(r.satellites[0]!.noradId).toBe('111234');
  });

  const bad: [string, string, number, RegExp][] = [
    ['bad checksum', `${name}\n${l1.slice(0, 68)}${(Number(l1[68]) + 1) % 10}\n${l2}\n`, 2, /bad checksum: column 69 says \d, the line sums to \d/],
    ['truncated line 2', `${name}\n${l1}\n${l2.slice(0, 50)}\n`, 3, /line 2 is truncated: 50 columns/],
    ['line 1 without line 2', `${name}\n${l1}\n`, 2, /not followed by its line 2/],
    ['mismatched catalogue numbers', `${name}\n${l1}\n${fixChecksum(l2.slice(0, 2) + '41732' + l2.slice(7))}\n`, 3, /line 2 is for 41732, line 1 for 41731/],
    ['orphan line 2', `${l2}\n`, 1, /line 2 without a preceding line 1/],
    ['eccentricity ≥ 1', `${name}\n${l1}\n${fixChecksum(l2.slice(0, 26) + '9999999' + l2.slice(33))}\n`, 2, /SGP4|eccentricity/],
  ];
  it.each(bad)('reports %s with file and line and keeps the rest', (_label, text, line, reason) => {
    const r = parseCatalog(text + snapshot.split('\n').slice(3).join('\n'), 'bad.tle');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ file: 'bad.tle', line });
    expect(r.problems[0]!.reason).toMatch(reason);
    expect(r.satellites.length).toBe(14);
  });

  it('keeps the newest epoch of duplicated NORAD ids and says so', () => {
    const older = formatTle({ noradId: 41731, intlDesignator: '16051A', epochMs: Date.parse('2026-11-20T00:00:00Z'), ndotRevDay2: 0, bstarPerEarthRadius: 1e-4, inclinationDeg: 97.35, raanDeg: 250, eccentricity: 0.001, argPerigeeDeg: 90, meanAnomalyDeg: 0, meanMotionRevDay: 15.27 });
    const r = parseCatalog(`${snapshot}OLD MICIUS\n${older[0]}\n${older[1]}\n`, 'dup.tle');
    const m = r.satellites.filter((s) => s.noradId === '41731');
    expect(m).toHaveLength(1);
    expect(m[0]!.name).toBe('MOZI (QSS)');
    expect(r.warnings).toEqual([expect.objectContaining({ noradId: '41731', line: 47, reason: expect.stringMatching(/duplicate/) })]);
  });

  it.each([
    [14, '2026-12-20T00:00:00Z', 15],
    [30, '2026-12-20T00:00:00Z', 0],
    [14, '2026-11-29T00:00:00Z', 0],
  ])('with max age %i days at %s warns about %i stale sets', (maxAgeDays, ref, n) => {
    const r = parseCatalog(snapshot, 's.tle', { referenceMs: Date.parse(ref), maxAgeDays });
    expect(r.warnings.filter((w) => /days old/.test(w.reason))).toHaveLength(n);
  });
});

describe('parseCatalog (OMM JSON)', () => {
  const omm = readFileSync('tle-data/snapshot-2026-11-28.omm.json', 'utf8');
  it('auto-detects OMM and yields the same orbits as the TLE snapshot', () => {
    const a = parseCatalog(omm, 'snap.json');
    const b = parseCatalog(snapshot, 'snap.tle');
    expect(a.problems).toEqual([]);
    expect(a.satellites.map((s) => s.noradId).sort()).toEqual(b.satellites.map((s) => s.noradId).sort());
    for (const s of a.satellites) {
      const t = b.satellites.find((x) => x.noradId === s.noradId)!;
      expect(Math.abs(s.epochMs - t.epochMs)).toBeLessThan(1);
      expect(s.satrec.no).toBeCloseTo(t.satrec.no, 10);
      expect(s.satrec.inclo).toBeCloseTo(t.satrec.inclo, 9);
    }
  });

  it('reports a bad record with its line and field and keeps the others', () => {
    const recs = JSON.parse(omm) as Record<string, unknown>[];
    recs[2] = { ...recs[2], ECCENTRICITY: 1.5 };
    delete recs[4]!.MEAN_MOTION;
    const text = JSON.stringify(recs, null, 1);
    const r = parseCatalog(text, 'bad.json');
    expect(r.satellites).toHaveLength(13);
    expect(r.problems.map((p) => [p.field, text.split('\n')[p.line - 1]!.trim()])).toEqual([
      ['ECCENTRICITY', '{'],
      ['MEAN_MOTION', '{'],
    ]);
  });

  it('reports invalid JSON as one problem', () => {
    expect(parseCatalog('[{"OBJECT_NAME":', 'x.json').problems[0]).toMatchObject({ file: 'x.json', line: 1, reason: expect.stringMatching(/not valid JSON/) });
  });
});

describe('formatTle and the synthetic catalogue', () => {
  it('writes sets that parse back with valid checksums (1,000 synthetic sets)', () => {
    const text = syntheticLeoCatalog(1000, Date.parse('2026-11-28T00:00:00Z'));
    const r = parseCatalog(text, 'syn.tle');
    expect(r.problems).toEqual([]);
    expect(r.satellites).toHaveLength(1000);
    expect(syntheticLeoCatalog(5, 0, 7)).toBe(syntheticLeoCatalog(5, 0, 7));
  });
});
