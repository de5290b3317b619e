/**
 * Stations file: `{"stations":[{"id","name","latDeg","lonDeg","heightM", …}]}`, validated with zod. Each bad
 * station is reported with file, line and field and skipped; duplicated ids are an error for the second one.
 */
import { z } from 'zod';
import { objectStartLines } from '../catalog/omm.ts';
import type { Problem } from '../catalog/types.ts';
import type { Station } from './types.ts';

export type { Station, Telescope, HorizonPoint } from './types.ts';
export { compileMask, horizonElevationDeg, DEFAULT_MIN_ELEVATION_DEG, type ElevationMask } from './mask.ts';

const finite = z.number().refine(Number.isFinite, 'must be finite');
const horizonPoint = z.object({ azDeg: finite.refine((a) => a >= 0 && a <= 360, 'must be in [0, 360]'), elDeg: finite.refine((e) => e >= -90 && e <= 90, 'must be in [-90, 90]') });
const telescope = z
  .object({
    apertureM: finite.positive().optional(),
    slewRateDegS: finite.positive().optional(),
    slewAccelDegS2: finite.positive().optional(),
    minElevationLimitDeg: finite.optional(),
    maxElevationLimitDeg: finite.optional(),
    fieldOfViewUrad: finite.positive().optional(),
    opticsTransmittance: finite.min(0).max(1).optional(),
  })
  .passthrough();
const stationSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be letters, digits, _ . - only'),
    name: z.string().min(1),
    latDeg: finite.min(-90).max(90),
    lonDeg: finite.min(-180).max(360),
    heightM: finite.min(-500).max(9000),
    minElevationDeg: finite.min(-90).max(90).optional(),
    horizonMask: z.array(horizonPoint).min(1).optional(),
    telescope: telescope.optional(),
    source: z.string().optional(),
  })
  .passthrough();

export interface StationsResult {
  stations: Station[];
  problems: Problem[];
}

export function parseStations(text: string, fileName: string): StationsResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { stations: [], problems: [{ file: fileName, line: 1, reason: `not valid JSON: ${(err as Error).message}` }] };
  }
  const root = z.object({ stations: z.array(z.unknown()) }).safeParse(json);
  if (!root.success) return { stations: [], problems: [{ file: fileName, line: 1, field: 'stations', reason: 'expected {"stations":[…]}' }] };
  const lines = objectStartLines(text, 2);
  const stations: Station[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  root.data.stations.forEach((raw, i) => {
    const line = lines[i] ?? 1;
    const r = stationSchema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const field = issue.path.join('.');
      problems.push({ file: fileName, line, field: field || undefined, reason: `station ${i + 1}: ${field ? field + ' ' : ''}${issue.message}` });
      return;
    }
    const s = r.data as Station;
    if (seen.has(s.id)) {
      problems.push({ file: fileName, line, field: 'id', reason: `station id '${s.id}' appears twice` });
      return;
    }
    seen.add(s.id);
    stations.push({ ...s, lonDeg: s.lonDeg > 180 ? s.lonDeg - 360 : s.lonDeg });
  });
  return { stations, problems };
}

/** Finds a station by id; the error names the known ids so a typo is easy to fix. */
export function findStation(stations: readonly Station[], id: string): Station | { error: string } {
  const s = stations.find((x) => x.id === id);
  return s ?? { error: `unknown station '${id}' (known: ${stations.map((x) => x.id).join(', ')})` };
}
