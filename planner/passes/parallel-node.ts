/**
 * Node-only: pass prediction on several threads (both cores of the target machine): the main thread plus
 * threads − 1 workers. Satellites are handed out in small chunks on demand, so a thread that drew easy satellites
 * takes more; each thread builds its own Sun/Moon table and station frames once. Satrecs do not cross threads:
 * workers rebuild them from the raw elements.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CatalogEntry } from '../catalog/types.ts';
import type { Pass } from '../types.ts';
import { makePassContext, passesForSatellite, predictPasses, sortPasses, type PredictPassesInput } from './predict.ts';
import type { WorkerReply, WorkerRequest } from './pass-worker.ts';
import { decodePasses } from './pass-codec.ts';

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
  // Work items are index ranges; workers get stripped copies, the main thread uses the satellites as they are.
  const ranges: [number, number][] = [];
  for (let i = 0; i < input.satellites.length; i += chunkSize) ranges.push([i, Math.min(input.satellites.length, i + chunkSize)]);
  let next = 0;
  let done = 0;
  const all: Pass[] = [];
  const workers: Worker[] = [];
  const stationIds = input.stations.map((x) => x.id);
  const finished = (count: number, passes: Pass[], evaluations: number) => {
    for (const p of passes) all.push(p);
    if (input.counter) input.counter.sgp4Evaluations += evaluations;
    done += count;
    input.onProgress?.(done, input.satellites.length);
  };

  // The main thread is one of the threads: it would otherwise idle while waiting, and each extra worker costs
  // ~0.5 s of CPU to boot (TypeScript loader, modules, Sun/Moon table).
  const mainThread = async () => {
    const ctx = makePassContext(input.stations, input.startMs, input.endMs, input.constraints);
    while (next < ranges.length) {
      const [a, b] = ranges[next++]!;
      const counter = { sgp4Evaluations: 0 };
      const passes: Pass[] = [];
      for (let i = a; i < b; i++) for (const p of passesForSatellite(input.satellites[i]!, ctx, counter)) passes.push(p);
      finished(b - a, passes, counter.sgp4Evaluations);
      // Let worker messages in between chunks.
      await new Promise<void>((r) => setImmediate(r));
    }
  };

  const worker = () =>
    new Promise<void>((resolve, reject) => {
      const w = new Worker(workerUrl);
      workers.push(w);
      let inFlight: string[] = [];
      const give = () => {
        if (next >= ranges.length) {
          w.postMessage({ kind: 'stop' } satisfies WorkerRequest);
          return;
        }
        const [a, b] = ranges[next++]!;
        inFlight = input.satellites.slice(a, b).map((x) => x.noradId);
        w.postMessage({ kind: 'chunk', satellites: input.satellites.slice(a, b).map(strip) } satisfies WorkerRequest);
      };
      w.on('message', (m: WorkerReply) => {
        if (m.kind === 'error') return reject(new Error(`pass worker: ${m.message}`));
        if (m.kind === 'ready') return give();
        if (m.kind === 'result') {
          const passes: Pass[] = [];
          decodePasses(m.passes, inFlight, stationIds, passes);
          finished(m.count, passes, m.sgp4Evaluations);
          give();
        }
      });
      w.on('error', reject);
      // Workers exit only after 'stop' (code 0 when they close their port); anything else lost work.
      w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pass worker exited with code ${code}`))));
      w.postMessage({ kind: 'init', stations: input.stations, startMs: input.startMs, endMs: input.endMs, constraints: input.constraints ?? {} } satisfies WorkerRequest);
    });

  try {
    await Promise.all([mainThread(), ...Array.from({ length: threads - 1 }, worker)]);
  } finally {
    for (const w of workers) void w.terminate();
  }
  return sortPasses(all);
}
