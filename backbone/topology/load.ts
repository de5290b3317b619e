/** Reads a topology file from disk (the I/O edge of topology parsing). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTopology, type TopologyResult } from './schema.ts';

export function loadTopologyFile(path: string): TopologyResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, issues: [{ file: path, field: '(file)', message: (err as Error).message }] };
  }
  return parseTopology(text, path);
}

/** The bundled network modelled on the Beijing–Shanghai backbone (tle-data/backbones/). */
export const bundledTopologyPath = fileURLToPath(new URL('../../tle-data/backbones/beijing-shanghai.json', import.meta.url));
