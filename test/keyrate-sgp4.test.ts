import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../planner/catalog/index.ts';
import { parseStations } from '../planner/stations/index.ts';
import { findInterSatelliteWindows, predictPasses } from '../planner/passes/index.ts';
import { parseTerminalFile } from '../planner/link/terminal-file.ts';
import { passLookSamples, yieldForInterSatelliteWindows, yieldForPredictedPasses } from '../planner/keyrate/sgp4-looks.ts';

const read = (p: string) => readFileSync(new URL(`../${p}`, import.meta.url), 'utf8');
const catalog = parseCatalog(read('tle-data/snapshot-2026-11-28.tle'), 'snapshot.tle');
const stations = parseStations(read('tle-data/stations.json'), 'stations.json').stations;
const terminal = (name: string) => {
  const r = parseTerminalFile(read(`tle-data/terminals/${name}.json`), name);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.value;
};
const micius = catalog.satellites.find((s) => s.noradId === '41731')!;
const xinglong = stations.find((s) => s.id === 'xinglong')!;
const startMs = Date.parse('2026-11-28T00:00:00Z');
const endMs = startMs + 2 * 86_400_000;

describe('yield of SGP4-predicted Micius passes over Xinglong', () => {
  const passes = predictPasses({ satellites: [micius], stations: [xinglong], startMs, endMs });

  it('night passes get key inside their usable windows; daylight passes get none', () => {
    const withYield = yieldForPredictedPasses(passes, catalog.satellites, stations, terminal('micius-xinglong'));
    expect(withYield.length).toBe(passes.length);
    const night = withYield.filter((p) => p.usableWindows.length > 0 && p.maxElevationDeg > 30);
    expect(night.length).toBeGreaterThan(0);
    for (const p of night) {
      expect(p.expectedSecretKeyBits).toBeGreaterThan(0);
      expect(p.keyWindow!.startMs).toBeGreaterThanOrEqual(p.usableWindows[0].startMs - 1);
      expect(p.keyWindow!.endMs).toBeLessThanOrEqual(p.usableWindows[p.usableWindows.length - 1].endMs + 1);
    }
    for (const p of withYield.filter((x) => x.usableWindows.length === 0)) expect(p.expectedSecretKeyBits).toBe(0);
  });

  it('samples run from AOS to LOS at the requested step', () => {
    const p = passes[0];
    const s = passLookSamples(micius, xinglong, p, 2);
    expect(s[0].tMs).toBe(p.aosMs);
    expect(s[s.length - 1].tMs).toBe(p.losMs);
    expect(s[1].tMs - s[0].tMs).toBe(2000);
  });
});

describe('yield of inter-satellite windows', () => {
  it('gives key over windows short enough in range', () => {
    const sats = catalog.satellites.slice(0, 6);
    const windows = findInterSatelliteWindows({ satellites: sats, startMs, endMs: startMs + 6 * 3_600_000, maxRangeKm: 2500 }).slice(0, 4);
    expect(windows.length).toBeGreaterThan(0);
    const withYield = yieldForInterSatelliteWindows(windows, catalog.satellites, terminal('isl-illustrative'));
    for (const w of withYield) {
      expect(Number.isFinite(w.minLossDb)).toBe(true);
      expect(w.minLossDb).toBeLessThanOrEqual(w.meanLossDb + 1e-9);
    }
    expect(withYield.some((w) => w.expectedSecretKeyBits > 0)).toBe(true);
  });
});
