/** Inter-satellite windows against a brute-force scan, and the tracking ephemeris (cadence, light time, range rate). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatTle, parseCatalog } from '../planner/catalog/index.ts';
import { findInterSatelliteWindows, lineOfSightClearanceKm, lookAt, SPEED_OF_LIGHT_KM_S, temeAt, trackingEphemeris } from '../planner/passes/index.ts';
import { parseStations } from '../planner/stations/index.ts';

const { satellites } = parseCatalog(readFileSync('tle-data/snapshot-2026-11-28.tle', 'utf8'), 'snapshot.tle');
const { stations } = parseStations(readFileSync('tle-data/stations.json', 'utf8'), 'stations.json');
const startMs = Date.parse('2026-11-29T00:00:00Z');
const sat = (id: string) => satellites.find((s) => s.noradId === id)!;

describe('line-of-sight clearance', () => {
  it.each([
    ['both above the same point', [7000, 0, 0], [7100, 0, 0], 100, 7000 - 6378.137 - 100],
    ['opposite sides of the Earth', [7000, 0, 0], [-7000, 0, 0], 100, -(6378.137 + 100)],
    ['tangent chord at 7000 km', [7000, -3000, 0], [7000, 3000, 0], 0, 7000 - 6378.137],
    ['over the pole (ellipsoid flattening)', [-3000, 0, 7000], [3000, 0, 7000], 0, 7000 * (6378.137 / 6356.752314245) - 6378.137],
  ])('%s', (_l, a, b, graze, want) => expect(lineOfSightClearanceKm(a, b, graze)).toBeCloseTo(want, 6));
});

describe('findInterSatelliteWindows', () => {
  const pairs: [string, string][] = [
    ['41731', '40697'],
    ['41731', '20580'],
    ['25544', '42063'],
    ['39084', '49260'],
  ];
  const endMs = startMs + 6 * 3600_000;
  const maxRangeKm = 5000;
  const windows = findInterSatelliteWindows({ satellites, pairs, startMs, endMs, maxRangeKm });
  const g = (a: string, b: string, t: number) => {
    const pa = temeAt(sat(a), t)!.r;
    const pb = temeAt(sat(b), t)!.r;
    return { clear: lineOfSightClearanceKm(pa, pb, 100), range: Math.hypot(pb[0] - pa[0], pb[1] - pa[1], pb[2] - pa[2]) };
  };

  it('agrees with a 5 s brute-force scan and refines edges to the constraint boundary', () => {
    expect(windows.length).toBeGreaterThan(15);
    for (const [a, b] of pairs) {
      const mine = windows.filter((w) => w.satelliteA === a && w.satelliteB === b);
      for (let t = startMs; t < endMs; t += 5000) {
        const s = g(a, b, t);
        const inside = mine.some((w) => w.startMs <= t && t <= w.endMs);
        if (Math.min(s.clear, maxRangeKm - s.range) > 1) expect(inside).toBe(true);
        if (Math.min(s.clear, maxRangeKm - s.range) < -1) expect(inside).toBe(false);
      }
      for (const w of mine) {
        for (const [t, clipped] of [[w.startMs, w.clippedStart], [w.endMs, w.clippedEnd]] as const) {
          if (clipped) continue;
          const s = g(a, b, t);
          expect(Math.abs(Math.min(s.clear, maxRangeKm - s.range))).toBeLessThan(0.05);
        }
        expect(w.minRangeKm).toBeLessThanOrEqual(g(a, b, (w.startMs + w.endMs) / 2).range + 1e-6);
        expect(w.minRangeKm).toBeCloseTo(g(a, b, w.minRangeMs).range, 6);
      }
    }
  });

  it('Landsat 8 and 9 share a plane half an orbit apart: always blocked by the Earth', () => {
    expect(windows.filter((w) => w.satelliteA === '39084')).toEqual([]);
  });

  it('finds windows shorter than the 20 s grid (head-on encounters in one plane, range ≤ 80 km)', () => {
    const mk = (id: number, inc: number, raan: number, n: number, m: number) => formatTle({ noradId: id, intlDesignator: '26001A', epochMs: startMs, ndotRevDay2: 0, bstarPerEarthRadius: 0, inclinationDeg: inc, raanDeg: raan, eccentricity: 0.0001, argPerigeeDeg: 0, meanAnomalyDeg: m, meanMotionRevDay: n });
    const [a1, a2] = mk(90001, 51.6, 10, 15.5, 0);
    const [b1, b2] = mk(90002, 180 - 51.6, 190, 15.45, 0);
    const pair = parseCatalog(`${a1}\n${a2}\n${b1}\n${b2}\n`, 'pair.tle').satellites;
    const end = startMs + 3 * 3600_000;
    const ws = findInterSatelliteWindows({ satellites: pair, startMs, endMs: end, maxRangeKm: 80 });
    const range = (t: number) => {
      const p = temeAt(pair[0]!, t)!.r;
      const q = temeAt(pair[1]!, t)!.r;
      return Math.hypot(q[0] - p[0], q[1] - p[1], q[2] - p[2]);
    };
    let inside = 0;
    for (let t = startMs; t < end; t += 250) {
      if (range(t) < 79) {
        inside++;
        expect(ws.some((w) => w.startMs <= t && t <= w.endMs)).toBe(true);
      }
    }
    expect(inside).toBeGreaterThan(20);
    expect(ws.length).toBeGreaterThan(2);
    for (const w of ws) {
      expect(w.endMs - w.startMs).toBeLessThan(15_000);
      expect(Math.abs(range(w.startMs) - 80)).toBeLessThan(0.05);
      expect(Math.abs(range(w.endMs) - 80)).toBeLessThan(0.05);
      expect(w.minRangeKm).toBeLessThan(80);
    }
  });

  it('rejects unknown satellites and an inverted span', () => {
    expect(() => findInterSatelliteWindows({ satellites, pairs: [['1', '2']], startMs, endMs })).toThrow(/unknown satellite/);
    expect(() => findInterSatelliteWindows({ satellites, startMs: endMs, endMs: startMs })).toThrow(/not after start/);
  });
});

describe('trackingEphemeris', () => {
  const st = stations.find((s) => s.id === 'xinglong')!;
  const t0 = Date.parse('2026-11-29T16:29:00Z');
  it('samples at the cadence; geometric mode equals lookAt', () => {
    const tr = trackingEphemeris(sat('41731'), st, t0, t0 + 60_000, 10, { lightTime: 'none' });
    expect(tr).toHaveLength(600);
    expect(tr[1]!.tMs - tr[0]!.tMs).toBeCloseTo(100, 9);
    for (const s of tr.filter((_, i) => i % 97 === 0)) expect(s).toEqual(lookAt(sat('41731'), st, s.tMs));
  });

  it('light-time mode looks where the satellite was ρ/c earlier; range rate is the derivative of range', () => {
    const geo = trackingEphemeris(sat('41731'), st, t0, t0 + 20_000, 1, { lightTime: 'none' });
    const rx = trackingEphemeris(sat('41731'), st, t0, t0 + 20_000, 1);
    for (let i = 0; i < geo.length; i++) {
      const tau = geo[i]!.rangeKm / SPEED_OF_LIGHT_KM_S;
      // To first order the received range is ρ(t) − ρ̇ τ; Earth rotation during τ adds < 2 m.
      expect(Math.abs(rx[i]!.rangeKm - (geo[i]!.rangeKm - geo[i]!.rangeRateKmS * tau))).toBeLessThan(0.003);
      const dAng = Math.hypot((rx[i]!.azDeg - geo[i]!.azDeg) * Math.cos((geo[i]!.elDeg * Math.PI) / 180), rx[i]!.elDeg - geo[i]!.elDeg);
      expect(dAng).toBeGreaterThan(1e-4); // ~25 µrad at LEO: larger than a 10 µrad beam
      expect(dAng).toBeLessThan(0.01);
    }
    const a = lookAt(sat('41731'), st, t0 - 500);
    const b = lookAt(sat('41731'), st, t0 + 500);
    expect(lookAt(sat('41731'), st, t0).rangeRateKmS).toBeCloseTo(b.rangeKm - a.rangeKm, 4);
  });

  it('rejects a bad span or rate', () => {
    expect(() => trackingEphemeris(sat('41731'), st, t0, t0, 10)).toThrow(/not after start/);
    expect(() => trackingEphemeris(sat('41731'), st, t0, t0 + 1000, 0)).toThrow(/rate/);
  });
});
