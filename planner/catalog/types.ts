/** Catalog types: what the planner knows of one satellite after ingest. */
import type { SatRec } from 'satellite.js';
import type { UtcMs } from '../time.ts';

/** Where an input problem sits, so an operator can fix the file (DEVELOPERS.md: errors name file, line, field). */
export interface Problem {
  file: string;
  /** 1-based line number (TLE) or 1-based record index prefixed by the line of the record start when known (OMM). */
  line: number;
  field?: string;
  reason: string;
}

/** The raw element set, kept so a worker thread can rebuild the satrec (satrecs do not cross threads). */
export type ElementSource =
  | { kind: 'tle'; line1: string; line2: string }
  | { kind: 'omm'; omm: Record<string, unknown> };

export interface CatalogEntry {
  /** NORAD catalogue number as a decimal string ("41731"); Alpha-5 ids are decoded ("A0001" → "100001"). */
  noradId: string;
  name: string;
  /** International designator (COSPAR), e.g. "2016-051A" or "16051A" as given; may be empty. */
  intlDesignator: string;
  /** Epoch of the element set, UTC. */
  epochMs: UtcMs;
  satrec: SatRec;
  elements: ElementSource;
  /** File and line (or OMM record) the set came from. */
  origin: { file: string; line: number };
}

export interface CatalogWarning {
  file: string;
  line: number;
  noradId?: string;
  reason: string;
}

export interface CatalogResult {
  satellites: CatalogEntry[];
  problems: Problem[];
  warnings: CatalogWarning[];
}

export interface ParseCatalogOptions {
  /** Planning start: element sets older than `maxAgeDays` at this instant get a warning. */
  referenceMs?: UtcMs;
  /** Default 14 days (SGP4 errors grow to several km after a couple of weeks for LEO). */
  maxAgeDays?: number;
}
