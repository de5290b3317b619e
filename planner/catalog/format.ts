/**
 * Writes mean elements as a TLE with valid checksums: used to build the committed snapshot and the benchmark's
 * synthetic catalogue. Degrees and revolutions per day as in the TLE itself.
 */
import { encodeAlpha5 } from './alpha5.ts';
import { withChecksum } from './checksum.ts';

export interface MeanElements {
  noradId: number;
  /** COSPAR id in TLE form, e.g. "16051A". */
  intlDesignator: string;
  epochMs: number;
  /** First derivative of mean motion / 2, rev/day². */
  ndotRevDay2: number;
  bstarPerEarthRadius: number;
  inclinationDeg: number;
  raanDeg: number;
  eccentricity: number;
  argPerigeeDeg: number;
  meanAnomalyDeg: number;
  meanMotionRevDay: number;
  revolutionNumber?: number;
  elementSetNumber?: number;
  classification?: 'U' | 'C' | 'S';
}

/** TLE "assumed decimal point" exponent field: 0.12345e-4 → " 12345-4". */
export function formatExpField(x: number): string {
  if (x === 0) return ' 00000+0';
  let exp = Math.floor(Math.log10(Math.abs(x))) + 1;
  let digits = Math.round((Math.abs(x) / 10 ** exp) * 1e5);
  if (digits >= 100_000) {
    digits = 10_000;
    exp += 1;
  }
  return (x < 0 ? '-' : ' ') + String(digits).padStart(5, '0') + (exp < 0 ? '-' : '+') + String(Math.abs(exp));
}

function angle(x: number): string {
  const a = ((x % 360) + 360) % 360;
  return a.toFixed(4).padStart(8, ' ');
}

export function formatTle(e: MeanElements): [string, string] {
  const d = new Date(e.epochMs);
  const year = d.getUTCFullYear();
  const doy = (e.epochMs - Date.UTC(year, 0, 1)) / 86_400_000 + 1;
  const id = encodeAlpha5(e.noradId);
  const ndot = (e.ndotRevDay2 < 0 ? '-' : ' ') + Math.abs(e.ndotRevDay2).toFixed(8).replace(/^0/, '');
  const l1 =
    `1 ${id}${e.classification ?? 'U'} ${e.intlDesignator.padEnd(8, ' ').slice(0, 8)} ` +
    `${String(year % 100).padStart(2, '0')}${doy.toFixed(8).padStart(12, '0')} ${ndot} ${formatExpField(0)} ${formatExpField(e.bstarPerEarthRadius)} 0 ` +
    `${String(e.elementSetNumber ?? 999).padStart(4, ' ')}`;
  const ecc = Math.round(e.eccentricity * 1e7).toString().padStart(7, '0');
  const l2 =
    `2 ${id} ${angle(e.inclinationDeg)} ${angle(e.raanDeg)} ${ecc} ${angle(e.argPerigeeDeg)} ${angle(e.meanAnomalyDeg)} ` +
    `${e.meanMotionRevDay.toFixed(8).padStart(11, ' ')}${String((e.revolutionNumber ?? 0) % 100_000).padStart(5, ' ')}`;
  if (l1.length !== 68 || l2.length !== 68) throw new Error(`formatTle produced ${l1.length}/${l2.length} columns`);
  return [withChecksum(l1), withChecksum(l2)];
}
