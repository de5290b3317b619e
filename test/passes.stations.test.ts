/** Stations file and elevation masks. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileMask, findStation, horizonElevationDeg, parseStations } from '../planner/stations/index.ts';
import { ecefToGeodetic, geodeticToEcefKm } from '../planner/frames/geodesy.ts';

describe('parseStations', () => {
  it('reads the bundled real stations', () => {
    const r = parseStations(readFileSync('tle-data/stations.json', 'utf8'), 'stations.json');
    expect(r.problems).toEqual([]);
    expect(r.stations.map((s) => s.id)).toEqual(expect.arrayContaining(['xinglong', 'nanshan', 'delingha', 'ali', 'graz', 'izana', 'matera']));
    const x = r.stations.find((s) => s.id === 'xinglong')!;
    expect([x.latDeg, x.lonDeg]).toEqual([40.3958, 117.5775]);
    expect(x.telescope?.apertureM).toBe(1);
  });

  const good = { id: 'a', name: 'A', latDeg: 10, lonDeg: 20, heightM: 100 };
  const cases: [string, unknown, string | undefined, RegExp][] = [
    ['latitude out of range', { ...good, latDeg: 91 }, 'latDeg', /latDeg/],
    ['missing height', { id: 'a', name: 'A', latDeg: 1, lonDeg: 2 }, 'heightM', /heightM/],
    ['bad id', { ...good, id: 'a b' }, 'id', /letters, digits/],
    ['horizon point out of range', { ...good, horizonMask: [{ azDeg: 400, elDeg: 5 }] }, 'horizonMask.0.azDeg', /0, 360/],
    ['negative aperture', { ...good, telescope: { apertureM: -1 } }, 'telescope.apertureM', /apertureM/],
  ];
  it.each(cases)('reports %s with line and field, keeps the others', (_l, bad, field, reason) => {
    const text = JSON.stringify({ stations: [good, bad, { ...good, id: 'c' }] }, null, 2);
    const r = parseStations(text, 'st.json');
    expect(r.stations.map((s) => s.id)).toEqual(['a', 'c']);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ file: 'st.json', field });
    expect(r.problems[0]!.reason).toMatch(reason);
    expect(text.split('\n')[r.problems[0]!.line - 1]!.trim()).toBe('{');
    expect(r.problems[0]!.line).toBeGreaterThan(3);
  });

  it('rejects duplicated ids, bad JSON and a wrong root', () => {
    expect(parseStations(JSON.stringify({ stations: [good, good] }), 'd.json').problems[0]!.reason).toMatch(/appears twice/);
    expect(parseStations('{', 'b.json').problems[0]!.reason).toMatch(/not valid JSON/);
    expect(parseStations('[]', 'r.json').problems[0]!.reason).toMatch(/expected \{"stations"/);
  });

  it('finds stations by id or names the known ones', () => {
    const { stations } = parseStations(JSON.stringify({ stations: [good] }), 'x');
    expect(findStation(stations, 'a')).toBe(stations[0]);
    expect(findStation(stations, 'zz')).toEqual({ error: "unknown station 'zz' (known: a)" });
  });
});

describe('elevation masks', () => {
  const pts = [
    { azDeg: 0, elDeg: 10 },
    { azDeg: 90, elDeg: 30 },
    { azDeg: 180, elDeg: 10 },
    { azDeg: 270, elDeg: 20 },
  ];
  it.each([
    [0, 10],
    [45, 20],
    [90, 30],
    [315, 15],
    [359, 10 + (10 * 1) / 90],
    [-45, 15],
  ])('horizon at az %f is %f°', (az, el) => expect(horizonElevationDeg(pts, az)).toBeCloseTo(el, 9));

  it('combines scalar and horizon masks by the higher one; min bound for the prefilter', () => {
    const m = compileMask({ minElevationDeg: 15, horizonMask: pts });
    expect(m.atDeg(0)).toBe(15);
    expect(m.atDeg(90)).toBe(30);
    expect(m.minDeg).toBe(15);
    expect(compileMask({}).atDeg(123)).toBe(10);
    expect(compileMask({ minElevationDeg: 5 }, 20).minDeg).toBe(20);
  });
});

describe('WGS84 geodesy', () => {
  it.each([
    [0, 0, 0, 6378.137, 0, 0],
    [90, 0, 0, 0, 0, 6356.752314245],
    [0, 90, 1000, 0, 6379.137, 0],
  ])('(%f, %f, %f m) → ECEF', (lat, lon, h, x, y, z) => {
    const p = geodeticToEcefKm(lat, lon, h);
    expect(p[0]).toBeCloseTo(x, 6);
    expect(p[1]).toBeCloseTo(y, 6);
    expect(p[2]).toBeCloseTo(z, 6);
  });
  it('round-trips', () => {
    const [x, y, z] = geodeticToEcefKm(40.3958, 117.5775, 900);
    const g = ecefToGeodetic(x, y, z);
    expect(g.latDeg).toBeCloseTo(40.3958, 9);
    expect(g.lonDeg).toBeCloseTo(117.5775, 9);
    expect(g.heightKm).toBeCloseTo(0.9, 6);
  });
});
