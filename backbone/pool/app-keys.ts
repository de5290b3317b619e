/**
 * Application keys of one KME: keys it originated for a destination KME (master side) and keys relayed to it
 * (slave side). States: relaying → ready → assigned → erased, or failed. A key's bytes are erased as
 * soon as every SAE it was addressed to has had it once.
 */
import type { Db } from './db.ts';

export type AppKeyState = 'relaying' | 'ready' | 'reserved' | 'assigned' | 'erased' | 'failed';

export interface AppKeyRow {
  key_id: string;
  origin: string;
  dest: string;
  bits: number;
  bytes: Buffer;
  state: AppKeyState;
  master_sae: string | null;
  slave_saes: string | null;
  delivered_to: string;
}

export class AppKeys {
  readonly insert;
  readonly get;
  readonly setState;
  readonly readyCount;
  readonly pickReady;
  readonly assign;
  readonly deliver;
  readonly erase;
  readonly addUsage;
  readonly usage;

  constructor(db: Db) {
    this.insert = db.prepare(
      `INSERT INTO app_keys (key_id, origin, dest, bits, bytes, state, relay_id, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.get = db.prepare(`SELECT * FROM app_keys WHERE key_id = ?`);
    this.setState = db.prepare(`UPDATE app_keys SET state = ?, done_ms = ? WHERE key_id = ? AND state = ?`);
    this.readyCount = db.prepare(`SELECT COUNT(*) AS n FROM app_keys WHERE origin = ? AND dest = ? AND state = 'ready' AND bits = ?`);
    this.pickReady = db.prepare(`SELECT key_id, bytes FROM app_keys WHERE origin = ? AND dest = ? AND state = 'ready' AND bits = ? ORDER BY created_ms LIMIT ?`);
    this.assign = db.prepare(`UPDATE app_keys SET state = 'assigned', master_sae = ?, slave_saes = ? WHERE key_id = ? AND state IN ('ready','reserved')`);
    this.deliver = db.prepare(`UPDATE app_keys SET delivered_to = ? WHERE key_id = ? AND state = 'assigned'`);
    this.erase = db.prepare(`UPDATE app_keys SET state = ?, bytes = x'', done_ms = ? WHERE key_id = ?`);
    this.addUsage = db.prepare(
      `INSERT INTO usage (sae, role, peer, keys, bits) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(sae, role, peer) DO UPDATE SET keys = keys + excluded.keys, bits = bits + excluded.bits`,
    );
    this.usage = db.prepare(`SELECT sae, role, peer, keys, bits FROM usage ORDER BY sae, role, peer`);
  }
}
