import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  backbonePackets,
  documentPacket,
  geodeticToEcefM,
  keyColour,
  missionCzml,
  passLinkPacket,
  rampColour,
  sampleTleTrack,
  satellitePacket,
  shortLabel,
  stationPackets,
  type SatelliteTrack,
} from './index.ts';

const ref = JSON.parse(readFileSync(new URL('../../test/browser/fixtures/skyfield-positions.json', import.meta.url), 'utf8')) as {
  line1: string;
  line2: string;
  positions: { iso: string; itrsKm: [number, number, number] }[];
};
const T0 = Date.parse('2026-11-29T12:00:00Z');

function norm(v: number[]): number {
  return Math.hypot(...v);
}

/** Degree-5 Lagrange interpolation at t (what Cesium does with the packet), for the interpolation-error check. */
function lagrange(ts: number[], ys: number[], t: number): number {
  let sum = 0;
  for (let i = 0; i < ts.length; i++) {
    let w = 1;
    for (let j = 0; j < ts.length; j++) if (j !== i) w *= (t - ts[j]) / (ts[i] - ts[j]);
    sum += w * ys[i];
  }
  return sum;
}

describe('geodeticToEcefM', () => {
  it.each([
    { lat: 0, lon: 0, h: 0, want: [6_378_137, 0, 0] },
    { lat: 90, lon: 0, h: 0, want: [0, 0, 6_356_752.314] },
    { lat: 0, lon: 90, h: 1000, want: [0, 6_379_137, 0] },
    // Xinglong; reference from Skyfield 1.45 wgs84.latlon(40.3958, 117.5775, 900).itrs_xyz.m
    { lat: 40.3958, lon: 117.5775, h: 900, want: [-2_252_254.500, 4_312_289.205, 4_112_137.884] },
  ])('($lat, $lon, $h)', ({ lat, lon, h, want }) => {
    const got = geodeticToEcefM(lat, lon, h);
    for (let i = 0; i < 3; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1);
  });
});

describe('sampleTleTrack', () => {
  it('matches Skyfield ITRS positions within 1 km (UT1 = UTC, no polar motion)', () => {
    for (const p of ref.positions) {
      const t = Date.parse(p.iso);
      const r = sampleTleTrack('MICIUS', ref.line1, ref.line2, { startMs: t, endMs: t + 60_000, stepS: 60 });
      if (!r.ok) throw new Error(r.reason);
      const [x, y, z] = r.track.samples[0].positionEcefM;
      const dKm = norm([x / 1000 - p.itrsKm[0], y / 1000 - p.itrsKm[1], z / 1000 - p.itrsKm[2]]);
      expect(dKm).toBeLessThan(1);
    }
  });

  it('ends exactly at endMs and steps evenly before it', () => {
    const r = sampleTleTrack('MICIUS', ref.line1, ref.line2, { startMs: T0, endMs: T0 + 150_000, stepS: 60 });
    if (!r.ok) throw new Error(r.reason);
    expect(r.track.samples.map((s) => s.tMs - T0)).toEqual([0, 60_000, 120_000, 150_000]);
  });

  it('60 s samples interpolated at degree 5 stay within 10 m of SGP4', () => {
    const r = sampleTleTrack('MICIUS', ref.line1, ref.line2, { startMs: T0, endMs: T0 + 600_000, stepS: 60 });
    const fine = sampleTleTrack('MICIUS', ref.line1, ref.line2, { startMs: T0 + 150_000, endMs: T0 + 151_000, stepS: 1 });
    if (!r.ok || !fine.ok) throw new Error('sampling failed');
    const window = r.track.samples.slice(0, 6);
    const ts = window.map((s) => s.tMs);
    for (let k = 0; k < 3; k++) {
      const y = lagrange(ts, window.map((s) => s.positionEcefM[k]), T0 + 150_000);
      expect(Math.abs(y - fine.track.samples[0].positionEcefM[k])).toBeLessThan(10);
    }
  });

  it.each([
    { name: 'garbage lines', l1: '1 garbage', l2: '2 garbage' },
    { name: 'empty span', l1: ref.line1, l2: ref.line2, empty: true },
  ])('reports $name as a value, not a throw', ({ l1, l2, empty }) => {
    const r = sampleTleTrack('X', l1, l2, { startMs: T0, endMs: empty ? T0 : T0 + 60_000 });
    expect(r.ok).toBe(false);
  });
});

describe('shortLabel', () => {
  it.each([
    ['Graz Lustbühel Observatory (IWF/ÖAW)', 'Graz Lustbühel Observatory'],
    ['QKDSAT-A1 (HYPOTHETICAL)', 'QKDSAT-A1'],
    ['Jinan, Shandong', 'Jinan'],
    ['MICIUS', 'MICIUS'],
    ['(odd) name', '(odd) name'],
  ])('%s → %s', (name, want) => expect(shortLabel(name)).toBe(want));
});

