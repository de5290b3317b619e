/**
 * Simulated terrestrial QKD: each fibre link delivers secret key at its rate, on the injected clock.
 * A real QKD pair hands identical key to both ends; the simulation makes both KMEs derive chunk i of a link from
 * HMAC-SHA256(link secret, i), the link secret from a simulation seed shared by the whole backbone. Both ends thus
 * hold the same key without talking (as with real QKD devices), also across processes.
 * Chunk i is produced at epoch + (i + 1) · CHUNK_BITS / rate.
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

export class QkdLinkSimulator {
  private readonly secrets = new Map<string, Buffer>();
  private readonly getNext;
  private readonly setNext;

  constructor(
    private readonly db: Db,
    private readonly pool: LinkPool,
    private readonly links: TopologyLink[],
    private readonly opts: QkdSimOptions,
  ) {
    for (const l of links) this.secrets.set(l.id, createHmac('sha256', opts.seed).update(`link:${l.id}`).digest());
    this.getNext = db.prepare(`SELECT next_index FROM link_gen WHERE link_id = ?`);
    this.setNext = db.prepare(`INSERT INTO link_gen (link_id, next_index) VALUES (?, ?) ON CONFLICT(link_id) DO UPDATE SET next_index = excluded.next_index`);
  }

  /** Chunks produced on a link by `nowMs`. */
  producedChunks(link: TopologyLink, nowMs: number): number {
    const rate = link.keyRateBps ?? 0;
    return Math.max(0, Math.floor(((nowMs - this.opts.epochMs) / 1000) * rate / CHUNK_BITS));
  }

  /** Stores every chunk produced up to now that is not stored yet; returns how many were added. */
  tick(nowMs: number): number {
    let added = 0;
    const run = this.db.transaction(() => {
      for (const link of this.links) {
        if (link.kind !== 'fibre') continue;
        const from = (this.getNext.get(link.id) as { next_index: number } | undefined)?.next_index ?? 0;
        const to = this.producedChunks(link, nowMs);
        if (to <= from) continue;
        const secret = this.secrets.get(link.id)!;
        for (let i = from; i < to; i++) {
          const bytes = createHmac('sha256', secret).update(String(i)).digest();
          const producedMs = this.opts.epochMs + ((i + 1) * CHUNK_BITS * 1000) / link.keyRateBps!;
          this.pool.insert({ linkId: link.id, chunkId: `q${i}`, seq: i, sender: senderFor(link.a, link.b, i), bits: CHUNK_BITS, bytes, source: 'qkd', producedMs });
          added++;
        }
        this.setNext.run(link.id, to);
      }
    });
    run();
    return added;
  }
}
