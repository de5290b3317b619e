/**
 * The key management entity of one trusted node: its link pools (simulated fibre QKD, satellite keys), key relay
 * (hop-by-hop one-time pad, optional multipath secret sharing) and the application keys it serves through
 * ETSI GS QKD 014 (see etsi/). Every change of key state is one SQLite transaction; messages to peers go through a
 * persistent outbox written in the same transaction, so a KME killed between "commit" and "send" resends after
 * restart and the receiver's hop log turns the resend into a no-op: nothing lost, nothing used twice.
 */
import { keyProvenanceSchema } from '../planner/provenance.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Clock } from '../planner/time.ts';
import type { KeyProvenance } from '../planner/ports.ts';
import { silentLogger, type Logger } from '../planner/log.ts';
import { TopologyGraph } from './topology/graph.ts';
import type { Statement } from 'better-sqlite3';
import { openDb, type Db } from './pool/db.ts';
import { registerForCheckpoints } from './pool/checkpointer.ts';
import { CHUNK_BITS, LinkPool, senderFor, xorInto, type LinkAccount } from './pool/link-pool.ts';
import { QkdLinkSimulator, type QkdSimOptions } from './pool/qkd-sim.ts';
import { AppKeys, type AppKeyRow } from './pool/app-keys.ts';
import { Outbox } from './relay/outbox.ts';
import { peerMessage, type PeerMessage, type PeerReply, type PeerTransport, type RelayMessage } from './relay/messages.ts';
import { defaultRouteOptions, disjointPaths, keyAwarePath, type LevelView } from './relay/routing.ts';

export interface KmeConfig {
  defaultKeyBits: number;
  minKeyBits: number;
  maxKeyBits: number;
  maxKeysPerRequest: number;
  /** Most ready keys kept per destination KME (ETSI max_key_count). */
  maxKeyCount: number;
  maxSaeIdCount: number;
  /** Ready keys of the default size kept relayed ahead per destination that has seen demand. */
  bufferTarget: number;
  /** Shares per relayed key: 1 = plain hop-by-hop relay; k > 1 = XOR secret sharing over k node-disjoint paths. */
  shares: number;
  relayTimeoutMs: number;
  lowWaterBits: number;
  lowPoolPenalty: number;
}

export const defaultKmeConfig: KmeConfig = {
  defaultKeyBits: 256,
  minKeyBits: 8,
  maxKeyBits: 8192,
  maxKeysPerRequest: 128,
  maxKeyCount: 4096,
  maxSaeIdCount: 4,
  bufferTarget: 256,
  shares: 1,
  relayTimeoutMs: 10_000,
  ...defaultRouteOptions,
};

export interface KmeOptions {
  nodeId: string;
  graph: TopologyGraph;
  dataDir: string;
  clock: Clock;
  transport: PeerTransport;
  qkd: QkdSimOptions;
  /** Pool levels of links this KME does not terminate (all KMEs' stores in one process; polled across processes). */
  remoteLevels?: LevelView;
  /** Re-reads remote levels now (multi-process): asked before giving up on a route that stale levels ruled out. */
  refreshRemoteLevels?: () => Promise<void>;
  config?: Partial<KmeConfig>;
  logger?: Logger;
  /** Fault injection for reliability tests: called right after a relay hop is committed, before anything is sent. */
  faults?: { afterHopCommitted?: (relayId: string) => void };
}

/** The planner's provenance rule (planner/provenance.ts): the same check as the station key store's. */
export const provenanceSchema = keyProvenanceSchema;

export interface SatelliteKeyInput {
  /** The satellite link, or the pair of ground-station nodes it joins. */
  linkId?: string;
  stationNodes?: [string, string];
  blockId: string;
  keyBytes: Uint8Array;
  provenance: KeyProvenance;
  /** Satellite as trusted relay: the provenance of the other station's block that was XOR-combined with ours. */
  peerProvenance?: KeyProvenance;
}

export type IngestResult = { ok: true; duplicate: boolean; linkId: string; bits: number } | { ok: false; field: string; message: string };

export type RelayStart = { ok: true; keyIds: string[]; paths: string[][] } | { ok: false; reason: string };

export type ObtainResult = { ok: true; keys: { keyId: string; bytes: Buffer }[] } | { ok: false; status: 400 | 503; message: string };

export class Kme {
  readonly nodeId: string;
  readonly config: KmeConfig;
  readonly db: Db;
  readonly pool: LinkPool;
  private readonly appKeys: AppKeys;
  private readonly qkd: QkdLinkSimulator;
  private readonly graph: TopologyGraph;
  private readonly clock: Clock;
  private readonly transport: PeerTransport;
  private readonly remoteLevels: LevelView | undefined;
  private readonly log: Logger;
  private readonly waiters = new Map<string, (ok: boolean) => void>();
  private readonly outbox: Outbox;
  private closed = false;
  /** Destinations whose buffer this KME keeps topped up (those SAEs have asked for). */
  private readonly demand = new Set<string>();
  /** Keys relayed for one waiting ETSI request: they become 'reserved', not 'ready', when delivered. */
  private readonly reserveOnDelivery = new Set<string>();
  private refilling = new Set<string>();
  private readonly lastRefillCheck = new Map<string, number>();
  private readonly faults: KmeOptions['faults'];
  private readonly unregisterCheckpoints: () => void;
  private readonly refreshRemoteLevels: KmeOptions['refreshRemoteLevels'];
  private readonly stmts = new Map<string, Statement<any[], unknown>>();

  /** Prepared once, reused: preparing costs more than running most of these statements. */
  private sql(text: string): Statement<any[], unknown> {
    let st = this.stmts.get(text);
    if (!st) {
      st = this.db.prepare(text);
      this.stmts.set(text, st);
    }
    return st;
  }