describe('colours', () => {
  it.each([
    { f: 0, want: [220, 40, 40, 255] },
    { f: 0.5, want: [240, 180, 30, 255] },
    { f: 1, want: [40, 200, 90, 255] },
    { f: 7, want: [40, 200, 90, 255] },
    { f: Number.NaN, want: [220, 40, 40, 255] },
  ])('rampColour($f)', ({ f, want }) => expect(rampColour(f)).toEqual(want));

  it('keyColour is monotone in key, grey when unknown, red for no key, green for the best pass', () => {
    const best = 1e6;
    expect(keyColour(undefined, best)[0]).toBe(170);
    expect(keyColour(0, best).slice(0, 3)).toEqual([220, 40, 40]);
    expect(keyColour(best, best).slice(0, 3)).toEqual([40, 200, 90]);
    const greens = [1e3, 1e4, 1e5, 1e6].map((b) => keyColour(b, best)[1]);
    for (let i = 1; i < greens.length; i++) expect(greens[i]).toBeGreaterThanOrEqual(greens[i - 1]);
  });
});

const track: SatelliteTrack = {
  id: 'MICIUS',
  samples: [0, 60, 120].map((s, i) => ({ tMs: T0 + s * 1000, positionEcefM: [7e6 + i, 1.23456789, -2] as [number, number, number] })),
};

describe('packets', () => {
  it('document clock spans the plan', () => {
    const d = documentPacket({ name: 'plan', startMs: T0, endMs: T0 + 3_600_000, multiplier: 30 });
    expect(d).toMatchObject({ id: 'document', version: '1.0', clock: { interval: '2026-11-29T12:00:00.000Z/2026-11-29T13:00:00.000Z', multiplier: 30 } });
    expect(() => documentPacket({ name: 'x', startMs: T0, endMs: T0 })).toThrow(/endMs/);
  });

  it('satellite samples are seconds from the epoch, millimetre-rounded, Earth-fixed', () => {
    const p = satellitePacket(track) as unknown as { position: { epoch: string; cartesian: number[]; referenceFrame: string }; availability: string };
    expect(p.position.epoch).toBe('2026-11-29T12:00:00.000Z');
    expect(p.position.referenceFrame).toBe('FIXED');
    expect(p.position.cartesian).toEqual([0, 7e6, 1.235, -2, 60, 7e6 + 1, 1.235, -2, 120, 7e6 + 2, 1.235, -2]);
    expect(p.availability).toBe('2026-11-29T12:00:00.000Z/2026-11-29T12:02:00.000Z');
    expect(satellitePacket(track, { labels: false })).not.toHaveProperty('label');
    expect(satellitePacket(track)).toHaveProperty('path.trailTime', 1500);
    expect(satellitePacket(track, { trailS: 0 })).not.toHaveProperty('path');
  });

  it.each([
    { name: 'one sample', samples: track.samples.slice(0, 1), msg: /at least 2/ },
    { name: 'out of order', samples: [track.samples[1], track.samples[0]], msg: /not after/ },
  ])('satellite rejects $name', ({ samples, msg }) => {
    expect(() => satellitePacket({ id: 'S', samples })).toThrow(msg);
  });

  it('station cone: apex at the station, wall at the mask elevation', () => {
    const [st, cone] = stationPackets({ id: 'xl', latDeg: 0, lonDeg: 0, heightM: 0, minElevationDeg: 45 }, 100_000) as unknown as {
      position: { cartesian: number[] };
      cylinder?: { length: number; topRadius: number; bottomRadius: number };
    }[];
    expect(st.position.cartesian[0]).toBeCloseTo(6_378_137, 0);
    // Centre half the height above the station, along local up (= +x at lat 0, lon 0).
    expect(cone.position.cartesian[0]).toBeCloseTo(6_378_137 + 50_000, 0);
    expect(cone.cylinder).toMatchObject({ length: 100_000, bottomRadius: 0 });
    expect(cone.cylinder!.topRadius).toBeCloseTo(100_000, 3); // tan 45° = 1
    expect(() => stationPackets({ id: 'bad', latDeg: 0, lonDeg: 0, heightM: 0, minElevationDeg: 0 })).toThrow(/minElevationDeg/);
  });

  it('pass link shows only its usable windows and references both ends', () => {
    const p = passLinkPacket(
      {
        id: 'p1',
        satellite: 'MICIUS',
        station: 'xl',
        aosMs: T0,
        losMs: T0 + 600_000,
        usableWindows: [
          { startMs: T0 + 60_000, endMs: T0 + 120_000 },
          { startMs: T0 + 300_000, endMs: T0 + 360_000 },
        ],
        expectedSecretKeyBits: 5e4,
      },
      1e5,
    ) as unknown as { availability: string[]; polyline: { positions: { references: string[] } } };
    expect(p.availability).toEqual(['2026-11-29T12:01:00.000Z/2026-11-29T12:02:00.000Z', '2026-11-29T12:05:00.000Z/2026-11-29T12:06:00.000Z']);
    expect(p.polyline.positions.references).toEqual(['sat/MICIUS#position', 'station/xl#position']);
  });

  it('backbone link colour follows sampled pool levels; unknown node is an error', () => {
    const nodes = [
      { id: 'bj', latDeg: 39.9, lonDeg: 116.4 },
      { id: 'jn', latDeg: 36.7, lonDeg: 117.0 },
    ];
    const pk = backbonePackets(nodes, [
      { id: 'bj-jn', a: 'bj', b: 'jn', levels: [{ tMs: T0, fillFraction: 0 }, { tMs: T0 + 10_000, fillFraction: 1 }] },
    ]);
    const link = pk.find((p) => p.id === 'link/bj-jn') as unknown as { polyline: { material: { solidColor: { color: { rgba: number[] } } } } };
    expect(link.polyline.material.solidColor.color.rgba).toEqual([0, 220, 40, 40, 255, 10, 40, 200, 90, 255]);
    expect(() => backbonePackets(nodes, [{ id: 'x', a: 'bj', b: 'sh', levels: [{ tMs: T0, fillFraction: 1 }] }])).toThrow(/unknown node 'sh'/);
    // A topology file as it is (no levels): drawn neutral until live levels arrive.
    const plain = backbonePackets(nodes, [{ id: 'bj-jn', a: 'bj', b: 'jn' }]).find((p) => p.id === 'link/bj-jn') as unknown as typeof link;
    expect(plain.polyline.material.solidColor.color.rgba).toEqual([140, 160, 190, 220]);
  });

  it('missionCzml: document first, every reference resolves, unknown ids are errors', () => {
    const input = {
      document: { name: 'demo', startMs: T0, endMs: T0 + 120_000 },
      satellites: [track, { ...track, id: 'QKDSAT-2' }],
      stations: [{ id: 'xl', latDeg: 40.4, lonDeg: 117.6, heightM: 900, minElevationDeg: 10 }],
      passes: [{ id: 'p', satellite: 'MICIUS', station: 'xl', aosMs: T0, losMs: T0 + 60_000, expectedSecretKeyBits: 1e5 }],
      interSatellite: [{ id: 'w', satelliteA: 'MICIUS', satelliteB: 'QKDSAT-2', startMs: T0, endMs: T0 + 60_000 }],
    };
    const doc = missionCzml(input);
    expect(doc[0].id).toBe('document');
    const ids = new Set(doc.map((p) => p.id));
    expect(ids.size).toBe(doc.length);
    const refs = JSON.stringify(doc).match(/"[^"]+#position"/g) ?? [];
    expect(refs.length).toBe(4);
    for (const r of refs) expect(ids.has(JSON.parse(r).split('#')[0])).toBe(true);
    expect(() => missionCzml({ ...input, passes: [{ ...input.passes[0], station: 'nowhere' }] })).toThrow(/pass p: unknown station 'nowhere'/);
    expect(() => missionCzml({ ...input, interSatellite: [{ ...input.interSatellite[0], satelliteB: 'ghost' }] })).toThrow(/unknown satellite 'ghost'/);
  });
});

