/**
 * CelesTrak OMM JSON (an array of objects, or one object): validated with zod at the boundary, then handed to
 * satellite.js `json2satrec`. Each bad record is reported with the file, the line where its object starts and the field.
 */
import { json2satrec, type OMMJsonObject } from 'satellite.js';
import { z } from 'zod';
import { sgp4ErrorReason } from './sgp4-errors.ts';
import type { CatalogEntry, Problem } from './types.ts';

const num = z.union([z.number(), z.string().trim().regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/).transform(Number)]);
const ommSchema = z.object({
  OBJECT_NAME: z.string(),
  OBJECT_ID: z.string().default(''),
  EPOCH: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?$/, 'EPOCH must be ISO-8601 like 2026-11-28T12:00:00.000000'),
  MEAN_MOTION: num.refine((n) => n > 0, 'must be positive'),
  ECCENTRICITY: num.refine((n) => n >= 0 && n < 1, 'must be in [0, 1)'),
  INCLINATION: num.refine((n) => n >= 0 && n <= 180, 'must be in [0, 180] degrees'),
  RA_OF_ASC_NODE: num,
  ARG_OF_PERICENTER: num,
  MEAN_ANOMALY: num,
  NORAD_CAT_ID: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]),
  BSTAR: num,
  MEAN_MOTION_DOT: num,
  MEAN_MOTION_DDOT: num,
  EPHEMERIS_TYPE: num.optional(),
  CLASSIFICATION_TYPE: z.string().optional(),
  ELEMENT_SET_NO: num.optional(),
  REV_AT_EPOCH: num.optional(),
});

/**
 * 1-based line where each object at `objectDepth` of a JSON text starts (strings and escapes skipped). Default: the
 * objects of a root array, or the root object itself.
 */
export function objectStartLines(text: string, objectDepth?: number): number[] {
  const starts: number[] = [];
  let depth = 0;
  let line = 1;
  let inString = false;
  let rootIsArray = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      if (depth === 0) rootIsArray = c === '[';
      if (c === '{' && depth === (objectDepth ?? (rootIsArray ? 1 : 0))) starts.push(line);
      depth++;
    } else if (c === ']' || c === '}') depth--;
  }
  return starts;
}

export function parseOmmText(text: string, file: string): { entries: CatalogEntry[]; problems: Problem[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { entries: [], problems: [{ file, line: 1, reason: `not valid JSON: ${(err as Error).message}` }] };
  }
  const records = Array.isArray(json) ? json : [json];
  const lines = objectStartLines(text);
  const entries: CatalogEntry[] = [];
  const problems: Problem[] = [];
  records.forEach((rec, i) => {
    const line = lines[i] ?? 1;
    const parsed = ommSchema.safeParse(rec);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      problems.push({ file, line, field: issue.path.join('.') || undefined, reason: `OMM record ${i + 1}: ${issue.path.join('.')} ${issue.message}` });
      return;
    }
    const o = parsed.data;
    const epochIso = o.EPOCH.endsWith('Z') ? o.EPOCH : o.EPOCH + 'Z';
    // Date.parse keeps only milliseconds; OMM epochs carry microseconds, which is 7 mm of LEO motion: negligible.
    const epochMs = Date.parse(epochIso);
    if (!Number.isFinite(epochMs)) {
      problems.push({ file, line, field: 'EPOCH', reason: `OMM record ${i + 1}: EPOCH '${o.EPOCH}' is not a valid instant` });
      return;
    }
    if (o.NORAD_CAT_ID > 339_999) {
      // json2satrec stores the id in the 5-column TLE field; larger ids have no Alpha-5 form.
      problems.push({ file, line, field: 'NORAD_CAT_ID', reason: `OMM record ${i + 1}: NORAD_CAT_ID ${o.NORAD_CAT_ID} exceeds the Alpha-5 range` });
      return;
    }
    let satrec;
    try {
      satrec = json2satrec({ ...(rec as object), ...o, NORAD_CAT_ID: o.NORAD_CAT_ID, EPOCH: o.EPOCH.replace(/Z$/, '') } as unknown as OMMJsonObject);
    } catch (err) {
      problems.push({ file, line, reason: `OMM record ${i + 1}: SGP4 could not read it: ${(err as Error).message}` });
      return;
    }
    if (satrec.error !== 0) {
      problems.push({ file, line, reason: `OMM record ${i + 1}: SGP4 initialisation failed: ${sgp4ErrorReason(satrec.error)}` });
      return;
    }
    entries.push({
      noradId: String(o.NORAD_CAT_ID),
      name: o.OBJECT_NAME.trim() || String(o.NORAD_CAT_ID),
      intlDesignator: o.OBJECT_ID,
      epochMs,
      satrec,
      elements: { kind: 'omm', omm: rec as Record<string, unknown> },
      origin: { file, line },
    });
  });
  return { entries, problems };
}