  constructor(opts: KmeOptions) {
    this.nodeId = opts.nodeId;
    if (!opts.graph.hasNode(opts.nodeId)) throw new Error(`node '${opts.nodeId}' is not in the topology`);
    this.config = { ...defaultKmeConfig, ...opts.config };
    this.graph = opts.graph;
    this.clock = opts.clock;
    this.transport = opts.transport;
    this.remoteLevels = opts.remoteLevels;
    this.faults = opts.faults;
    this.refreshRemoteLevels = opts.refreshRemoteLevels;
    this.log = (opts.logger ?? silentLogger).child({ kme: opts.nodeId });
    mkdirSync(opts.dataDir, { recursive: true });
    const dbPath = join(opts.dataDir, `${opts.nodeId}.sqlite`);
    this.db = openDb(dbPath);
    this.unregisterCheckpoints = registerForCheckpoints(dbPath);
    this.pool = new LinkPool(this.db, opts.nodeId);
    this.appKeys = new AppKeys(this.db);
    const myLinks = this.graph.neighbours(opts.nodeId).map((n) => n.link);
    this.qkd = new QkdLinkSimulator(this.db, this.pool, myLinks, opts.qkd);
    // a reservation belongs to a request of a process that is gone: those keys are ready again
    this.db.prepare(`UPDATE app_keys SET state = 'ready' WHERE state = 'reserved' AND origin = ?`).run(this.nodeId);
    this.outbox = new Outbox(this.db, this.nodeId, this.transport, (msg, reason) => this.refused(msg, reason));
  }

  // ------------------------------------------------------------------ pools

  /** Periodic work: resend whatever the outbox still holds (the simulated QKD devices need no tick: see qkd-sim). */
  tick(): void {
    this.kick();
  }

  /** Bits this node may spend on a link it terminates: its half of the pool plus its half still in the QKD device. */
  spendableBits(linkId: string): number {
    return this.pool.spendableBits(linkId) + this.qkd.deviceBits(linkId, this.nodeId, this.clock.nowMs()).ownBits;
  }

  /** Spendable bits of `sender`'s half of a link, when this KME terminates the link; else what the remote view says. */
  levelOf: LevelView = (linkId, sender) => {
    if (sender === this.nodeId) return this.spendableBits(linkId);
    return this.remoteLevels?.(linkId, sender);
  };

  /** Pool accounts of every link of this node (pulled key only), with what each QKD device still buffers. */
  accounts(): (LinkAccount & { deviceBufferedBits: number })[] {
    const now = this.clock.nowMs();
    const byLink = new Map(this.pool.accounts().map((a) => [a.linkId, a]));
    return this.graph.neighbours(this.nodeId).map(({ link }) => {
      const dev = this.qkd.deviceBits(link.id, this.nodeId, now);
      const a = byLink.get(link.id) ?? { linkId: link.id, producedBits: 0, storedBits: 0, consumedBits: 0, wastedBits: 0, spendableBits: 0 };
      return { ...a, spendableBits: a.spendableBits + dev.ownBits, deviceBufferedBits: dev.totalBits };
    });
  }

  /** Takes a pad from this node's half of a link, pulling from the QKD device first when the pool is short. */
  private takePad(linkId: string, bits: number, relayId: string, now: number) {
    // the pool usually holds enough (the device is pulled in batches): only a short pool pays for the level query
    const first = this.pool.takePad(linkId, bits, relayId, now);
    if (first.ok || !this.qkd.isSimulated(linkId)) return first;
    this.qkd.ensureSpendable(linkId, bits, now);
    return this.pool.takePad(linkId, bits, relayId, now);
  }

  /**
   * Adds a finished satellite key block to a satellite link pool. Called at both ends of the link with the same
   * block (for satellite-as-relay: each station's own key XOR the satellite's published combination, see
   * satelliteRelayKey). Idempotent by blockId.
   */
  ingestSatelliteKey(input: SatelliteKeyInput): IngestResult {
    const prov = provenanceSchema.safeParse(input.provenance);
    if (!prov.success) return { ok: false, field: `provenance.${prov.error.issues[0]!.path.join('.')}`, message: prov.error.issues[0]!.message };
    if (input.peerProvenance) {
      const p2 = provenanceSchema.safeParse(input.peerProvenance);
      if (!p2.success) return { ok: false, field: `peerProvenance.${p2.error.issues[0]!.path.join('.')}`, message: p2.error.issues[0]!.message };
    }
    if (!/^[A-Za-z0-9_.:@-]{1,128}$/.test(input.blockId)) return { ok: false, field: 'blockId', message: 'blockId must be 1-128 characters of A-Z a-z 0-9 _ . : @ -' };
    if (!(input.keyBytes instanceof Uint8Array) || input.keyBytes.length === 0) return { ok: false, field: 'keyBytes', message: 'keyBytes must be a non-empty byte array' };
    const link = input.linkId
      ? this.graph.links.get(input.linkId)
      : input.stationNodes
        ? this.graph.linkBetween(input.stationNodes[0], input.stationNodes[1])
        : undefined;
    if (!link) return { ok: false, field: input.linkId ? 'linkId' : 'stationNodes', message: 'no such satellite link in the topology' };
    if (link.kind !== 'satellite') return { ok: false, field: 'linkId', message: `link ${link.id} is ${link.kind}, not satellite` };
    if (link.a !== this.nodeId && link.b !== this.nodeId) return { ok: false, field: 'linkId', message: `link ${link.id} does not end at ${this.nodeId}` };
    const bits = input.keyBytes.length * 8;
    const now = this.clock.nowMs();
    const existing = this.sql(`SELECT link_id, bits FROM sat_blocks WHERE block_id = ?`).get(input.blockId) as { link_id: string; bits: number } | undefined;
    if (existing) {
      if (existing.link_id !== link.id || existing.bits !== bits) return { ok: false, field: 'blockId', message: `block ${input.blockId} was already ingested with different content` };
      return { ok: true, duplicate: true, linkId: link.id, bits };
    }
    const bytes = Buffer.from(input.keyBytes);
    this.db.transaction(() => {
      this.sql(`INSERT INTO sat_blocks (block_id, link_id, bits, provenance, ingested_ms) VALUES (?, ?, ?, ?, ?)`).run(
        input.blockId, link.id, bits, JSON.stringify({ own: input.provenance, peer: input.peerProvenance ?? null }), now,
      );
      for (let j = 0; j * CHUNK_BITS < bits; j++) {
        const part = bytes.subarray((j * CHUNK_BITS) / 8, Math.min(bytes.length, ((j + 1) * CHUNK_BITS) / 8));
        this.pool.insert({ linkId: link.id, chunkId: `s:${input.blockId}:${j}`, seq: j, sender: senderFor(link.a, link.b, j), bits: part.length * 8, bytes: part, source: 'satellite', blockId: input.blockId, producedMs: now });
      }
    })();
    bytes.fill(0);
    this.log.info('satellite-key-ingested', { linkId: link.id, blockId: input.blockId, bits, passId: input.provenance.passId });
    this.kick();
    return { ok: true, duplicate: false, linkId: link.id, bits };
  }