describe('missionCzmlFromPlanner (the planner propagator)', async () => {
  const { parseCatalog } = await import('../catalog/index.ts');
  const { missionCzmlFromPlanner, trackFromCatalog } = await import('./index.ts');
  const cat = parseCatalog(`MICIUS\n${ref.line1}\n${ref.line2}\n`, 'ref.tle');

  it('agrees with the satellite.js sampler within a metre', () => {
    const a = trackFromCatalog(cat.satellites[0], T0, T0 + 600_000);
    const b = sampleTleTrack('41731', ref.line1, ref.line2, { startMs: T0, endMs: T0 + 600_000 });
    if (!a.ok || !b.ok) throw new Error('sampling failed');
    expect(a.track.samples).toHaveLength(b.track.samples.length);
    a.track.samples.forEach((s, i) => expect(norm(s.positionEcefM.map((v, k) => v - b.track.samples[i].positionEcefM[k]))).toBeLessThan(1));
  });

  it('keeps passes of known satellites and stations, drops the rest', () => {
    const station = { id: 'xl', name: 'Xinglong', latDeg: 40.4, lonDeg: 117.6, heightM: 900 };
    const pass = (satellite: string, st: string) => ({
      id: `${satellite}@${st}`, satellite, station: st, aosMs: T0, tcaMs: T0 + 1, losMs: T0 + 60_000, maxElevationDeg: 30,
      aosAzimuthDeg: 0, tcaAzimuthDeg: 0, losAzimuthDeg: 0, rangeAtTcaKm: 800, clippedStart: false, clippedEnd: false, usableWindows: [], sunlitAtTca: false,
    });
    const { czml, problems } = missionCzmlFromPlanner({
      name: 't', startMs: T0, endMs: T0 + 3_600_000, satellites: cat.satellites, stations: [station],
      passes: [pass('41731', 'xl'), pass('99999', 'xl'), pass('41731', 'nowhere')],
    });
    expect(problems).toEqual([]);
    expect(czml.filter((p) => p.id.startsWith('pass/')).map((p) => p.id)).toEqual(['pass/41731@xl']);
    expect(czml.find((p) => p.id === 'station/xl/mask')).toBeDefined();
  });
});
