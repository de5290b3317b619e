/** `satqkd kme`: one key management entity as its own process (multi-process backbone). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags, required, numberFlag, UsageError, type CliCommand } from '../command.ts';
import { loadTopologyFile } from '../../backbone/topology/load.ts';
import { formatIssues } from '../../backbone/topology/schema.ts';
import { startStandaloneKme } from '../../backbone/standalone.ts';
import { kmeCommonName } from '../../backbone/pki.ts';
import { createJsonLogger } from '../../planner/log.ts';

const usage = `usage: satqkd kme --node ID --topology FILE --pki DIR [--data DIR] [--qkd-seed S] [--qkd-epoch ISO] [--operator-port N]

Runs the KME of one node: ETSI GS QKD 014 for its SAEs and the inter-KME protocol for its peers on the HTTPS port
given in the topology (nodes[].kme), mutual TLS with the certificates in --pki (ca.pem, kme.<ID>.crt.pem,
kme.<ID>.key.pem; make them with 'satqkd backbone pki'). Every KME of one backbone must be given the same
--qkd-seed and --qkd-epoch (the simulated fibre QKD derives both ends' key from them).
  --data DIR         SQLite key pools (default ./var/backbone)
  --qkd-epoch ISO    start of the simulated fibre key production (default: the start of the current minute, less 60 s)
  --operator-port N  also serve this node's operator API on 127.0.0.1:N`;

export const command: CliCommand = {
  name: 'kme',
  summary: 'run one backbone KME (ETSI GS QKD 014 + inter-KME relay over mutual TLS)',
  usage,
  async run(argv, io) {
    const v = parseFlags(argv, { node: { type: 'string' }, topology: { type: 'string' }, pki: { type: 'string' }, data: { type: 'string' }, 'qkd-seed': { type: 'string' }, 'qkd-epoch': { type: 'string' }, 'operator-port': { type: 'string' } }, { usage }, io);
    if (!v) return 0;
    const nodeId = required(v, 'node');
    const topoPath = required(v, 'topology');
    const pki = required(v, 'pki');
    const operatorPort = numberFlag(v, 'operator-port');
    let epochMs: number;
    if (v['qkd-epoch'] !== undefined) {
      const ms = Date.parse(v['qkd-epoch']);
      if (!/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(v['qkd-epoch']) || !Number.isFinite(ms)) throw new UsageError(`--qkd-epoch must be an ISO-8601 instant with a zone, got '${v['qkd-epoch']}'`);
      epochMs = ms;
    } else epochMs = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
    const topo = loadTopologyFile(topoPath);
    if (!topo.ok) {
      io.stderr.write(formatIssues(topo.issues) + '\n');
      return 1;
    }
    const files = { ca: join(pki, 'ca.pem'), cert: join(pki, `${kmeCommonName(nodeId)}.crt.pem`), key: join(pki, `${kmeCommonName(nodeId)}.key.pem`) };
    for (const f of Object.values(files)) if (!existsSync(f)) throw new UsageError(`--pki ${pki}: missing ${f}`);
    const logger = createJsonLogger({ write: (l) => io.stdout.write(l), nowMs: () => Date.now(), base: { node: nodeId } });
    // reliability tests kill the process right after the n-th committed relay hop, before it forwards anything
    const killAfter = Number(io.env.SATQKD_FAULT_KILL_AFTER_HOPS ?? 0);
    let hops = 0;
    const faults = killAfter > 0 ? { afterHopCommitted: () => { if (++hops === killAfter) process.kill(process.pid, 'SIGKILL'); } } : undefined;
    let running;
    try {
      running = await startStandaloneKme({
        topology: topo.topology, nodeId, dataDir: v.data ?? join(io.cwd, 'var', 'backbone'), clock: { nowMs: () => Date.now() },
        tls: { caPem: readFileSync(files.ca, 'utf8'), certPem: readFileSync(files.cert, 'utf8'), keyPem: readFileSync(files.key, 'utf8') },
        qkdSeed: v['qkd-seed'] ?? 'satqkd-sim', qkdEpochMs: epochMs, operatorPort, logger, faults,
      });
    } catch (err) {
      io.stderr.write(`satqkd kme: ${(err as Error).message}\n`);
      return 1;
    }
    logger.info('kme-ready', { url: running.server.url, operator: running.operatorUrl ?? null });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await running.close();
    return 0;
  },
};