  // ------------------------------------------------------------------ relay (origin side)

  /** Relays `count` fresh keys of `bits` to `dest`; each key's id is returned at once, its state is `relaying`. */
  startRelays(dest: string, count: number, bits: number, shares = this.config.shares, reserve = false): RelayStart {
    if (!this.graph.hasNode(dest)) return { ok: false, reason: `unknown node ${dest}` };
    const now = this.clock.nowMs();
    const keyIds: string[] = [];
    if (dest === this.nodeId) {
      // both SAEs on this node: no link is crossed, a local random key is as good as a relayed one
      this.db.transaction(() => {
        for (let i = 0; i < count; i++) {
          const keyId = randomUUID();
          this.appKeys.insert.run(keyId, this.nodeId, dest, bits, randomBytes(bits / 8), 'ready', null, now);
          keyIds.push(keyId);
        }
      })();
      return { ok: true, keyIds, paths: [[this.nodeId]] };
    }
    const routeOpts = { needBits: bits * count, lowWaterBits: this.config.lowWaterBits, lowPoolPenalty: this.config.lowPoolPenalty };
    const paths = shares > 1 ? disjointPaths(this.graph, this.levelOf, this.nodeId, dest, shares, routeOpts) : [keyAwarePath(this.graph, this.levelOf, this.nodeId, dest, routeOpts)].filter((p): p is string[] => p !== null);
    if (paths.length < shares) return { ok: false, reason: paths.length ? `only ${paths.length} node-disjoint paths with key to ${dest}, ${shares} asked` : `no path with ${bits * count} bits of key to ${dest}` };
    const msgs: string[] = [];
    try {
      this.db.transaction(() => {
        for (let i = 0; i < count; i++) {
          const keyId = randomUUID();
          const relayId = randomUUID();
          const key = Buffer.alloc(bits / 8);
          paths.forEach((path, share) => {
            const linkId = this.graph.linkBetween(this.nodeId, path[1]!)!.id;
            const pad = this.takePad(linkId, bits, relayId, now);
            if (!pad.ok) throw new RelayAbort(pad.reason);
            const part = randomBytes(bits / 8);
            xorInto(key, part);
            const msg: RelayMessage = { type: 'relay', relayId, keyId, origin: this.nodeId, dest, bits, share, shares, path, hop: 1, linkId, chunkIds: pad.chunkIds, cipherB64: xorInto(part, pad.pad).toString('base64') };
            msgs.push(this.enqueue(path[1]!, msg, now));
          });
          this.appKeys.insert.run(keyId, this.nodeId, dest, bits, key, 'relaying', relayId, now);
          if (reserve) this.reserveOnDelivery.add(keyId);
          this.sql(`INSERT INTO relays (relay_id, key_id, origin, dest, bits, shares, paths, state, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, 'relaying', ?)`).run(relayId, keyId, this.nodeId, dest, bits, shares, JSON.stringify(paths), now);
          key.fill(0);
          keyIds.push(keyId);
        }
      })();
    } catch (err) {
      if (err instanceof RelayAbort) return { ok: false, reason: err.message };
      throw err;
    }
    this.kick();
    return { ok: true, keyIds, paths };
  }

  /** Resolves true when every key is ready at both ends, false when one failed or the timeout passed. */
  waitReady(keyIds: string[], timeoutMs = this.config.relayTimeoutMs): Promise<boolean> {
    const pending = keyIds.filter((id) => (this.appKeys.get.get(id) as AppKeyRow | undefined)?.state === 'relaying');
    const failed = keyIds.some((id) => (this.appKeys.get.get(id) as AppKeyRow | undefined)?.state === 'failed');
    if (failed) return Promise.resolve(false);
    if (!pending.length) return Promise.resolve(true);
    return new Promise((resolve) => {
      let left = pending.length;
      let settled = false;
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (ok: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        for (const id of pending) this.waiters.delete(id);
        resolve(ok);
      };
      for (const id of pending) {
        this.waiters.set(id, (ok) => {
          if (!ok) return finish(false);
          if (--left === 0) finish(true);
        });
      }
    });
  }

  // ------------------------------------------------------------------ application keys (ETSI 014 back end)

  /** Keys ready toward `dest`: relayed ahead, or for a neighbour what its half of the shared link can make. */
  readyCount(dest: string, bits = this.config.defaultKeyBits): number {
    const direct = this.directLink(dest);
    if (direct) return Math.min(this.config.maxKeyCount, Math.floor(this.spendableBits(direct) / (Math.ceil(bits / CHUNK_BITS) * CHUNK_BITS)));
    return (this.appKeys.readyCount.get(this.nodeId, dest, bits) as { n: number }).n;
  }

  /** The link to a neighbouring destination, when keys for it are taken straight from the link (no secret sharing). */
  private directLink(dest: string): string | undefined {
    return this.config.shares === 1 ? this.graph.linkBetween(this.nodeId, dest)?.id : undefined;
  }

  /**
   * Keys for SAEs on a neighbouring KME: each key is a pad of the shared link. Requests that arrive in the same
   * event-loop turn are served together (group commit): one transaction here with a savepoint per request, one
   * batch message naming the chunks, one transaction there (which also records the masters and slaves) — no relay,
   * no buffer. A request refused here leaves the others of its batch standing.
   */
  private directKeys(linkId: string, req: DirectKeyRequest): Promise<ObtainResult> {
    return new Promise((resolve, reject) => {
      this.directQueue.push({ linkId, req, resolve, reject });
      if (this.directQueue.length === 1) {
        setImmediate(() => {
          const batch = this.directQueue.splice(0);
          // An unexpected error (not a refusal) fails every request of the batch, as it failed the one request before.
          this.flushDirectKeys(batch).catch((err: unknown) => batch.forEach((b) => b.reject(err)));
        });
      }
    });
  }

