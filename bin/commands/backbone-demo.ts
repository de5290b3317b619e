/** `satqkd backbone-demo`: the bundled backbone in one process, pools filled, ETSI 014 endpoints for every SAE. */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseFlags, required, numberFlag, UsageError, type CliCommand } from '../command.ts';
import { bundledTopologyPath, loadTopologyFile } from '../../backbone/topology/load.ts';
import { formatIssues } from '../../backbone/topology/schema.ts';
import { startBackbone } from '../../backbone/start.ts';
import { syntheticRelayPass } from '../../backbone/demo-pass.ts';
import { createJsonLogger } from '../../planner/log.ts';

const usage = `usage: satqkd backbone-demo --out DIR [--topology FILE] [--prefill-s S] [--satellite-kbit N] [--shares K] [--operator-port N]

Starts every KME of the backbone (default: the bundled Beijing–Shanghai network) in this process, fills the fibre
pools with S seconds of simulated QKD (default 20), ingests one synthetic satellite-as-relay pass of N kbit
(default 1024) at both ground stations, and writes under DIR: the test CA, a client certificate and key per SAE,
and endpoints.json = {"ca","saes":[{"id","kme","cert","key"}]}. Serves until stopped (Ctrl-C).
DIR/data holds the SQLite pools; the demo starts them afresh.`;

export const command: CliCommand = {
  name: 'backbone-demo',
  summary: 'run the bundled trusted-relay backbone with ETSI GS QKD 014 endpoints (one process)',
  usage,
  async run(argv, io) {
    const v = parseFlags(argv, { out: { type: 'string' }, topology: { type: 'string' }, 'prefill-s': { type: 'string' }, 'satellite-kbit': { type: 'string' }, shares: { type: 'string' }, 'operator-port': { type: 'string' } }, { usage }, io);
    if (!v) return 0;
    const out = resolve(io.cwd, required(v, 'out'));
    const prefillS = numberFlag(v, 'prefill-s', 20)!;
    const satKbit = numberFlag(v, 'satellite-kbit', 1024)!;
    const shares = numberFlag(v, 'shares', 1)!;
    if (prefillS < 0 || prefillS > 600) throw new UsageError('--prefill-s must be within 0..600');
    if (!Number.isInteger(satKbit) || satKbit < 0 || satKbit > 65536) throw new UsageError('--satellite-kbit must be an integer within 0..65536');
    if (!Number.isInteger(shares) || shares < 1 || shares > 4) throw new UsageError('--shares must be 1..4');
    const topo = loadTopologyFile(v.topology ? resolve(io.cwd, v.topology) : bundledTopologyPath);
    if (!topo.ok) {
      io.stderr.write(formatIssues(topo.issues) + '\n');
      return 1;
    }
    const dataDir = join(out, 'data');
    mkdirSync(dataDir, { recursive: true });
    // a fresh demo: drop only the pool files this demo itself writes
    for (const f of readdirSync(dataDir)) if (/\.sqlite(-wal|-shm)?$/.test(f)) rmSync(join(dataDir, f));
    const clock = { nowMs: () => Date.now() };
    const logger = createJsonLogger({ write: (l) => io.stderr.write(l), nowMs: clock.nowMs, level: 'warn' });
    const bb = await startBackbone({ topology: topo.topology, dataDir, pkiDir: join(out, 'pki'), clock, qkdEpochMs: clock.nowMs() - prefillS * 1000, operatorPort: numberFlag(v, 'operator-port'), config: { shares }, logger });
    const say = (s: string) => io.stdout.write(s + '\n');
    // satellite keys: one pass over every satellite link, both stations' blocks
    for (const l of topo.topology.links.filter((x) => x.kind === 'satellite' && satKbit > 0)) {
      const pass = syntheticRelayPass({ stationA: l.a, stationB: l.b, satelliteId: 'MICIUS', endMs: clock.nowMs() - 60_000, bits: satKbit * 1024 });
      for (const [node, block] of [[l.a, pass.a], [l.b, pass.b]] as const) {
        const r = bb.kmes.get(node)!.ingestSatelliteKey({ stationNodes: block.stationNodes, blockId: block.blockId, keyBytes: Buffer.from(block.keyB64, 'base64'), provenance: block.provenance, peerProvenance: block.peerProvenance });
        if (!r.ok) throw new Error(`satellite key for ${l.id}: ${r.field}: ${r.message}`);
      }
      say(`satellite link ${l.id}: ${satKbit} kbit ingested at both stations (block ${pass.a.blockId})`);
    }
    const endpointsPath = join(out, 'endpoints.json');
    writeFileSync(endpointsPath, JSON.stringify(bb.endpoints(), null, 2) + '\n');
    say(`backbone '${topo.topology.name}': ${bb.kmes.size} KMEs, ${bb.servers.size} ETSI GS QKD 014 endpoints (mutual TLS)`);
    for (const s of bb.saes) say(`  ${s.id.padEnd(14)} ${s.kme}  (node ${s.node})`);
    say(`endpoints: ${endpointsPath}`);
    say(`operator API: ${bb.operatorUrl}/api/backbone/pools   web view: ${bb.operatorUrl}/backbone`);
    say('serving; Ctrl-C to stop');
    await new Promise<void>((r) => {
      process.once('SIGINT', r);
      process.once('SIGTERM', r);
    });
    await bb.close();
    return 0;
  },
};
