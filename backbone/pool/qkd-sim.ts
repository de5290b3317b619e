/**
 * Simulated terrestrial QKD devices. Each fibre link's QKD pair produces secret key at the link's rate on the
 * injected clock and buffers it; the KME pulls key from its device into its SQLite pool when it needs it (the
 * pull model of ETSI GS QKD 004's get_key), so pools hold what is being used, not hours of idle production.
 * A real QKD pair hands identical key to both ends; here both KMEs derive chunk i of a link as
 * HMAC-SHA256(link secret, i), the link secret from a simulation seed shared by the backbone — both ends hold the
 * same key without talking, also across processes. Chunk i exists from epoch + (i + 1) · CHUNK_BITS / rate.
 * The device buffer is unbounded (it costs nothing: it is a formula until pulled).
 */
import { createHmac } from 'node:crypto';
import type { TopologyLink } from '../topology/schema.ts';
import { CHUNK_BITS, senderFor, type LinkPool } from './link-pool.ts';
import type { Db } from './db.ts';

export interface QkdSimOptions {
  /** Shared by every KME of one backbone; stands in for the QKD devices' common randomness. */
  seed: string;
  /** When the links started producing key. */
  epochMs: number;
}

/** Chunks pulled at least per pull, so a busy link is not pulled 256 bits at a time. */
const PULL_BATCH_CHUNKS = 128;

export class QkdLinkSimulator {
  private readonly secrets = new Map<string, Buffer>();
  private readonly links = new Map<string, TopologyLink>();
  private readonly getNext;
  private readonly setNext;

  constructor(
    db: Db,
    private readonly pool: LinkPool,
    links: TopologyLink[],
    private readonly opts: QkdSimOptions,
  ) {
    for (const l of links) {
      if (l.kind !== 'fibre') continue;
      this.links.set(l.id, l);
      this.secrets.set(l.id, createHmac('sha256', opts.seed).update(`link:${l.id}`).digest());
    }
    this.getNext = db.prepare(`SELECT next_index FROM link_gen WHERE link_id = ?`);
    this.setNext = db.prepare(`INSERT INTO link_gen (link_id, next_index) VALUES (?, ?) ON CONFLICT(link_id) DO UPDATE SET next_index = excluded.next_index`);
  }

  isSimulated(linkId: string): boolean {
    return this.links.has(linkId);
  }

  /** Chunks the device has produced by `nowMs`. */
  producedChunks(linkId: string, nowMs: number): number {
    const link = this.links.get(linkId);
    if (!link) return 0;
    return Math.max(0, Math.floor((((nowMs - this.opts.epochMs) / 1000) * link.keyRateBps!) / CHUNK_BITS));
  }

  private cursor(linkId: string): number {
    return (this.getNext.get(linkId) as { next_index: number } | undefined)?.next_index ?? 0;
  }

  /** Key still in the device, in bits: all of it, and the part `node` may spend as sender. */
  deviceBits(linkId: string, node: string, nowMs: number): { totalBits: number; ownBits: number } {
    const link = this.links.get(linkId);
    if (!link) return { totalBits: 0, ownBits: 0 };
    const from = this.cursor(linkId);
    const to = this.producedChunks(linkId, nowMs);
    if (to <= from) return { totalBits: 0, ownBits: 0 };
    const evens = Math.floor((to + 1) / 2) - Math.floor((from + 1) / 2);
    const own = senderFor(link.a, link.b, 0) === node ? evens : to - from - evens;
    return { totalBits: (to - from) * CHUNK_BITS, ownBits: own * CHUNK_BITS };
  }

  /** Moves device chunks [cursor, end) into the pool (call inside a transaction); returns how many. */
  private materialise(linkId: string, end: number, nowMs: number): number {
    const link = this.links.get(linkId)!;
    const from = this.cursor(linkId);
    const to = Math.min(end, this.producedChunks(linkId, nowMs));
    if (to <= from) return 0;
    const secret = this.secrets.get(linkId)!;
    for (let i = from; i < to; i++) {
      const bytes = createHmac('sha256', secret).update(String(i)).digest();
      const producedMs = this.opts.epochMs + ((i + 1) * CHUNK_BITS * 1000) / link.keyRateBps!;
      this.pool.insert({ linkId, chunkId: `q${i}`, seq: i, sender: senderFor(link.a, link.b, i), bits: CHUNK_BITS, bytes, source: 'qkd', producedMs });
    }
    this.setNext.run(linkId, to);
    return to - from;
  }

  /** Pulls from the device until this node's half of the pool holds `bits` (or the device runs dry). */
  ensureSpendable(linkId: string, bits: number, nowMs: number): void {
    if (!this.links.has(linkId)) return;
    const short = bits - this.pool.spendableBits(linkId);
    if (short <= 0) return;
    // own chunks are every other index: twice the shortfall, at least a batch
    this.materialise(linkId, this.cursor(linkId) + Math.max(PULL_BATCH_CHUNKS, 2 * Math.ceil(short / CHUNK_BITS) + 1), nowMs);
  }

  /** Makes sure chunk `index` has been pulled, when the device has produced it by now (a peer named it). */
  ensurePulled(linkId: string, index: number, nowMs: number): void {
    if (!this.links.has(linkId)) return;
    const from = this.cursor(linkId);
    // pull a batch, not one chunk per named index: one cursor update per batch instead of one per key
    if (index >= from) this.materialise(linkId, Math.max(index + 1, from + PULL_BATCH_CHUNKS), nowMs);
  }
}