  private readonly directQueue: DirectKeyQueued[] = [];

  private async flushDirectKeys(batch: DirectKeyQueued[]): Promise<void> {
    const now = this.clock.nowMs();
    type Taken = { keyId: string; bytes: Buffer; chunkIds: string[] }[];
    // One commit for the batch; each request in its own savepoint (a nested transaction), all or nothing.
    const prepared = this.db.transaction(() =>
      batch.map(({ linkId, req }): { relayId: string; keys: Taken } | { refused: string } => {
        const relayId = randomUUID();
        const out: Taken = [];
        try {
          const keys = this.db.transaction((): Taken => {
            for (let i = 0; i < req.number; i++) {
              const keyId = randomUUID();
              const pad = this.takePad(linkId, req.bits, relayId, now);
              if (!pad.ok) throw new RelayAbort(pad.reason);
              out.push({ keyId, bytes: pad.pad, chunkIds: pad.chunkIds });
              this.appKeys.insert.run(keyId, this.nodeId, req.dest, req.bits, Buffer.alloc(0), 'erased', null, now);
            }
            this.sql(`INSERT INTO relays (relay_id, key_id, origin, dest, bits, shares, paths, state, created_ms, done_ms) VALUES (?, ?, ?, ?, ?, 1, ?, 'delivered', ?, ?)`).run(relayId, out[0]!.keyId, this.nodeId, req.dest, req.bits * req.number, JSON.stringify([[this.nodeId, req.dest]]), now, now);
            this.appKeys.addUsage.run(req.masterSae, 'master', req.slaveSaes.join(','), req.number, req.number * req.bits);
            return out;
          })();
          return { relayId, keys };
        } catch (err) {
          for (const k of out) k.bytes.fill(0); // pads of a rolled-back request: key material, not kept in memory
          if (err instanceof RelayAbort) return { refused: `not enough key on link ${linkId}: ${err.message}` };
          throw err;
        }
      }),
    )();
    // One batch message per neighbour; a refusal that may pass later (the neighbour's clock has not produced
    // these chunks yet) is retried alone, as before.
    const messages = batch.map((b, i) => {
      const p = prepared[i]!;
      if ('refused' in p) return null;
      return { type: 'direct-keys' as const, relayId: p.relayId, origin: this.nodeId, linkId: b.linkId, masterSae: b.req.masterSae, slaveSaes: b.req.slaveSaes, keys: p.keys.map((k) => ({ keyId: k.keyId, bits: b.req.bits, chunkIds: k.chunkIds })) };
    });
    const replies: PeerReply[] = batch.map(() => ({ ok: false, retry: true, reason: 'not sent' }));
    for (const dest of new Set(batch.map((b) => b.req.dest))) {
      const idx = batch.map((b, i) => (b.req.dest === dest && messages[i] ? i : -1)).filter((i) => i >= 0);
      if (idx.length === 0) continue;
      const got = await this.transport.sendBatch(this.nodeId, dest, idx.map((i) => messages[i]!)).catch((err: Error): PeerReply[] => idx.map(() => ({ ok: false, retry: true, reason: err.message })));
      idx.forEach((i, j) => (replies[i] = got[j]!));
    }
    await Promise.all(
      batch.map(async (b, i) => {
        const p = prepared[i]!;
        if ('refused' in p) return b.resolve({ ok: false, status: 503, message: p.refused });
        let reply = replies[i]!;
        for (let attempt = 1; attempt < 5 && !reply.ok && reply.retry; attempt++) {
          await new Promise((r) => setTimeout(r, 100 * attempt));
          reply = await this.transport.send(this.nodeId, b.req.dest, messages[i]!).catch((err: Error): PeerReply => ({ ok: false, retry: true, reason: err.message }));
        }
        if (!reply.ok) {
          this.db.transaction(() => {
            this.sql(`UPDATE chunks SET wasted_bits = wasted_bits + used_bits, used_bits = 0 WHERE relay_id = ?`).run(p.relayId);
            this.sql(`UPDATE relays SET state = 'failed', reason = ?, done_ms = ? WHERE relay_id = ?`).run(reply.reason, this.clock.nowMs(), p.relayId);
            for (const k of p.keys) this.appKeys.erase.run('failed', this.clock.nowMs(), k.keyId);
          })();
          for (const k of p.keys) k.bytes.fill(0);
          return b.resolve({ ok: false, status: 503, message: `neighbour KME ${b.req.dest} did not take the keys: ${reply.reason}` });
        }
        b.resolve({ ok: true, keys: p.keys.map((k) => ({ keyId: k.keyId, bytes: k.bytes })) });
      }),
    );
  }

  private onDirectKeys(from: string, msg: { relayId: string; origin: string; linkId: string; masterSae: string; slaveSaes: string[]; keys: { keyId: string; bits: number; chunkIds: string[] }[] }): PeerReply {
    const link = this.graph.linkBetween(from, this.nodeId);
    if (msg.origin !== from || !link || link.id !== msg.linkId) return { ok: false, retry: false, reason: `direct keys must come from the neighbour at the other end of ${msg.linkId}` };
    const now = this.clock.nowMs();
    const run = () =>
      this.db.transaction((): PeerReply => {
        for (const k of msg.keys) {
          if (this.appKeys.get.get(k.keyId)) continue; // a resend: already taken
          for (const id of k.chunkIds) if (/^q\d+$/.test(id)) this.qkd.ensurePulled(link.id, Number(id.slice(1)), now);
          const pad = this.pool.takeNamedPad(link.id, k.chunkIds, from, k.bits, msg.relayId, now);
          if (!pad.ok) throw new RelayAbort(JSON.stringify(pad));
          this.appKeys.insert.run(k.keyId, from, this.nodeId, k.bits, pad.pad, 'ready', null, now);
          this.appKeys.assign.run(msg.masterSae, JSON.stringify(msg.slaveSaes), k.keyId);
        }
        return { ok: true };
      })();
    try {
      return run();
    } catch (err) {
      if (err instanceof RelayAbort) return JSON.parse(err.message) as PeerReply;
      throw err;
    }
  }

