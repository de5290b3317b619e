/**
 * Accuracy against an independent reference: Skyfield 1.45 (Debian python3-skyfield) with refined events, on the
 * committed snapshot and stations (fixtures made by tools/make-skyfield-fixtures.py; same conventions: UT1 = UTC,
 * geometric elevation, WGS84). Requirement (issue 2): AOS/TCA/LOS within 0.1 s, maximum elevation within 0.01°.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../planner/catalog/index.ts';
import { lookAt, predictPasses } from '../planner/passes/index.ts';
import { parseStations } from '../planner/stations/index.ts';
import type { Pass } from '../planner/types.ts';

interface RefPass {
  satellite: string;
  station: string;
  aosMs: number;
  tcaMs: number;
  losMs: number;
  maxElevationDeg: number;
  aosAzimuthDeg: number;
  tcaAzimuthDeg: number;
  losAzimuthDeg: number;
  rangeAtTcaKm: number;
}
const looks = JSON.parse(readFileSync('test/fixtures/skyfield/looks-2026-11-29.json', 'utf8')) as {
  looks: { satellite: string; station: string; tMs: number; azDeg: number; elDeg: number; rangeKm: number }[];
};
const { satellites } = parseCatalog(readFileSync('tle-data/snapshot-2026-11-28.tle', 'utf8'), 'snapshot.tle');
const { stations } = parseStations(readFileSync('tle-data/stations.json', 'utf8'), 'stations.json');
const azDiff = (a: number, b: number) => Math.abs(((a - b + 540) % 360) - 180);

describe.each([
  ['the real-satellite snapshot', 'tle-data/snapshot-2026-11-28.tle', 'test/fixtures/skyfield/passes-2026-11-29.json', 500],
  ['deep-space and eccentric orbits', 'test/fixtures/skyfield/extra-orbits.tle', 'test/fixtures/skyfield/passes-extra-2026-11-29.json', 100],
])('passes vs Skyfield (refined events): %s', (_label, tlePath, fixturePath, minPasses) => {
  const ref = JSON.parse(readFileSync(fixturePath, 'utf8')) as { meta: { start: string; days: number }; passes: RefPass[] };
  const sats = parseCatalog(readFileSync(tlePath, 'utf8'), tlePath).satellites;
  const startMs = Date.parse(ref.meta.start);
  const ours = predictPasses({ satellites: sats, stations, startMs, endMs: startMs + ref.meta.days * 86_400_000, constraints: { sunMaxElevationDeg: null } });
  const match = (r: RefPass): Pass | undefined => ours.find((p) => p.satellite === r.satellite && p.station === r.station && Math.abs(p.tcaMs - r.tcaMs) < 60_000);

  it('finds every reference pass and no unexplained extra one', () => {
    expect(ref.passes.length).toBeGreaterThan(minPasses);
    const missing = ref.passes.filter((r) => !match(r));
    expect(missing).toEqual([]);
    const extra = ours.filter(
      (p) => !p.clippedStart && !p.clippedEnd && !ref.passes.some((r) => r.satellite === p.satellite && r.station === p.station && Math.abs(p.tcaMs - r.tcaMs) < 60_000),
    );
    // The fixture keeps only clean rise–culminate–set triples: Skyfield can miss grazing rises, and a high orbit
    // can culminate twice in one pass. Anything extra must be one of those.
    for (const p of extra) {
      const grazing = p.maxElevationDeg - 10 < 0.5;
      const longHighOrbit = p.losMs - p.aosMs > 3 * 3600_000;
      expect(grazing || longHighOrbit).toBe(true);
    }
  });

  it('AOS, TCA and LOS within 0.1 s, maximum elevation within 0.01°, azimuths and range close', () => {
    let worst = { aos: 0, tca: 0, los: 0, el: 0, az: 0, range: 0, deepTca: 0, deepTcaEl: 0 };
    for (const r of ref.passes) {
      const p = match(r)!;
      const sat = sats.find((x) => x.noradId === r.satellite)!;
      // Above 225 min of period (SGP4's deep-space branch) the maximum is so flat (el'' ~ 1e-7 °/s²) that TCA is
      // ill-conditioned: a 1e-7 °/s difference of slope between two models moves it by a second. There the test is
      // that Skyfield's TCA is not higher than ours in our own model (to 1e-6°), and within 2 s.
      const deep = sat.satrec.method === 'd';
      if (deep) {
        const st = stations.find((x) => x.id === r.station)!;
        worst.deepTca = Math.max(worst.deepTca, Math.abs(p.tcaMs - r.tcaMs));
        worst.deepTcaEl = Math.max(worst.deepTcaEl, lookAt(sat, st, r.tcaMs).elDeg - lookAt(sat, st, p.tcaMs).elDeg);
      }
      worst = {
        ...worst,
        aos: Math.max(worst.aos, Math.abs(p.aosMs - r.aosMs)),
        tca: deep ? worst.tca : Math.max(worst.tca, Math.abs(p.tcaMs - r.tcaMs)),
        los: Math.max(worst.los, Math.abs(p.losMs - r.losMs)),
        el: Math.max(worst.el, Math.abs(p.maxElevationDeg - r.maxElevationDeg)),
        az: Math.max(worst.az, azDiff(p.aosAzimuthDeg, r.aosAzimuthDeg), azDiff(p.losAzimuthDeg, r.losAzimuthDeg), r.maxElevationDeg < 89 ? azDiff(p.tcaAzimuthDeg, r.tcaAzimuthDeg) : 0),
        range: deep ? worst.range : Math.max(worst.range, Math.abs(p.rangeAtTcaKm - r.rangeAtTcaKm)),
      };
    }
    console.log(
      `worst vs Skyfield over ${ref.passes.length} passes (${_label}): AOS ${worst.aos.toFixed(2)} ms, TCA ${worst.tca.toFixed(2)} ms, LOS ${worst.los.toFixed(2)} ms, max el ${worst.el.toExponential(2)}°, az ${worst.az.toExponential(2)}°, range ${(worst.range * 1000).toFixed(1)} m` +
        (worst.deepTca ? `; deep-space TCA ${worst.deepTca.toFixed(0)} ms (elevation there ≤ ours + ${worst.deepTcaEl.toExponential(1)}°)` : ''),
    );
    expect(worst.aos).toBeLessThan(100);
    expect(worst.tca).toBeLessThan(100);
    expect(worst.los).toBeLessThan(100);
    expect(worst.el).toBeLessThan(0.01);
    expect(worst.az).toBeLessThan(0.05);
    expect(worst.range).toBeLessThan(0.1);
    expect(worst.deepTca).toBeLessThan(2000);
    expect(worst.deepTcaEl).toBeLessThan(1e-6);
  });
});

describe('lookAt vs Skyfield at fixed instants', () => {
  it.each(looks.looks.map((l) => [l.satellite, l.station, l.tMs, l] as const))('lookAt %s from %s at %d', (satId, stId, tMs, l) => {
    const s = lookAt(satellites.find((x) => x.noradId === satId)!, stations.find((x) => x.id === stId)!, tMs);
    expect(Math.abs(s.elDeg - l.elDeg)).toBeLessThan(0.001);
    expect(azDiff(s.azDeg, l.azDeg) * Math.cos((l.elDeg * Math.PI) / 180)).toBeLessThan(0.001);
    expect(Math.abs(s.rangeKm - l.rangeKm)).toBeLessThan(0.05);
  });
});
