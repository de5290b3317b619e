/**
 * Every KME of a topology in one process, linked by direct calls (the demo, tests and `npm start`).
 * The same Kme class runs alone behind HTTPS in multi-process mode (bin/commands/kme.ts).
 */
import type { Clock } from '../planner/time.ts';
import type { Logger } from '../planner/log.ts';
import { TopologyGraph } from './topology/graph.ts';
import type { Topology } from './topology/schema.ts';
import { Kme, type KmeConfig } from './kme.ts';
import { InProcessTransport } from './relay/in-process.ts';
import type { LevelView } from './relay/routing.ts';

export interface InProcessNetworkOptions {
  topology: Topology;
  dataDir: string;
  clock: Clock;
  /** Simulation seed and start of the fibre links' key production (defaults: 'satqkd-sim', now). */
  qkdSeed?: string;
  qkdEpochMs?: number;
  config?: Partial<KmeConfig>;
  logger?: Logger;
}

export interface InProcessNetwork {
  graph: TopologyGraph;
  kmes: Map<string, Kme>;
  transport: InProcessTransport;
  /** Brings every pool up to the clock and flushes outboxes. */
  tick(): void;
  /** Resolves when no KME has a message left to send (or after `timeoutMs`). */
  settle(timeoutMs?: number): Promise<boolean>;
  close(): void;
}

export function createInProcessNetwork(opts: InProcessNetworkOptions): InProcessNetwork {
  const graph = new TopologyGraph(opts.topology);
  const transport = new InProcessTransport();
  const kmes = new Map<string, Kme>();
  // one process sees every pool, so routing is exact: each link level is asked of its sending end
  const levels: LevelView = (linkId, sender) => kmes.get(sender)?.spendableBits(linkId);
  const qkd = { seed: opts.qkdSeed ?? 'satqkd-sim', epochMs: opts.qkdEpochMs ?? opts.clock.nowMs() };
  for (const n of opts.topology.nodes) {
    const kme = new Kme({ nodeId: n.id, graph, dataDir: opts.dataDir, clock: opts.clock, transport, qkd, remoteLevels: levels, config: opts.config, logger: opts.logger });
    kmes.set(n.id, kme);
    transport.peers.set(n.id, kme);
  }
  return {
    graph,
    kmes,
    transport,
    tick() {
      for (const k of kmes.values()) k.tick();
    },
    async settle(timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        let pending = 0;
        for (const k of kmes.values()) pending += k.pendingOutbox();
        if (pending === 0) return true;
        for (const k of kmes.values()) k.kick();
        await new Promise((r) => setTimeout(r, 5));
      }
      return false;
    },
    close() {
      for (const k of kmes.values()) k.close();
    },
  };
}
