/**
 * startBackbone: every KME of a topology in this process, each SAE-serving node behind its own HTTPS (mutual TLS)
 * ETSI GS QKD 014 endpoint, pools brought up to the clock every `tickMs`, plus the operator API.
 * This is what `npm start`, `satqkd backbone-demo` and the tests call.
 */
import { realpathSync } from 'node:fs';
import type { Clock } from '../planner/time.ts';
import type { Logger } from '../planner/log.ts';
import type { Topology } from './topology/schema.ts';
import type { KmeConfig, Kme } from './kme.ts';
import { createInProcessNetwork, type InProcessNetwork } from './network.ts';
import { startKmeServer, type KmeServer } from './etsi/server.ts';
import { writeTestPki, type PkiFiles } from './pki.ts';
import { startOperatorApi } from './operator/api.ts';

export interface StartBackboneOptions {
  topology: Topology;
  dataDir: string;
  clock: Clock;
  /** Where the test CA and certificates are written (created fresh). */
  pkiDir: string;
  host?: string;
  /** Fixed ETSI ports by node (default: ephemeral). */
  ports?: Record<string, number>;
  operatorPort?: number;
  /** Serve ETSI for these nodes only (default: every node with an SAE). */
  serveNodes?: string[];
  tickMs?: number;
  qkdSeed?: string;
  qkdEpochMs?: number;
  config?: Partial<KmeConfig>;
  logger?: Logger;
  /** TLS checks certificates against the machine's real time, whatever the simulation clock says. */
  certificateClock?: Clock;
}

const systemClock: Clock = { nowMs: () => Date.now() };

export interface BackboneSae {
  id: string;
  node: string;
  kme: string;
  certPath: string;
  keyPath: string;
}

export interface RunningBackbone {
  network: InProcessNetwork;
  kmes: Map<string, Kme>;
  servers: Map<string, KmeServer>;
  saes: BackboneSae[];
  pki: PkiFiles;
  operatorUrl: string;
  /** endpoints.json of the demo: {"ca","saes":[{id,kme,cert,key}]} */
  endpoints(): { ca: string; saes: { id: string; kme: string; cert: string; key: string }[] };
  close(): Promise<void>;
}

export async function startBackbone(opts: StartBackboneOptions): Promise<RunningBackbone> {
  const network = createInProcessNetwork({ topology: opts.topology, dataDir: opts.dataDir, clock: opts.clock, qkdSeed: opts.qkdSeed, qkdEpochMs: opts.qkdEpochMs, config: opts.config, logger: opts.logger });
  const serve = opts.serveNodes ?? [...new Set(opts.topology.saes.map((s) => s.node))];
  const pki = await writeTestPki(opts.pkiDir, { kmes: serve, saes: opts.topology.saes.map((s) => s.id), nowMs: (opts.certificateClock ?? systemClock).nowMs() });
  const servers = new Map<string, KmeServer>();
  const close = async () => {
    clearInterval(timer);
    await Promise.all([...servers.values()].map((s) => s.close()));
    await operator?.close();
    network.close();
  };
  let operator: Awaited<ReturnType<typeof startOperatorApi>> | undefined;
  const timer = setInterval(() => network.tick(), opts.tickMs ?? 1000);
  timer.unref();
  try {
    network.tick();
    for (const node of serve) {
      const kme = network.kmes.get(node)!;
      const files = pki.kmes.get(node)!;
      servers.set(node, await startKmeServer({ kme, graph: network.graph, host: opts.host, port: opts.ports?.[node] ?? 0, tls: { caPem: pki.caPem, certPem: files.pem.certPem, keyPem: files.pem.keyPem } }));
    }
    operator = await startOperatorApi({ graph: network.graph, kmes: network.kmes, endpoints: new Map([...servers].map(([n, s]) => [n, s.url])) }, { host: opts.host, port: opts.operatorPort });
  } catch (err) {
    await close();
    throw err;
  }
  const saes: BackboneSae[] = opts.topology.saes.filter((s) => servers.has(s.node)).map((s) => ({ id: s.id, node: s.node, kme: servers.get(s.node)!.url, certPath: pki.saes.get(s.id)!.certPath, keyPath: pki.saes.get(s.id)!.keyPath }));
  return {
    network,
    kmes: network.kmes,
    servers,
    saes,
    pki,
    operatorUrl: operator.url,
    endpoints: () => ({ ca: realpathSync(pki.caPath), saes: saes.map((s) => ({ id: s.id, kme: s.kme, cert: realpathSync(s.certPath), key: realpathSync(s.keyPath) })) }),
    close,
  };
}