  /**
   * Keys for a master SAE on this node and slave SAEs on `dest`: taken from the ready buffer, relayed on demand when
   * the buffer is short. The destination KME learns the assignment before the master sees the keys, so the slaves
   * can always fetch what the master was given.
   */
  async obtainKeys(req: { dest: string; number: number; bits: number; masterSae: string; slaveSaes: string[] }): Promise<ObtainResult> {
    if (req.dest === this.nodeId) return { ok: true, keys: this.localKeys(req) };
    const direct = this.directLink(req.dest);
    if (direct) return this.directKeys(direct, req);
    this.demand.add(req.dest);
    const short = req.number - this.readyCount(req.dest, req.bits);
    // A request that has to wait for a relay first reserves the ready keys it will use, and its own relayed keys
    // are reserved on arrival: no concurrent request can take them while it waits (that race made concurrent
    // requests fail with "taken by concurrent requests" when relays were slow, e.g. under heavy CPU load).
    const own = new Set<string>();
    if (short > 0) {
      const reserveNow = req.number - short;
      if (reserveNow > 0) {
        const now = this.clock.nowMs();
        this.db.transaction(() => {
          for (const r of this.appKeys.pickReady.all(this.nodeId, req.dest, req.bits, reserveNow) as { key_id: string }[]) {
            if (this.appKeys.setState.run('reserved', now, r.key_id, 'ready').changes === 1) own.add(r.key_id);
          }
        })();
      }
      const release = () => {
        const now = this.clock.nowMs();
        for (const id of own) this.reserveOnDelivery.delete(id);
        this.db.transaction(() => { for (const id of own) this.appKeys.setState.run('ready', now, id, 'reserved'); })();
      };
      let started = this.startRelays(req.dest, req.number - own.size, req.bits, this.config.shares, true);
      if (!started.ok && this.refreshRemoteLevels) {
        await this.refreshRemoteLevels();
        started = this.startRelays(req.dest, req.number - own.size, req.bits, this.config.shares, true);
      }
      if (!started.ok) {
        release();
        return { ok: false, status: 503, message: `not enough key to ${req.dest}: ${started.reason}` };
      }
      for (const id of started.keyIds) own.add(id);
      if (!(await this.waitReady(started.keyIds))) {
        release();
        return { ok: false, status: 503, message: `key relay to ${req.dest} did not complete in time` };
      }
    }
    // all or nothing, in one transaction: the keys leave the buffer and their bytes leave this node's disk
    const now = this.clock.nowMs();
    const keys = this.db.transaction(() => {
      const rows: { key_id: string; bytes: Buffer }[] = own.size ? [] : (this.appKeys.pickReady.all(this.nodeId, req.dest, req.bits, req.number) as { key_id: string; bytes: Buffer }[]);
      for (const id of own) {
        this.reserveOnDelivery.delete(id);
        const row = this.appKeys.get.get(id) as AppKeyRow | undefined;
        if (row?.state === 'reserved' || row?.state === 'ready') rows.push({ key_id: id, bytes: row.bytes });
      }
      if (rows.length < req.number) {
        for (const id of own) this.appKeys.setState.run('ready', now, id, 'reserved');
        return null;
      }
      for (const r of rows) this.appKeys.erase.run('erased', now, r.key_id);
      this.appKeys.addUsage.run(req.masterSae, 'master', req.slaveSaes.join(','), rows.length, rows.length * req.bits);
      return rows.map((r) => ({ keyId: r.key_id, bytes: Buffer.from(r.bytes) }));
    })();
    if (!keys) return { ok: false, status: 503, message: `keys to ${req.dest} were taken by concurrent requests; try again` };
    const keyIds = keys.map((k) => k.keyId);
    const reply = await this.transport.send(this.nodeId, req.dest, { type: 'assign', origin: this.nodeId, keyIds, masterSae: req.masterSae, slaveSaes: req.slaveSaes }).catch((err: Error) => ({ ok: false as const, retry: true, reason: err.message }));
    if (!reply.ok) {
      // the destination may or may not have recorded the assignment: these keys can never be handed out safely
      this.db.transaction(() => { for (const id of keyIds) this.appKeys.erase.run('failed', this.clock.nowMs(), id); })();
      for (const k of keys) k.bytes.fill(0);
      return { ok: false, status: 503, message: `destination KME ${req.dest} unreachable: ${reply.reason}` };
    }
    this.scheduleRefill(req.dest);
    return { ok: true, keys };
  }

  /** Master and slaves on this node: fresh random keys, assigned at once (one transaction, no link crossed). */
  private localKeys(req: { number: number; bits: number; masterSae: string; slaveSaes: string[] }): { keyId: string; bytes: Buffer }[] {
    const now = this.clock.nowMs();
    const slaves = JSON.stringify(req.slaveSaes);
    return this.db.transaction(() => {
      const out: { keyId: string; bytes: Buffer }[] = [];
      for (let i = 0; i < req.number; i++) {
        const keyId = randomUUID();
        const bytes = randomBytes(req.bits / 8);
        this.appKeys.insert.run(keyId, this.nodeId, this.nodeId, req.bits, bytes, 'ready', null, now);
        this.appKeys.assign.run(req.masterSae, slaves, keyId);
        out.push({ keyId, bytes });
      }
      this.appKeys.addUsage.run(req.masterSae, 'master', req.slaveSaes.join(','), req.number, req.number * req.bits);
      return out;
    })();
  }


