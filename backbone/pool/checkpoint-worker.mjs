// Checkpoints the KMEs' WAL files off the main thread: a checkpoint fsyncs the database, and an fsync on the event
// loop would stall every ETSI request in flight. Plain JS so it runs under node, tsx and vitest alike.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const dbs = new Map();

parentPort.on('message', (msg) => {
  if (msg.type === 'add' && !dbs.has(msg.path)) {
    const db = new Database(msg.path);
    db.pragma('busy_timeout = 100');
    dbs.set(msg.path, db);
  } else if (msg.type === 'remove') {
    dbs.get(msg.path)?.close();
    dbs.delete(msg.path);
  }
});

setInterval(() => {
  for (const db of dbs.values()) {
    try {
      const r = db.pragma('wal_checkpoint(PASSIVE)');
      if (process.env.SATQKD_DEBUG_CHECKPOINT) console.error('checkpoint', JSON.stringify(r));
    } catch (err) {
      if (process.env.SATQKD_DEBUG_CHECKPOINT) console.error('checkpoint failed', err.message);
      // busy or closed: the next round tries again; the main connection's autocheckpoint is the backstop
    }
  }
}, workerData?.periodMs ?? 500).unref();
