/**
 * One SQLite database per KME (better-sqlite3, WAL). Every state change of key material is one transaction, so a
 * KME killed at any instant comes back with each chunk either available or consumed, never both, never lost.
 * synchronous=NORMAL in WAL mode survives a killed process (the case we test); FULL would also survive power loss.
 */
import { chmodSync } from 'node:fs';
import Database from 'better-sqlite3';

export type Db = Database.Database;

const schema = `
CREATE TABLE IF NOT EXISTS chunks (
  link_id TEXT NOT NULL,
  chunk_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  sender TEXT NOT NULL,               -- the end of the link allowed to spend this chunk (no two ends race for it)
  bits INTEGER NOT NULL,
  bytes BLOB NOT NULL,                -- emptied when consumed: key is erased, the row stays as the audit trail
  state TEXT NOT NULL CHECK (state IN ('available','consumed')),
  used_bits INTEGER NOT NULL DEFAULT 0,
  wasted_bits INTEGER NOT NULL DEFAULT 0,
  relay_id TEXT,
  source TEXT NOT NULL CHECK (source IN ('qkd','satellite')),
  block_id TEXT,
  produced_ms REAL NOT NULL,
  consumed_ms REAL,
  PRIMARY KEY (link_id, chunk_id)
);
CREATE INDEX IF NOT EXISTS chunks_spendable ON chunks (link_id, sender, state, seq);
CREATE TABLE IF NOT EXISTS link_gen (link_id TEXT PRIMARY KEY, next_index INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sat_blocks (
  block_id TEXT PRIMARY KEY, link_id TEXT NOT NULL, bits INTEGER NOT NULL, provenance TEXT NOT NULL, ingested_ms REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS app_keys (
  key_id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  dest TEXT NOT NULL,
  bits INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('relaying','ready','reserved','assigned','erased','failed')),
  master_sae TEXT,
  slave_saes TEXT,
  delivered_to TEXT NOT NULL DEFAULT '[]',
  relay_id TEXT,
  created_ms REAL NOT NULL,
  done_ms REAL
);
CREATE INDEX IF NOT EXISTS app_keys_ready ON app_keys (origin, dest, state, bits, created_ms);
CREATE TABLE IF NOT EXISTS relays (
  relay_id TEXT PRIMARY KEY, key_id TEXT NOT NULL, origin TEXT NOT NULL, dest TEXT NOT NULL, bits INTEGER NOT NULL,
  shares INTEGER NOT NULL, paths TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('relaying','delivered','failed')),
  reason TEXT, created_ms REAL NOT NULL, done_ms REAL
);
CREATE TABLE IF NOT EXISTS hops (
  relay_id TEXT NOT NULL, share INTEGER NOT NULL, from_node TEXT, to_node TEXT, outcome TEXT NOT NULL, at_ms REAL NOT NULL,
  PRIMARY KEY (relay_id, share)
);
CREATE TABLE IF NOT EXISTS share_parts (
  key_id TEXT NOT NULL, share INTEGER NOT NULL, shares INTEGER NOT NULL, relay_id TEXT NOT NULL, origin TEXT NOT NULL,
  bits INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (key_id, share)
);
CREATE TABLE IF NOT EXISTS outbox (
  msg_id TEXT PRIMARY KEY, to_node TEXT NOT NULL, body TEXT NOT NULL, created_ms REAL NOT NULL, attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS outbox_order ON outbox (created_ms);
CREATE TABLE IF NOT EXISTS usage (
  sae TEXT NOT NULL, role TEXT NOT NULL, peer TEXT NOT NULL, keys INTEGER NOT NULL, bits INTEGER NOT NULL,
  PRIMARY KEY (sae, role, peer)
);
`;

export function openDb(path: string): Db {
  const db = new Database(path);
  // key material lives here: owner-only file, and erased rows overwritten rather than left in free pages
  chmodSync(path, 0o600);
  db.pragma('secure_delete = ON');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // checkpoints run in a worker thread (checkpointer.ts); this is only the backstop
  db.pragma('wal_autocheckpoint = 20000');
  db.exec(schema);
  return db;
}
