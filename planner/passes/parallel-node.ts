/**
 * Node-only: pass prediction on worker threads (both cores of the target machine). Satellites are handed out in
 * small chunks on demand, so a thread that drew easy satellites takes more; each thread builds its own Sun/Moon
 * table and station frames once. Satrecs do not cross threads: workers rebuild them from the raw elements.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CatalogEntry } from '../catalog/types.ts';
import type { Pass } from '../types.ts';
import { predictPasses, sortPasses, type PredictPassesInput } from './predict.ts';
import type { WorkerReply, WorkerRequest } from './pass-worker.ts';

export interface ParallelOptions {
  /** Default: the machine's available parallelism. 1 runs inline. */
  threads?: number;
  /** Satellites per work item; default 16. */
  chunkSize?: number;
}

const workerUrl = new URL('./pass-worker-boot.mjs', import.meta.url);

function strip(sat: CatalogEntry): Omit<CatalogEntry, 'satrec'> {
  const { satrec: _satrec, ...rest } = sat;
  return rest;
}

export async function predictPassesParallel(input: PredictPassesInput, opts: ParallelOptions = {}): Promise<Pass[]> {
  const threads = Math.max(1, Math.min(opts.threads ?? availableParallelism(), input.satellites.length));
  if (threads === 1 || input.satellites.length < 4) return predictPasses(input);
  const chunkSize = opts.chunkSize ?? 16;
  const chunks: Omit<CatalogEntry, 'satrec'>[][] = [];
  for (let i = 0; i < input.satellites.length; i += chunkSize) chunks.push(input.satellites.slice(i, i + chunkSize).map(strip));
  let next = 0;
  let done = 0;
  const all: Pass[] = [];
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: threads }, () =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(workerUrl);
          workers.push(w);
          const init: WorkerRequest = { kind: 'init', stations: input.stations, startMs: input.startMs, endMs: input.endMs, constraints: input.constraints ?? {} };
          const give = () => {
            if (next >= chunks.length) {
              w.postMessage({ kind: 'stop' } satisfies WorkerRequest);
              return;
            }
            w.postMessage({ kind: 'chunk', satellites: chunks[next++]! } satisfies WorkerRequest);
          };
          w.on('message', (m: WorkerReply) => {
            if (m.kind === 'error') return reject(new Error(`pass worker: ${m.message}`));
            if (m.kind === 'ready') return give();
            if (m.kind === 'result') {
              for (const p of m.passes) all.push(p);
              if (input.counter) input.counter.sgp4Evaluations += m.sgp4Evaluations;
              done += m.count;
              input.onProgress?.(done, input.satellites.length);
              give();
            }
          });
          w.on('error', reject);
          // Workers exit only after 'stop' (code 0 when they close their port); anything else lost work.
          w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pass worker exited with code ${code}`))));
          w.postMessage(init);
        }),
      ),
    );
  } finally {
    for (const w of workers) void w.terminate();
  }
  return sortPasses(all);
}
