/** Rebuilds a catalog entry from its raw elements (a worker thread receives elements, not satrecs). */
import { json2satrec, twoline2satrec, type OMMJsonObject } from 'satellite.js';
import type { CatalogEntry } from './types.ts';

export function entryFromElements(e: Omit<CatalogEntry, 'satrec'>): CatalogEntry {
  const satrec =
    e.elements.kind === 'tle'
      ? twoline2satrec(e.elements.line1, e.elements.line2)
      : json2satrec({ ...e.elements.omm, EPOCH: String(e.elements.omm.EPOCH).replace(/Z$/, '') } as unknown as OMMJsonObject);
  return { ...e, satrec };
}
