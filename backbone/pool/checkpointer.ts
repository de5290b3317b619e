/**
 * One worker thread per process that checkpoints every KME database's WAL in the background (see
 * checkpoint-worker.mjs). The main connections keep a high autocheckpoint as a backstop, should the worker die.
 */
import { Worker } from 'node:worker_threads';

let worker: Worker | undefined;
let users = 0;

export function registerForCheckpoints(path: string): () => void {
  if (!worker) {
    worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), { workerData: { periodMs: 500 } });
    worker.unref();
    worker.on('error', () => {
      worker = undefined;
    });
  }
  users++;
  const w = worker;
  w.postMessage({ type: 'add', path });
  return () => {
    w.postMessage({ type: 'remove', path });
    if (--users === 0 && worker === w) {
      void w.terminate();
      worker = undefined;
    }
  };
}