  /** Keys for a slave SAE, by the ids its master passed on: all or nothing, each to each slave once. */
  decKeys(req: { masterSae: string; slaveSae: string; keyIds: string[] }): { ok: true; keys: { keyId: string; bytes: Buffer }[] } | { ok: false; missing: string[] } {
    const now = this.clock.nowMs();
    return this.db.transaction(() => {
      const out: { keyId: string; bytes: Buffer }[] = [];
      const missing: string[] = [];
      const seen = new Set<string>();
      for (const id of req.keyIds) {
        const row = this.appKeys.get.get(id) as AppKeyRow | undefined;
        const slaves: string[] = row?.slave_saes ? JSON.parse(row.slave_saes) : [];
        const delivered: string[] = row ? JSON.parse(row.delivered_to) : [];
        if (!row || row.state !== 'assigned' || row.dest !== this.nodeId || row.master_sae !== req.masterSae || !slaves.includes(req.slaveSae) || delivered.includes(req.slaveSae) || seen.has(id)) {
          missing.push(id);
          continue;
        }
        seen.add(id);
        out.push({ keyId: id, bytes: Buffer.from(row.bytes) });
      }
      if (missing.length) return { ok: false as const, missing };
      let bits = 0;
      for (const { keyId } of out) {
        const row = this.appKeys.get.get(keyId) as AppKeyRow;
        bits += row.bits;
        const delivered: string[] = [...JSON.parse(row.delivered_to), req.slaveSae];
        const slaves: string[] = JSON.parse(row.slave_saes!);
        if (slaves.every((s) => delivered.includes(s))) this.appKeys.erase.run('erased', now, keyId);
        else this.appKeys.deliver.run(JSON.stringify(delivered), keyId);
      }
      this.appKeys.addUsage.run(req.slaveSae, 'slave', req.masterSae, out.length, bits);
      return { ok: true as const, keys: out };
    })();
  }

  usage(): { sae: string; role: string; peer: string; keys: number; bits: number }[] {
    return this.appKeys.usage.all() as never;
  }

  /** Keeps `bufferTarget` default-size keys ready toward destinations that have seen demand. */
  private scheduleRefill(dest: string): void {
    if (dest === this.nodeId || this.refilling.has(dest) || this.closed) return;
    // counting the buffer costs two index scans: at most once per 20 ms per destination
    const now = this.clock.nowMs();
    if ((this.lastRefillCheck.get(dest) ?? -Infinity) > now - 20) return;
    this.lastRefillCheck.set(dest, now);
    const relaying = (this.sql(`SELECT COUNT(*) AS n FROM app_keys WHERE origin = ? AND dest = ? AND state = 'relaying'`).get(this.nodeId, dest) as { n: number }).n;
    const missing = Math.min(this.config.bufferTarget, this.config.maxKeyCount) - this.readyCount(dest) - relaying;
    if (missing < this.config.bufferTarget / 4) return;
    this.refilling.add(dest);
    setImmediate(() => {
      this.refilling.delete(dest);
      if (this.closed) return;
      const r = this.startRelays(dest, Math.min(missing, 64), this.config.defaultKeyBits);
      if (!r.ok) this.log.debug('refill-short', { dest, reason: r.reason });
    });
  }

  /** Pre-relays `count` default-size keys toward `dest` and waits for them (demo and bench warm-up). */
  async prefill(dest: string, count: number): Promise<boolean> {
    this.demand.add(dest);
    for (let left = count; left > 0; left -= 64) {
      const r = this.startRelays(dest, Math.min(64, left), this.config.defaultKeyBits);
      if (!r.ok || !(await this.waitReady(r.keyIds))) return false;
    }
    return true;
  }

  // ------------------------------------------------------------------ peer messages

  /** Handles one message from an authenticated peer KME. */
  handlePeer(from: string, raw: unknown): PeerReply {
    const reply = this.handleOne(from, raw);
    if (reply.ok) this.kick();
    return reply;
  }

  /**
   * A batch from one peer in one transaction (each message in its own savepoint, so one refusal or error leaves the
   * others standing): one commit instead of one per message.
   */
  handlePeerBatch(from: string, raws: unknown[]): PeerReply[] {
    const replies = this.db.transaction(() =>
      raws.map((raw): PeerReply => {
        try {
          return this.db.transaction(() => this.handleOne(from, raw))();
        } catch (err) {
          return { ok: false, retry: true, reason: (err as Error).message };
        }
      }),
    )();
    this.kick();
    return replies;
  }

  private handleOne(from: string, raw: unknown): PeerReply {
    const parsed = peerMessage.safeParse(raw);
    if (!parsed.success) return { ok: false, retry: false, reason: `bad message: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}` };
    const msg = parsed.data;
    let reply: PeerReply;
    switch (msg.type) {
      case 'relay':
        reply = this.onRelay(from, msg);
        break;
      case 'relay-delivered': {
        // only the destination can say it has the key
        const relay = this.sql(`SELECT dest FROM relays WHERE relay_id = ?`).get(msg.relayId) as { dest: string } | undefined;
        reply = relay && relay.dest !== from ? { ok: false, retry: false, reason: `relay ${msg.relayId} ends at ${relay.dest}, not ${from}` } : this.onDone(msg.relayId, msg.keyId, true, '');
        break;
      }
      case 'relay-failed':
        reply = this.onDone(msg.relayId, msg.keyId, false, `${msg.at}: ${msg.reason}`);
        break;
      case 'assign':
        reply = this.onAssign(from, msg);
        break;
      case 'direct-keys':
        reply = this.onDirectKeys(from, msg);
        break;
    }
    return reply;
  }

