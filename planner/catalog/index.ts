/**
 * Catalog ingest: TLE (2- or 3-line) and CelesTrak OMM JSON, auto-detected. Bad sets are reported and skipped,
 * duplicates of one NORAD id resolve to the newest epoch, stale sets get a warning at the planning start.
 */
import { parseOmmText } from './omm.ts';
import { parseTleText } from './tle.ts';
import type { CatalogEntry, CatalogResult, CatalogWarning, ParseCatalogOptions } from './types.ts';

export type { CatalogEntry, CatalogResult, CatalogWarning, ParseCatalogOptions, Problem, ElementSource } from './types.ts';
export { decodeAlpha5, encodeAlpha5 } from './alpha5.ts';
export { tleChecksum, withChecksum } from './checksum.ts';
export { tleEpochMs } from './tle.ts';
export { entryFromElements } from './rebuild.ts';

const DEFAULT_MAX_AGE_DAYS = 14;

export function parseCatalog(text: string, fileName: string, opts: ParseCatalogOptions = {}): CatalogResult {
  const looksJson = /^\s*[[{]/.test(text);
  const { entries, problems } = looksJson ? parseOmmText(text, fileName) : parseTleText(text, fileName);
  const warnings: CatalogWarning[] = [];
  const byId = new Map<string, CatalogEntry>();
  for (const e of entries) {
    const prev = byId.get(e.noradId);
    if (!prev) {
      byId.set(e.noradId, e);
      continue;
    }
    const [keep, drop] = e.epochMs > prev.epochMs ? [e, prev] : [prev, e];
    byId.set(e.noradId, keep);
    warnings.push({
      file: drop.origin.file,
      line: drop.origin.line,
      noradId: e.noradId,
      reason: `duplicate of NORAD ${e.noradId}: kept the newer epoch from line ${keep.origin.line}`,
    });
  }
  const satellites = [...byId.values()];
  if (opts.referenceMs !== undefined) {
    const maxAgeMs = (opts.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS) * 86_400_000;
    for (const s of satellites) {
      const ageMs = opts.referenceMs - s.epochMs;
      if (Math.abs(ageMs) > maxAgeMs) {
        const days = (ageMs / 86_400_000).toFixed(1);
        warnings.push({
          file: s.origin.file,
          line: s.origin.line,
          noradId: s.noradId,
          reason: ageMs > 0 ? `element set is ${days} days old at the planning start` : `element set epoch is ${(-ageMs / 86_400_000).toFixed(1)} days after the planning start`,
        });
      }
    }
  }
  return { satellites, problems, warnings };
}
export { formatTle, formatExpField, type MeanElements } from './format.ts';
export { syntheticLeoCatalog, seededRandom } from './synthetic.ts';
