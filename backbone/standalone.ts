/**
 * One KME as its own process (multi-process mode): the Kme, its HTTPS port (ETSI 014 for its SAEs, the inter-KME
 * protocol for its peers, satellite-key hand-over for its station's key store), the pools ticking on the real
 * clock, remote pool levels polled from the other KMEs, and optionally the operator API for this node.
 */
import type { Clock } from '../planner/time.ts';
import type { Logger } from '../planner/log.ts';
import { TopologyGraph } from './topology/graph.ts';
import type { Topology } from './topology/schema.ts';
import { Kme, type KmeConfig, type KmeOptions } from './kme.ts';
import { startKmeServer, type KmeServer, type TlsMaterial } from './etsi/server.ts';
import { HttpsPeerTransport, PolledLevels } from './relay/https-transport.ts';
import { startOperatorApi } from './operator/api.ts';

export interface StandaloneKmeOptions {
  topology: Topology;
  nodeId: string;
  dataDir: string;
  clock: Clock;
  tls: TlsMaterial;
  qkdSeed: string;
  qkdEpochMs: number;
  tickMs?: number;
  levelPollMs?: number;
  operatorPort?: number;
  config?: Partial<KmeConfig>;
  logger?: Logger;
  faults?: KmeOptions['faults'];
}

export interface StandaloneKme {
  kme: Kme;
  server: KmeServer;
  operatorUrl?: string;
  close(): Promise<void>;
}

export async function startStandaloneKme(opts: StandaloneKmeOptions): Promise<StandaloneKme> {
  const graph = new TopologyGraph(opts.topology);
  const me = opts.topology.nodes.find((n) => n.id === opts.nodeId);
  if (!me) throw new Error(`node ${opts.nodeId} is not in topology ${opts.topology.name}`);
  if (!me.kme) throw new Error(`node ${opts.nodeId} has no kme {host, port} in topology ${opts.topology.name}`);
  const endpoints = new Map(opts.topology.nodes.filter((n) => n.kme).map((n) => [n.id, `https://${n.kme!.host}:${n.kme!.port}`]));
  const transport = new HttpsPeerTransport(endpoints, opts.tls);
  const levels = new PolledLevels(transport, [...endpoints.keys()].filter((n) => n !== opts.nodeId), opts.levelPollMs);
  const kme = new Kme({ nodeId: opts.nodeId, graph, dataDir: opts.dataDir, clock: opts.clock, transport, qkd: { seed: opts.qkdSeed, epochMs: opts.qkdEpochMs }, remoteLevels: levels.view, refreshRemoteLevels: () => levels.pollOnce(), config: opts.config, logger: opts.logger, faults: opts.faults });
  kme.tick();
  const server = await startKmeServer({ kme, graph, tls: opts.tls, host: me.kme.host, port: me.kme.port, peers: true });
  levels.start();
  const timer = setInterval(() => kme.tick(), opts.tickMs ?? 1000);
  const operator = opts.operatorPort !== undefined ? await startOperatorApi({ graph, kmes: new Map([[kme.nodeId, kme]]), endpoints }, { port: opts.operatorPort }) : undefined;
  return {
    kme,
    server,
    operatorUrl: operator?.url,
    async close() {
      clearInterval(timer);
      levels.stop();
      await server.close();
      await operator?.close();
      transport.close();
      kme.close();
    },
  };
}