  private onRelay(from: string, msg: RelayMessage): PeerReply {
    if (msg.path[msg.hop] !== this.nodeId || msg.path[msg.hop - 1] !== from) return { ok: false, retry: false, reason: `relay hop ${msg.hop} is not ${from} → ${this.nodeId}` };
    const link = this.graph.linkBetween(from, this.nodeId);
    if (!link || link.id !== msg.linkId) return { ok: false, retry: false, reason: `no link ${msg.linkId} between ${from} and ${this.nodeId}` };
    if (msg.bits % 8 !== 0 || Buffer.byteLength(msg.cipherB64, 'base64') !== msg.bits / 8) return { ok: false, retry: false, reason: 'ciphertext length does not match bits' };
    const attempt = (): PeerReply => this.db.transaction((): PeerReply => {
      if (this.sql(`SELECT 1 FROM hops WHERE relay_id = ? AND share = ?`).get(msg.relayId, msg.share)) return { ok: true };
      const now = this.clock.nowMs();
      for (const id of msg.chunkIds) if (/^q\d+$/.test(id)) this.qkd.ensurePulled(link.id, Number(id.slice(1)), now);
      const pad = this.pool.takeNamedPad(link.id, msg.chunkIds, from, msg.bits, msg.relayId, now);
      if (!pad.ok) return pad;
      const plain = xorInto(Buffer.from(msg.cipherB64, 'base64'), pad.pad);
      const hop = this.sql(`INSERT INTO hops (relay_id, share, from_node, to_node, outcome, at_ms) VALUES (?, ?, ?, ?, ?, ?)`);
      if (msg.dest === this.nodeId) {
        this.storeShare(msg, plain, now);
        hop.run(msg.relayId, msg.share, from, null, 'stored', now);
      } else {
        const forwarded = this.forward(msg, plain, now);
        if (forwarded.ok) {
          hop.run(msg.relayId, msg.share, from, forwarded.next, 'forwarded', now);
        } else {
          this.pool.markWasted(msg.relayId, link.id);
          hop.run(msg.relayId, msg.share, from, null, 'failed', now);
          this.enqueue(msg.origin, { type: 'relay-failed', relayId: msg.relayId, keyId: msg.keyId, at: this.nodeId, reason: forwarded.reason }, now);
        }
      }
      plain.fill(0);
      return { ok: true };
    })();
    // a retryable refusal: a named chunk is not produced here yet (clocks of two processes differ slightly)
    const reply = attempt();
    if (reply.ok) this.faults?.afterHopCommitted?.(msg.relayId);
    return reply;
  }

