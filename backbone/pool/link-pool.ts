/**
 * Per-link key pools of one KME. Key is held in chunks of up to CHUNK_BITS; each chunk has exactly one end of its
 * link allowed to spend it as sender (chosen by the chunk's sequence parity), so the two ends of a link never pick
 * the same chunk at once and need no lock across the link. The receiving end consumes the same chunks when the
 * message naming them arrives.
 *
 * Accounting per link and node, in bits: produced = stored + consumed + wasted
 * (wasted = the unused tail of the last chunk of a one-time pad, or pad bits of a relay that failed).
 */
import type { Db } from './db.ts';

export const CHUNK_BITS = 256;
export const CHUNK_BYTES = CHUNK_BITS / 8;

export interface ChunkInsert {
  linkId: string;
  chunkId: string;
  seq: number;
  sender: string;
  bits: number;
  bytes: Uint8Array;
  source: 'qkd' | 'satellite';
  blockId?: string;
  producedMs: number;
}

export interface LinkAccount {
  linkId: string;
  producedBits: number;
  storedBits: number;
  consumedBits: number;
  wastedBits: number;
  /** Stored bits this node may spend as sender (the rest is the other end's half). */
  spendableBits: number;
}

export type PadResult =
  | { ok: true; pad: Buffer; chunkIds: string[] }
  | { ok: false; reason: string; retry: boolean };

/** The end of a link that may spend chunk `seq` as sender: even to the smaller id, odd to the larger. */
export function senderFor(a: string, b: string, seq: number): string {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  return seq % 2 === 0 ? lo : hi;
}

export class LinkPool {
  private readonly insertStmt;
  private readonly pickStmt;
  private readonly getStmt;
  private readonly consumeStmt;
  private readonly accountStmt;
  private readonly spendableStmt;
  private readonly wasteStmt;

