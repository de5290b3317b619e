/**
 * Writes qkd-constellation-2026-11-28.tle: a HYPOTHETICAL follow-on constellation of six 500 km sun-synchronous QKD
 * microsatellites (no such satellites exist; NORAD ids 99901–99906 are placeholders outside the assigned range in use).
 * Plane A: a "train" of three satellites 20° apart in mean anomaly (≈2,390 km apart: close enough for inter-satellite
 * links, which is why they carry inter-satellite terminals); plane B: three satellites 120° apart, 60° east in RAAN.
 * Plane A shares Micius's RAAN in the 2026-11-28 snapshot, so its passes fall near the same local time (≈ 00:50).
 * Run: npx tsx tle-data/scenarios/make-constellation.ts
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTle, type MeanElements } from '../../planner/catalog/format.ts';

const MU_KM3_S2 = 398_600.4418;
const RE_KM = 6378.137;
const altitudeKm = 500;
const a = RE_KM + altitudeKm;
const meanMotionRevDay = (Math.sqrt(MU_KM3_S2 / a ** 3) * 86_400) / (2 * Math.PI);
// Sun-synchronous inclination at 500 km (J2 nodal precession = 0.9856°/day).
const inclinationDeg = 97.40;
const epochMs = Date.UTC(2026, 10, 28, 12);

const sats: { name: string; id: number; raanDeg: number; meanAnomalyDeg: number }[] = [
  { name: 'QKDSAT-A1 (HYPOTHETICAL)', id: 99901, raanDeg: 257.5, meanAnomalyDeg: 0 },
  { name: 'QKDSAT-A2 (HYPOTHETICAL)', id: 99902, raanDeg: 257.5, meanAnomalyDeg: 20 },
  { name: 'QKDSAT-A3 (HYPOTHETICAL)', id: 99903, raanDeg: 257.5, meanAnomalyDeg: 40 },
  { name: 'QKDSAT-B1 (HYPOTHETICAL)', id: 99904, raanDeg: 317.5, meanAnomalyDeg: 0 },
  { name: 'QKDSAT-B2 (HYPOTHETICAL)', id: 99905, raanDeg: 317.5, meanAnomalyDeg: 120 },
  { name: 'QKDSAT-B3 (HYPOTHETICAL)', id: 99906, raanDeg: 317.5, meanAnomalyDeg: 240 },
];

const lines: string[] = [];
for (const s of sats) {
  const el: MeanElements = {
    noradId: s.id, intlDesignator: `26999${String.fromCharCode(64 + (s.id - 99900))}`, epochMs,
    ndotRevDay2: 0.00002, bstarPerEarthRadius: 0.0001, inclinationDeg, raanDeg: s.raanDeg, eccentricity: 0.0005,
    argPerigeeDeg: 90, meanAnomalyDeg: s.meanAnomalyDeg, meanMotionRevDay, revolutionNumber: 100, elementSetNumber: 999,
  };
  lines.push(s.name, ...formatTle(el));
}
const dir = dirname(fileURLToPath(import.meta.url));
writeFileSync(join(dir, 'qkd-constellation-2026-11-28.tle'), lines.join('\n') + '\n');
console.log(`wrote ${sats.length} element sets, ${meanMotionRevDay.toFixed(5)} rev/day`);