  /** Destination: keeps the share; when all shares are in, the key is ready and the origin is told. */
  private storeShare(msg: RelayMessage, plain: Buffer, now: number): void {
    if (msg.shares === 1) {
      this.appKeys.insert.run(msg.keyId, msg.origin, this.nodeId, msg.bits, plain, 'ready', msg.relayId, now);
      this.enqueue(msg.origin, { type: 'relay-delivered', relayId: msg.relayId, keyId: msg.keyId, dest: this.nodeId }, now);
      return;
    }
    this.sql(`INSERT OR IGNORE INTO share_parts (key_id, share, shares, relay_id, origin, bits, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(msg.keyId, msg.share, msg.shares, msg.relayId, msg.origin, msg.bits, plain);
    const parts = this.sql(`SELECT bytes FROM share_parts WHERE key_id = ?`).all(msg.keyId) as { bytes: Buffer }[];
    if (parts.length < msg.shares) return;
    const key = Buffer.alloc(msg.bits / 8);
    for (const p of parts) xorInto(key, p.bytes);
    this.sql(`DELETE FROM share_parts WHERE key_id = ?`).run(msg.keyId);
    this.appKeys.insert.run(msg.keyId, msg.origin, this.nodeId, msg.bits, key, 'ready', msg.relayId, now);
    key.fill(0);
    this.enqueue(msg.origin, { type: 'relay-delivered', relayId: msg.relayId, keyId: msg.keyId, dest: this.nodeId }, now);
  }

  /** Trusted node: re-encrypts with the next link's pad; re-plans the rest of the path if that link is short. */
  private forward(msg: RelayMessage, plain: Buffer, now: number): { ok: true; next: string } | { ok: false; reason: string } {
    let path = msg.path;
    let next = path[msg.hop + 1]!;
    let nextLink = this.graph.linkBetween(this.nodeId, next);
    if (!nextLink || this.spendableBits(nextLink.id) < msg.bits) {
      const visited = new Set(path.slice(0, msg.hop));
      const rest = keyAwarePath(this.graph, this.levelOf, this.nodeId, msg.dest, { needBits: msg.bits, lowWaterBits: this.config.lowWaterBits, lowPoolPenalty: this.config.lowPoolPenalty, avoid: visited });
      if (!rest) return { ok: false, reason: `no path onward from ${this.nodeId} with ${msg.bits} bits of key` };
      path = [...path.slice(0, msg.hop), ...rest];
      next = path[msg.hop + 1]!;
      nextLink = this.graph.linkBetween(this.nodeId, next)!;
      this.log.info('relay-rerouted', { relayId: msg.relayId, path });
    }
    const pad = this.takePad(nextLink.id, msg.bits, msg.relayId, now);
    if (!pad.ok) return { ok: false, reason: pad.reason };
    const cipher = xorInto(Buffer.from(plain), pad.pad).toString('base64');
    this.enqueue(next, { ...msg, path, hop: msg.hop + 1, linkId: nextLink.id, chunkIds: pad.chunkIds, cipherB64: cipher }, now);
    return { ok: true, next };
  }

  private onDone(relayId: string, keyId: string, delivered: boolean, reason: string): PeerReply {
    const now = this.clock.nowMs();
    const changed = this.db.transaction(() => {
      const r = this.sql(`UPDATE relays SET state = ?, reason = ?, done_ms = ? WHERE relay_id = ? AND state = 'relaying'`).run(delivered ? 'delivered' : 'failed', reason || null, now, relayId);
      if (delivered) this.appKeys.setState.run(this.reserveOnDelivery.has(keyId) ? 'reserved' : 'ready', now, keyId, 'relaying');
      else {
        this.appKeys.erase.run('failed', now, keyId);
        // the pads this node spent on a key that never arrived were wasted, not used
        this.sql(`UPDATE chunks SET wasted_bits = wasted_bits + used_bits, used_bits = 0 WHERE relay_id = ?`).run(relayId);
      }
      return r.changes === 1;
    })();
    if (changed) {
      if (!delivered) this.log.warn('relay-failed', { relayId, reason });
      this.waiters.get(keyId)?.(delivered);
    }
    return { ok: true };
  }

  private onAssign(from: string, msg: { origin: string; keyIds: string[]; masterSae: string; slaveSaes: string[] }): PeerReply {
    if (msg.origin !== from) return { ok: false, retry: false, reason: 'assignments come from the origin KME only' };
    try {
      return this.assignTx(from, msg);
    } catch (err) {
      return { ok: false, retry: false, reason: (err as Error).message };
    }
  }

  private assignTx(from: string, msg: { keyIds: string[]; masterSae: string; slaveSaes: string[] }): PeerReply {
    return this.db.transaction((): PeerReply => {
      for (const id of msg.keyIds) {
        const row = this.appKeys.get.get(id) as AppKeyRow | undefined;
        if (!row || row.origin !== from || row.dest !== this.nodeId) throw new Error(`key ${id} from ${from} unknown here`);
        if (row.state === 'assigned' && row.master_sae === msg.masterSae && row.slave_saes === JSON.stringify(msg.slaveSaes)) continue;
        if (row.state !== 'ready') throw new Error(`key ${id} is ${row.state}`);
        this.appKeys.assign.run(msg.masterSae, JSON.stringify(msg.slaveSaes), id);
      }
      return { ok: true };
    })();
  }

  // ------------------------------------------------------------------ outbox

  private enqueue(to: string, msg: PeerMessage, now: number): string {
    return this.outbox.enqueue(to, msg, now);
  }

  /** Sends whatever the outbox holds (soon, not now: callers are often inside a peer's request). */
  kick(): void {
    if (!this.closed) this.outbox.kick();
  }

  /** A peer refused a message for good: a relay hop's pad is wasted and the origin learns that its key failed. */
  private refused(msg: PeerMessage, reason: string): void {
    this.log.warn('peer-refused', { type: msg.type, reason });
    if (msg.type !== 'relay') return;
    this.pool.markWasted(msg.relayId, msg.linkId);
    if (msg.origin === this.nodeId) this.onDone(msg.relayId, msg.keyId, false, reason);
    else this.enqueue(msg.origin, { type: 'relay-failed', relayId: msg.relayId, keyId: msg.keyId, at: this.nodeId, reason }, this.clock.nowMs());
  }

  pendingOutbox(): number {
    return this.outbox.pending();
  }

  // ------------------------------------------------------------------ operator views

  relays(limit = 100): { relayId: string; keyId: string; origin: string; dest: string; bits: number; shares: number; paths: string[][]; state: string; reason: string | null; createdMs: number; doneMs: number | null }[] {
    return (this.sql(`SELECT * FROM relays ORDER BY created_ms DESC LIMIT ?`).all(limit) as Record<string, unknown>[]).map((r) => ({
      relayId: r.relay_id as string, keyId: r.key_id as string, origin: r.origin as string, dest: r.dest as string, bits: r.bits as number, shares: r.shares as number,
      paths: JSON.parse(r.paths as string), state: r.state as string, reason: (r.reason as string) ?? null, createdMs: r.created_ms as number, doneMs: (r.done_ms as number) ?? null,
    }));
  }

  /** Hop log of this node: which relays passed through it and where they went. */
  hops(limit = 100): { relayId: string; share: number; from: string | null; to: string | null; outcome: string; atMs: number }[] {
    return (this.sql(`SELECT * FROM hops ORDER BY at_ms DESC LIMIT ?`).all(limit) as Record<string, unknown>[]).map((r) => ({
      relayId: r.relay_id as string, share: r.share as number, from: (r.from_node as string) ?? null, to: (r.to_node as string) ?? null, outcome: r.outcome as string, atMs: r.at_ms as number,
    }));
  }

  /**
   * What this node's pools gave to one relay (or direct key): per link, the bits used and wasted and, for
   * satellite key, the blocks and their pass provenance — the audit trail of convention 10, hop by hop.
   */
  trace(relayId: string): { node: string; linkId: string; source: string; usedBits: number; wastedBits: number; blocks: { blockId: string; provenance: unknown }[] }[] {
    const rows = this.sql(`SELECT link_id, source, block_id, SUM(used_bits) AS used, SUM(wasted_bits) AS wasted FROM chunks WHERE relay_id = ? GROUP BY link_id, source, block_id`).all(relayId) as { link_id: string; source: string; block_id: string | null; used: number; wasted: number }[];
    const byLink = new Map<string, { node: string; linkId: string; source: string; usedBits: number; wastedBits: number; blocks: { blockId: string; provenance: unknown }[] }>();
    for (const r of rows) {
      const key = `${r.link_id}|${r.source}`;
      let e = byLink.get(key);
      if (!e) byLink.set(key, (e = { node: this.nodeId, linkId: r.link_id, source: r.source, usedBits: 0, wastedBits: 0, blocks: [] }));
      e.usedBits += r.used;
      e.wastedBits += r.wasted;
      if (r.block_id) {
        const b = this.sql(`SELECT provenance FROM sat_blocks WHERE block_id = ?`).get(r.block_id) as { provenance: string } | undefined;
        e.blocks.push({ blockId: r.block_id, provenance: b ? JSON.parse(b.provenance) : null });
      }
    }
    return [...byLink.values()];
  }

  /** App keys by state, for audits: the ids with their state (never bytes). */
  appKeyStates(): { keyId: string; origin: string; dest: string; state: string; bits: number }[] {
    return (this.sql(`SELECT key_id, origin, dest, state, bits FROM app_keys`).all() as Record<string, unknown>[]).map((r) => ({ keyId: r.key_id as string, origin: r.origin as string, dest: r.dest as string, state: r.state as string, bits: r.bits as number }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.outbox.close();
    for (const w of this.waiters.values()) w(false);
    this.unregisterCheckpoints();
    this.db.close();
  }
}

class RelayAbort extends Error {}

interface DirectKeyRequest {
  dest: string;
  number: number;
  bits: number;
  masterSae: string;
  slaveSaes: string[];
}

interface DirectKeyQueued {
  linkId: string;
  req: DirectKeyRequest;
  resolve: (r: ObtainResult) => void;
  reject: (err: unknown) => void;
}

/**
 * Satellite as trusted relay (Liao et al., PRL 120, 030501, 2018): the satellite shares kA with station A and kB with
 * station B and publishes kA ⊕ kB; each station recovers the other's key from its own, so both end up holding kA.
 * Station A calls this with (kA, kA ⊕ kB, 'A'), station B with (kB, kA ⊕ kB, 'B'): both get kA.
 */
export function satelliteRelayKey(ownKey: Uint8Array, publishedXor: Uint8Array, role: 'A' | 'B'): Buffer {
  if (ownKey.length !== publishedXor.length) throw new Error('the two blocks of a satellite relay must be the same length');
  return role === 'A' ? Buffer.from(ownKey) : xorInto(Buffer.from(publishedXor), ownKey);
}
