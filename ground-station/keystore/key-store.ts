/**
 * The station's key store: SQLite (better-sqlite3, WAL, synchronous=FULL) holding finished key blocks with their
 * provenance and a state machine available → reserved → delivered → consumed. Every transition is one UPDATE
 * guarded by the expected current state inside a transaction, so a crash at any instant leaves each block in
 * exactly one state: no key is lost (a put either committed or never happened) and none is handed out twice
 * (a block leaves `available` once). Key bytes never reach a log line or an error message.
 */
import { keyProvenanceSchema } from '../../planner/provenance.ts';
import Database from 'better-sqlite3';
import type { KeyBlock, KeyProvenance, KeySink } from '../../planner/ports.ts';

/** What a stored block must carry to be auditable (DEVELOPERS.md convention 10); checked on every put. */
export { keyProvenanceSchema };

const BLOCK_ID = /^[A-Za-z0-9_.:@-]{1,128}$/;

export type KeyState = 'available' | 'reserved' | 'delivered' | 'consumed';

export interface StoredBlockInfo {
  blockId: string;
  bits: number;
  state: KeyState;
  provenance: KeyProvenance;
  /** Who reserved it (a backbone link, an ETSI 014 SAE), when reserved or later. */
  holder: string | null;
  createdSeq: number;
}

export class KeyStoreError extends Error {}