  constructor(private readonly db: Db, readonly nodeId: string) {
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO chunks (link_id, chunk_id, seq, sender, bits, bytes, state, source, block_id, produced_ms)
       VALUES (@linkId, @chunkId, @seq, @sender, @bits, @bytes, 'available', @source, @blockId, @producedMs)`,
    );
    this.pickStmt = db.prepare(
      `SELECT chunk_id, bits, bytes FROM chunks WHERE link_id = ? AND sender = ? AND state = 'available' ORDER BY seq LIMIT ?`,
    );
    this.getStmt = db.prepare(`SELECT chunk_id, sender, bits, bytes, state FROM chunks WHERE link_id = ? AND chunk_id = ?`);
    this.consumeStmt = db.prepare(
      `UPDATE chunks SET state = 'consumed', bytes = x'', used_bits = ?, wasted_bits = ?, relay_id = ?, consumed_ms = ?
       WHERE link_id = ? AND chunk_id = ? AND state = 'available'`,
    );
    this.wasteStmt = db.prepare(
      `UPDATE chunks SET wasted_bits = wasted_bits + used_bits, used_bits = 0 WHERE relay_id = ? AND link_id = ?`,
    );
    this.accountStmt = db.prepare(
      `SELECT link_id, SUM(bits) AS produced, SUM(CASE WHEN state = 'available' THEN bits ELSE 0 END) AS stored,
              SUM(used_bits) AS consumed, SUM(wasted_bits) AS wasted,
              SUM(CASE WHEN state = 'available' AND sender = ? THEN bits ELSE 0 END) AS spendable
       FROM chunks GROUP BY link_id`,
    );
    this.spendableStmt = db.prepare(
      `SELECT COALESCE(SUM(bits), 0) AS bits FROM chunks WHERE link_id = ? AND sender = ? AND state = 'available'`,
    );
  }

  insert(chunk: ChunkInsert): boolean {
    return this.insertStmt.run({ ...chunk, bytes: Buffer.from(chunk.bytes), blockId: chunk.blockId ?? null }).changes === 1;
  }

  spendableBits(linkId: string): number {
    return (this.spendableStmt.get(linkId, this.nodeId) as { bits: number }).bits;
  }

  /**
   * Takes a one-time pad of `bits` from this node's half of a link pool (call inside a transaction).
   * The unused tail of the last chunk is wasted, never reused.
   */
  takePad(linkId: string, bits: number, relayId: string, nowMs: number): PadResult {
    const rows = this.pickStmt.all(linkId, this.nodeId, Math.ceil(bits / CHUNK_BITS) + 1) as { chunk_id: string; bits: number; bytes: Buffer }[];
    const picked: typeof rows = [];
    let have = 0;
    for (const r of rows) {
      if (have >= bits) break;
      picked.push(r);
      have += r.bits;
    }
    if (have < bits) return { ok: false, reason: `link ${linkId} holds ${this.spendableBits(linkId)} spendable bits, ${bits} needed`, retry: false };
    return { ok: true, pad: this.consume(linkId, picked, bits, relayId, nowMs), chunkIds: picked.map((r) => r.chunk_id) };
  }

  /** Consumes the chunks a peer named for its pad (call inside a transaction). */
  takeNamedPad(linkId: string, chunkIds: string[], expectedSender: string, bits: number, relayId: string, nowMs: number): PadResult {
    const rows: { chunk_id: string; bits: number; bytes: Buffer }[] = [];
    let have = 0;
    for (const id of chunkIds) {
      const r = this.getStmt.get(linkId, id) as { chunk_id: string; sender: string; bits: number; bytes: Buffer; state: string } | undefined;
      if (!r) return { ok: false, reason: `chunk ${linkId}/${id} not (yet) produced here`, retry: true };
      if (r.state !== 'available') return { ok: false, reason: `chunk ${linkId}/${id} already consumed`, retry: false };
      if (r.sender !== expectedSender) return { ok: false, reason: `chunk ${linkId}/${id} belongs to ${r.sender}'s half`, retry: false };
      rows.push(r);
      have += r.bits;
    }
    if (have < bits || have - rows[rows.length - 1]!.bits >= bits) {
      return { ok: false, reason: `chunks named for ${bits} bits hold ${have}`, retry: false };
    }
    return { ok: true, pad: this.consume(linkId, rows, bits, relayId, nowMs), chunkIds };
  }

  private consume(linkId: string, rows: { chunk_id: string; bits: number; bytes: Buffer }[], bits: number, relayId: string, nowMs: number): Buffer {
    const pad = Buffer.alloc(Math.ceil(bits / 8));
    let offsetBytes = 0;
    let left = bits;
    for (const r of rows) {
      const used = Math.min(left, r.bits);
      r.bytes.copy(pad, offsetBytes, 0, Math.ceil(used / 8));
      offsetBytes += Math.ceil(used / 8);
      left -= used;
      const changed = this.consumeStmt.run(used, r.bits - used, relayId, nowMs, linkId, r.chunk_id).changes;
      if (changed !== 1) throw new Error(`chunk ${linkId}/${r.chunk_id} changed under a transaction`);
    }
    return pad;
  }

  /** A relay that died after its pad was taken: its bits move from consumed to wasted (still never reused). */
  markWasted(relayId: string, linkId: string): void {
    this.wasteStmt.run(relayId, linkId);
  }

  accounts(): LinkAccount[] {
    return (this.accountStmt.all(this.nodeId) as { link_id: string; produced: number; stored: number; consumed: number; wasted: number; spendable: number }[]).map((r) => ({
      linkId: r.link_id,
      producedBits: r.produced,
      storedBits: r.stored,
      consumedBits: r.consumed,
      wastedBits: r.wasted,
      spendableBits: r.spendable,
    }));
  }
}

export function xorInto(target: Buffer, pad: Uint8Array): Buffer {
  if (pad.length < target.length) throw new Error('pad shorter than message');
  for (let i = 0; i < target.length; i++) target[i] = target[i]! ^ pad[i]!;
  return target;
}
