/**
 * The persistent outbox of one KME. Messages are written in the same transaction as the key-state change that
 * caused them, and sent afterwards, batched per peer; a message leaves the outbox only when the peer has committed
 * it (or refused it for good). A KME killed between commit and send resends after restart; the receiver's hop log
 * makes the resend a no-op.
 */
import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../pool/db.ts';
import { MAX_BATCH, type PeerMessage, type PeerReply, type PeerTransport } from './messages.ts';

/** Rows read per flush round. */
const ROUND = 2048;
/** Pause before resending messages a peer could not take yet. */
const RETRY_MS = 250;

export class Outbox {
  private readonly insertStmt: Statement<[string, string, string, number]>;
  private readonly pendingStmt: Statement<[number]>;
  private readonly deleteStmt: Statement<[string]>;
  private readonly attemptStmt: Statement<[string]>;
  private readonly countStmt: Statement<[]>;
  private readonly inFlight = new Set<string>();
  private flushing = false;
  private flushAgain = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly nodeId: string,
    private readonly transport: PeerTransport,
    /** A peer refused a message for good (called inside a transaction, after the row is deleted). */
    private readonly onRefused: (msg: PeerMessage, reason: string) => void,
  ) {
    this.insertStmt = db.prepare(`INSERT INTO outbox (msg_id, to_node, body, created_ms) VALUES (?, ?, ?, ?)`);
    this.pendingStmt = db.prepare(`SELECT msg_id, to_node, body FROM outbox ORDER BY created_ms LIMIT ?`);
    this.deleteStmt = db.prepare(`DELETE FROM outbox WHERE msg_id = ?`);
    this.attemptStmt = db.prepare(`UPDATE outbox SET attempts = attempts + 1 WHERE msg_id = ?`);
    this.countStmt = db.prepare(`SELECT COUNT(*) AS n FROM outbox`);
  }

  /** Queues a message (call inside the transaction that made it necessary). */
  enqueue(to: string, msg: PeerMessage, nowMs: number): string {
    const id = randomUUID();
    this.insertStmt.run(id, to, JSON.stringify(msg), nowMs);
    return id;
  }

  pending(): number {
    return (this.countStmt.get() as { n: number }).n;
  }

  /** Sends whatever the outbox holds (soon, not now: callers are often inside a peer's request). */
  kick(): void {
    if (this.closed) return;
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    this.flushing = true;
    setImmediate(() => {
      if (this.closed) this.flushing = false;
      else void this.flush();
    });
  }

  private async flush(): Promise<void> {
    try {
      do {
        this.flushAgain = false;
        if (this.closed) return;
        const rows = this.pendingStmt.all(ROUND) as { msg_id: string; to_node: string; body: string }[];
        const byPeer = new Map<string, { msg_id: string; body: string }[]>();
        for (const r of rows) {
          if (this.inFlight.has(r.msg_id)) continue;
          let list = byPeer.get(r.to_node);
          if (!list) byPeer.set(r.to_node, (list = []));
          list.push(r);
        }
        const batches: { to: string; rows: { msg_id: string; body: string }[] }[] = [];
        for (const [to, list] of byPeer) for (let i = 0; i < list.length; i += MAX_BATCH) batches.push({ to, rows: list.slice(i, i + MAX_BATCH) });
        let retryLater = false;
        await Promise.all(
          batches.map(async ({ to, rows: batch }) => {
            for (const r of batch) this.inFlight.add(r.msg_id);
            try {
              const msgs = batch.map((r) => JSON.parse(r.body) as PeerMessage);
              const replies = await this.transport.sendBatch(this.nodeId, to, msgs).catch((err: Error): PeerReply[] => msgs.map(() => ({ ok: false, retry: true, reason: err.message })));
              if (this.closed) return;
              this.db.transaction(() => {
                replies.forEach((reply, i) => {
                  const id = batch[i]!.msg_id;
                  if (reply.ok) this.deleteStmt.run(id);
                  else if (reply.retry) {
                    this.attemptStmt.run(id);
                    retryLater = true;
                  } else {
                    this.deleteStmt.run(id);
                    this.onRefused(msgs[i]!, reply.reason);
                  }
                });
              })();
            } finally {
              for (const r of batch) this.inFlight.delete(r.msg_id);
            }
          }),
        );
        if (retryLater && !this.closed) {
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => this.kick(), RETRY_MS);
        }
        if (rows.length === ROUND) this.flushAgain = true;
      } while (this.flushAgain && !this.closed);
    } finally {
      this.flushing = false;
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
  }
}