export class KeyStore implements KeySink {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    // Freed and overwritten pages are zeroed, so consumed key does not linger in the database file. (The WAL keeps
    // old page images until a checkpoint; `checkpoint()` truncates it.)
    this.db.pragma('secure_delete = ON');
    this.db.exec(`CREATE TABLE IF NOT EXISTS key_blocks (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      block_id TEXT NOT NULL UNIQUE,
      bits INTEGER NOT NULL CHECK (bits > 0),
      key_bytes BLOB NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('available','reserved','delivered','consumed')),
      holder TEXT,
      provenance TEXT NOT NULL
    )`);
  }

  close(): void {
    this.db.close();
  }

  /** Folds the WAL into the database and truncates it (drops old page images that may hold consumed key). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** KeySink: stores one finished block as available; a second put of the same id is refused (never duplicated). */
  async put(block: KeyBlock, keyBytes: Uint8Array): Promise<void> {
    this.putSync(block, keyBytes);
  }

  putSync(block: KeyBlock, keyBytes: Uint8Array): void {
    if (!BLOCK_ID.test(block.blockId)) throw new KeyStoreError(`blockId: must be 1-128 characters of A-Z a-z 0-9 _ . : @ -, got '${block.blockId.slice(0, 40)}'`);
    if (keyBytes.length === 0 || keyBytes.length * 8 !== block.bits) throw new KeyStoreError(`block ${block.blockId}: ${block.bits} bits declared, ${keyBytes.length * 8} given`);
    const prov = keyProvenanceSchema.safeParse(block.provenance);
    if (!prov.success) {
      const i = prov.error.issues[0];
      throw new KeyStoreError(`block ${block.blockId}: provenance.${i.path.join('.')}: ${i.message}`);
    }
    try {
      this.db
        .prepare('INSERT INTO key_blocks (block_id, bits, key_bytes, state, provenance) VALUES (?, ?, ?, ?, ?)')
        .run(block.blockId, block.bits, Buffer.from(keyBytes), 'available', JSON.stringify(block.provenance));
    } catch (e) {
      if (String((e as Error).message).includes('UNIQUE')) throw new KeyStoreError(`block ${block.blockId} already stored`);
      throw e;
    }
  }

  /** Stores several blocks atomically: all or none. */
  putMany(items: { block: KeyBlock; keyBytes: Uint8Array }[]): void {
    this.db.transaction(() => {
      for (const it of items) this.putSync(it.block, it.keyBytes);
    })();
  }

  /** Reserves the oldest available blocks (up to `count`) for `holder`; returns their ids. */
  reserve(holder: string, count = 1): string[] {
    return this.db.transaction(() => {
      const rows = this.db.prepare("SELECT block_id FROM key_blocks WHERE state = 'available' ORDER BY seq LIMIT ?").all(count) as { block_id: string }[];
      const upd = this.db.prepare("UPDATE key_blocks SET state = 'reserved', holder = ? WHERE block_id = ? AND state = 'available'");
      for (const r of rows) if (upd.run(holder, r.block_id).changes !== 1) throw new KeyStoreError(`block ${r.block_id} changed under reservation`);
      return rows.map((r) => r.block_id);
    })();
  }

  /** Reserves one specific block; an error value if it is not available. */
  reserveById(blockId: string, holder: string): { ok: true } | { ok: false; reason: string } {
    const r = this.db.prepare("UPDATE key_blocks SET state = 'reserved', holder = ? WHERE block_id = ? AND state = 'available'").run(holder, blockId);
    return r.changes === 1 ? { ok: true } : { ok: false, reason: this.whyNot(blockId, 'available') };
  }

  /** reserved → delivered, returning the bytes exactly once (a second call fails). */
  deliver(blockId: string, holder: string): { ok: true; keyBytes: Uint8Array } | { ok: false; reason: string } {
    return this.db.transaction(() => {
      const row = this.db.prepare("SELECT key_bytes FROM key_blocks WHERE block_id = ? AND state = 'reserved' AND holder = ?").get(blockId, holder) as { key_bytes: Buffer } | undefined;
      if (!row) return { ok: false as const, reason: this.whyNot(blockId, 'reserved', holder) };
      this.db.prepare("UPDATE key_blocks SET state = 'delivered' WHERE block_id = ? AND state = 'reserved'").run(blockId);
      return { ok: true as const, keyBytes: new Uint8Array(row.key_bytes) };
    })();
  }

  /** delivered → consumed; the bytes are erased (zero-filled) since nobody may read them again. */
  consume(blockId: string): { ok: true } | { ok: false; reason: string } {
    return this.db.transaction(() => {
      const row = this.db.prepare("SELECT bits FROM key_blocks WHERE block_id = ? AND state = 'delivered'").get(blockId) as { bits: number } | undefined;
      if (!row) return { ok: false as const, reason: this.whyNot(blockId, 'delivered') };
      this.db.prepare("UPDATE key_blocks SET state = 'consumed', key_bytes = zeroblob(?) WHERE block_id = ?").run(row.bits / 8, blockId);
      return { ok: true as const };
    })();
  }

  /** reserved → available (a holder gave up before delivery). Delivered key is never returned to the pool. */
  release(blockId: string): { ok: true } | { ok: false; reason: string } {
    const r = this.db.prepare("UPDATE key_blocks SET state = 'available', holder = NULL WHERE block_id = ? AND state = 'reserved'").run(blockId);
    return r.changes === 1 ? { ok: true } : { ok: false, reason: this.whyNot(blockId, 'reserved') };
  }

  /** Pulls available blocks for export (the backbone ingesting satellite keys): reserve + deliver in one transaction. */
  exportAvailable(holder: string, maxBlocks: number): { block: KeyBlock; keyBytes: Uint8Array }[] {
    return this.db.transaction(() => {
      const ids = this.reserve(holder, maxBlocks);
      return ids.map((id) => {
        const d = this.deliver(id, holder);
        if (!d.ok) throw new KeyStoreError(d.reason);
        const info = this.get(id)!;
        return { block: { blockId: id, bits: info.bits, provenance: info.provenance }, keyBytes: d.keyBytes };
      });
    })();
  }

  get(blockId: string): StoredBlockInfo | null {
    const r = this.db.prepare('SELECT seq, block_id, bits, state, holder, provenance FROM key_blocks WHERE block_id = ?').get(blockId) as Row | undefined;
    return r ? toInfo(r) : null;
  }

  list(filter: { state?: KeyState; passId?: string } = {}): StoredBlockInfo[] {
    const rows = this.db.prepare('SELECT seq, block_id, bits, state, holder, provenance FROM key_blocks ORDER BY seq').all() as Row[];
    return rows.map(toInfo).filter((b) => (!filter.state || b.state === filter.state) && (!filter.passId || b.provenance.passId === filter.passId));
  }

  /** Bits per state (for status pages and the ETSI 014 stored_key_count). */
  summary(): Record<KeyState, { blocks: number; bits: number }> {
    const out: Record<KeyState, { blocks: number; bits: number }> = { available: { blocks: 0, bits: 0 }, reserved: { blocks: 0, bits: 0 }, delivered: { blocks: 0, bits: 0 }, consumed: { blocks: 0, bits: 0 } };
    for (const r of this.db.prepare('SELECT state, COUNT(*) AS n, SUM(bits) AS b FROM key_blocks GROUP BY state').all() as { state: KeyState; n: number; b: number }[]) out[r.state] = { blocks: r.n, bits: r.b };
    return out;
  }

  private whyNot(blockId: string, wanted: KeyState, holder?: string): string {
    const r = this.db.prepare('SELECT state, holder FROM key_blocks WHERE block_id = ?').get(blockId) as { state: string; holder: string | null } | undefined;
    if (!r) return `block ${blockId} not found`;
    if (holder !== undefined && r.holder !== holder && r.state === wanted) return `block ${blockId} is held by another holder`;
    return `block ${blockId} is ${r.state}, not ${wanted}`;
  }
}

interface Row {
  seq: number;
  block_id: string;
  bits: number;
  state: KeyState;
  holder: string | null;
  provenance: string;
}

function toInfo(r: Row): StoredBlockInfo {
  return { blockId: r.block_id, bits: r.bits, state: r.state, holder: r.holder, provenance: JSON.parse(r.provenance) as KeyProvenance, createdSeq: r.seq };
}
