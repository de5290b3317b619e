/**
 * Writes tle-data/snapshot-2026-11-28.tle and .omm.json from the element table below (see README.md for what these
 * elements are and are not). Run: npx tsx tle-data/make-snapshot.ts
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTle, type MeanElements } from '../planner/catalog/format.ts';

const day = (frac: number) => Date.UTC(2026, 10, 28) + frac * 86_400_000;

// name, NORAD, COSPAR, incl, RAAN, ecc, argp, M, n (rev/day), ndot/2, B*, epoch fraction of 2026-11-28, rev number
const table: [string, number, string, number, number, number, number, number, number, number, number, number, number][] = [
  ['MOZI (QSS)', 41731, '16051A', 97.352, 257.5, 0.0012, 95.1, 265.2, 15.27, 0.000034, 0.00012, 0.41732, 56210],
  ['ISS (ZARYA)', 25544, '98067A', 51.64, 210.5, 0.00065, 45.0, 315.0, 15.495, 0.00012, 0.00022, 0.52311, 49012],
  ['CSS (TIANHE)', 48274, '21035A', 41.47, 100.2, 0.0005, 300.0, 60.0, 15.6, 0.0002, 0.00025, 0.18214, 31544],
  ['HST', 20580, '90037B', 28.47, 150.3, 0.00025, 80.0, 280.0, 15.3, 0.00004, 0.00016, 0.33120, 83001],
  ['NOAA 19', 33591, '09005A', 99.02, 320.1, 0.0013, 200.0, 160.0, 14.129, 0.0000003, 0.00004, 0.27771, 91234],
  ['NOAA 18', 28654, '05018A', 98.88, 350.0, 0.0014, 120.0, 240.0, 14.13, 0.0000003, 0.00004, 0.61002, 98765],
  ['NOAA 20 (JPSS-1)', 43013, '17073A', 98.74, 267.5, 0.0001, 90.0, 270.0, 14.195, 0.0000002, 0.00002, 0.45010, 46789],
  ['SUOMI NPP', 37849, '11061A', 98.74, 267.5, 0.0001, 90.0, 90.0, 14.195, 0.0000002, 0.00002, 0.47213, 77777],
  ['LANDSAT 8', 39084, '13008A', 98.22, 37.5, 0.0001, 95.0, 265.0, 14.5711, 0.0000004, 0.00002, 0.21013, 72345],
  ['LANDSAT 9', 49260, '21088A', 98.22, 37.5, 0.0001, 95.0, 85.0, 14.5711, 0.0000004, 0.00002, 0.22501, 27654],
  ['SENTINEL-2A', 40697, '15028A', 98.57, 42.5, 0.0001, 90.0, 200.0, 14.3082, 0.0000001, 0.00001, 0.31415, 58432],
  ['SENTINEL-2B', 42063, '17013A', 98.57, 42.5, 0.0001, 90.0, 20.0, 14.3082, 0.0000001, 0.00001, 0.32718, 50321],
  ['SENTINEL-1A', 39634, '14016A', 98.18, 335.0, 0.0001, 85.0, 275.0, 14.5918, 0.0000003, 0.00002, 0.40404, 67890],
  ['AQUA', 27424, '02022A', 98.2, 290.0, 0.0002, 100.0, 260.0, 14.58, 0.0000005, 0.00003, 0.55555, 26789],
  ['TERRA', 25994, '99068A', 98.05, 30.0, 0.0001, 100.0, 260.0, 14.6, 0.0000005, 0.00003, 0.66666, 42345],
];

const dir = dirname(fileURLToPath(import.meta.url));
const tle: string[] = [];
const omm: Record<string, unknown>[] = [];
for (const [name, id, cospar, i, raan, e, w, m, n, ndot, bstar, frac, rev] of table) {
  const el: MeanElements = { noradId: id, intlDesignator: cospar, epochMs: day(frac), ndotRevDay2: ndot, bstarPerEarthRadius: bstar, inclinationDeg: i, raanDeg: raan, eccentricity: e, argPerigeeDeg: w, meanAnomalyDeg: m, meanMotionRevDay: n, revolutionNumber: rev, elementSetNumber: 999 };
  const [l1, l2] = formatTle(el);
  tle.push(name, l1, l2);
  omm.push({
    OBJECT_NAME: name,
    OBJECT_ID: `${Number(cospar.slice(0, 2)) < 57 ? '20' : '19'}${cospar.slice(0, 2)}-${cospar.slice(2)}`,
    EPOCH: new Date(day(frac)).toISOString().replace('Z', ''),
    MEAN_MOTION: n,
    ECCENTRICITY: e,
    INCLINATION: i,
    RA_OF_ASC_NODE: raan,
    ARG_OF_PERICENTER: w,
    MEAN_ANOMALY: m,
    EPHEMERIS_TYPE: 0,
    CLASSIFICATION_TYPE: 'U',
    NORAD_CAT_ID: id,
    ELEMENT_SET_NO: 999,
    REV_AT_EPOCH: rev,
    BSTAR: bstar,
    MEAN_MOTION_DOT: ndot,
    MEAN_MOTION_DDOT: 0,
  });
}
writeFileSync(join(dir, 'snapshot-2026-11-28.tle'), tle.join('\n') + '\n');
writeFileSync(join(dir, 'snapshot-2026-11-28.omm.json'), JSON.stringify(omm, null, 1) + '\n');
console.log(`wrote ${table.length} element sets`);
