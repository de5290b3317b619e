/** Worker-thread side of parallel-node.ts: builds one PassContext, then predicts chunk after chunk. */
import { parentPort } from 'node:worker_threads';
import { entryFromElements } from '../catalog/rebuild.ts';
import type { CatalogEntry } from '../catalog/types.ts';
import type { Station } from '../stations/types.ts';
import type { Pass } from '../types.ts';
import type { PassConstraints } from './constraints.ts';
import { makePassContext, passesForSatellite, type PassContext } from './predict.ts';
import { encodePasses } from './pass-codec.ts';

export type WorkerRequest =
  | { kind: 'init'; stations: readonly Station[]; startMs: number; endMs: number; constraints: PassConstraints }
  | { kind: 'chunk'; satellites: Omit<CatalogEntry, 'satrec'>[] }
  | { kind: 'stop' };

export type WorkerReply =
  | { kind: 'ready' }
  /** `passes`: encoded by pass-codec.ts; satellite indices are positions in the chunk. */
  | { kind: 'result'; passes: Float64Array; count: number; sgp4Evaluations: number }
  | { kind: 'error'; message: string };

if (parentPort) {
  const port = parentPort;
  let ctx: PassContext | null = null;
  let stationIndex: Map<string, number> | null = null;
  port.on('message', (m: WorkerRequest) => {
    try {
      if (m.kind === 'init') {
        ctx = makePassContext(m.stations, m.startMs, m.endMs, m.constraints);
        stationIndex = new Map(m.stations.map((x, i) => [x.id, i]));
        port.postMessage({ kind: 'ready' } satisfies WorkerReply);
      } else if (m.kind === 'chunk') {
        const counter = { sgp4Evaluations: 0 };
        const passes: Pass[] = [];
        for (const e of m.satellites) for (const p of passesForSatellite(entryFromElements(e), ctx!, counter)) passes.push(p);
        const buf = encodePasses(passes, new Map(m.satellites.map((x, i) => [x.noradId, i])), stationIndex!);
        port.postMessage({ kind: 'result', passes: buf, count: m.satellites.length, sgp4Evaluations: counter.sgp4Evaluations } satisfies WorkerReply, [buf.buffer as ArrayBuffer]);
      } else {
        port.close();
      }
    } catch (err) {
      port.postMessage({ kind: 'error', message: (err as Error).stack ?? String(err) } satisfies WorkerReply);
    }
  });
}
