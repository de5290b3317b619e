/**
 * A deterministic synthetic LEO catalogue (NOT real satellites) for benchmarks and property tests: altitudes,
 * inclinations and phases drawn like the real LEO population (sun-synchronous shells, 53° and 97° megaconstellation
 * shells, scattered debris) from a seeded generator.
 */
import { formatTle, type MeanElements } from './format.ts';

/** mulberry32: small, fast, good enough for test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MU = 398600.4418;
const RE = 6378.137;

function meanMotionRevDay(altKm: number): number {
  const a = RE + altKm;
  return (Math.sqrt(MU / (a * a * a)) * 86400) / (2 * Math.PI);
}

export function syntheticLeoCatalog(count: number, epochMs: number, seed = 2026): string {
  const rnd = seededRandom(seed);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const u = rnd();
    let alt: number, inc: number;
    if (u < 0.35) {
      alt = 500 + 100 * rnd();
      inc = 97.5 + 1.5 * rnd(); // sun-synchronous band 97.5–99°
    } else if (u < 0.65) {
      alt = 540 + 20 * rnd();
      inc = 53 + 0.2 * rnd();
    } else if (u < 0.8) {
      alt = 350 + 450 * rnd();
      inc = 40 + 60 * rnd();
    } else {
      alt = 700 + 800 * rnd();
      inc = 60 + 50 * rnd();
    }
    const e: MeanElements = {
      noradId: 90_000 + i,
      intlDesignator: `26${String(900 + (i % 99)).slice(-3)}${String.fromCharCode(65 + (i % 26))}`,
      epochMs,
      ndotRevDay2: 0.00001 * rnd(),
      bstarPerEarthRadius: 1e-4 * rnd(),
      inclinationDeg: inc,
      raanDeg: 360 * rnd(),
      eccentricity: 0.0001 + 0.002 * rnd(),
      argPerigeeDeg: 360 * rnd(),
      meanAnomalyDeg: 360 * rnd(),
      meanMotionRevDay: meanMotionRevDay(alt),
      revolutionNumber: Math.floor(10_000 * rnd()),
    };
    const [l1, l2] = formatTle(e);
    lines.push(`SYNTHETIC-${String(i).padStart(4, '0')}`, l1, l2);
  }
  return lines.join('\n') + '\n';
}
