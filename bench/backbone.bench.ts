/**
 * Backbone load test on loopback (issue 8): many SAEs over mutual TLS with keep-alive asking a KME for 256-bit
 * keys (ETSI GS QKD 014 enc_keys, then the slave's dec_keys), and relay throughput across 10 trusted hops.
 * The load generator runs in its own process; the KMEs run in this one. Goal: ≥ 2,000 key requests/s, p99 < 20 ms.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBackbone } from '../backbone/start.ts';
import { createInProcessNetwork } from '../backbone/network.ts';
import { lineTopology, tempDir } from '../backbone/testing/fixtures.ts';
import type { Topology } from '../backbone/topology/schema.ts';

const here = dirname(fileURLToPath(import.meta.url));
const clock = { nowMs: () => Date.now() };
const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** Two adjacent KMEs, `saes` masters on M and as many slaves on S, a fast fibre link between them. */
function pairTopology(saes: number): Topology {
  const node = (id: string) => ({ id, kind: 'metro' as const, name: id, latDeg: 31, lonDeg: 121 });
  return {
    name: 'bench-pair',
    nodes: [node('M'), node('S')],
    links: [{ id: 'M~S', a: 'M', b: 'S', kind: 'fibre', lengthKm: 10, keyRateBps: 20_000_000 }],
    saes: [...Array.from({ length: saes }, (_, i) => ({ id: `SAE-M${i}`, node: 'M' })), ...Array.from({ length: saes }, (_, i) => ({ id: `SAE-S${i}`, node: 'S' }))],
  };
}

async function etsiLoad(opts: { saes: number; concurrency: number; withDec: boolean; sameKme: boolean }): Promise<Record<string, number>> {
  const dir = tempDir('satqkd-bench-');
  const bb = await startBackbone({ topology: pairTopology(opts.saes), dataDir: join(dir, 'data'), pkiDir: join(dir, 'pki'), clock, qkdEpochMs: Date.now() - 60_000, config: { bufferTarget: 2048, maxKeyCount: 8192 } });
  try {
    if (!opts.sameKme) await bb.kmes.get('M')!.prefill('S', 2048);
    const byId = new Map(bb.saes.map((s) => [s.id, s]));
    const saes = Array.from({ length: opts.saes }, (_, i) => {
      const m = byId.get(`SAE-M${i}`)!;
      const s = byId.get(opts.sameKme ? `SAE-M${(i + 1) % opts.saes}` : `SAE-S${i}`)!;
      return { id: m.id, kme: m.kme, cert: m.certPath, key: m.keyPath, slave: s.id, slaveKme: s.kme, slaveCert: s.certPath, slaveKey: s.keyPath };
    });
    const plan = { ca: bb.pki.caPath, saes, concurrency: opts.concurrency, warmupMs: 1500, durationMs: 5000, withDec: opts.withDec };
    const cpu0 = process.cpuUsage();
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(here, '../backbone/bench-support/load-client.ts'), JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`load client exited ${code}`))));
    });
    const acct = [...bb.kmes.values()].flatMap((k) => k.accounts()).every((a) => a.producedBits === a.storedBits + a.consumedBits + a.wastedBits);
    const cpu = process.cpuUsage(cpu0);
    const res = JSON.parse(out) as Record<string, number>;
    // CPU the KMEs spent per request (user + system, refill relays included): what a quiet core could sustain
    const serverCpuUsPerReq = (cpu.user + cpu.system) / (res.encTotal! + res.decTotal!);
    return { ...res, serverCpuUsPerReq, balanced: acct ? 1 : 0 };
  } finally {
    await bb.close();
  }
}

async function relayThroughput(hops: number, keys: number): Promise<{ keysPerS: number; kbitPerS: number; hopMsgsPerS: number }> {
  const dir = tempDir('satqkd-bench-relay-');
  const net = createInProcessNetwork({ topology: lineTopology(hops, 20_000_000), dataDir: dir, clock, qkdEpochMs: Date.now() - 60_000 });
  try {
    const origin = net.kmes.get('N0')!;
    const dest = `N${hops}`;
    await origin.prefill(dest, 64); // warm-up
    const t0 = performance.now();
    const batches: Promise<boolean>[] = [];
    for (let left = keys; left > 0; left -= 64) {
      const r = origin.startRelays(dest, Math.min(64, left), 256);
      if (!r.ok) throw new Error(r.reason);
      batches.push(origin.waitReady(r.keyIds, 120_000));
      if (batches.length % 4 === 0) await Promise.all(batches.slice(-4));
    }
    const ok = (await Promise.all(batches)).every(Boolean);
    const s = (performance.now() - t0) / 1000;
    if (!ok) throw new Error('relay did not complete');
    return { keysPerS: keys / s, kbitPerS: (keys * 256) / s / 1000, hopMsgsPerS: (keys * hops) / s };
  } finally {
    net.close();
  }
}

const line = (label: string, r: Record<string, number>) =>
  console.log(
    `${label.padEnd(44)} ${fmt(r.encPerS!).padStart(6)} enc_keys/s  p50 ${fmt(r.encP50Ms!, 2)} ms  p99 ${fmt(r.encP99Ms!, 2)} ms` +
      (r.decPerS ? `  | dec_keys ${fmt(r.decPerS)}/s p50 ${fmt(r.decP50Ms!, 2)} ms p99 ${fmt(r.decP99Ms!, 2)} ms` : '') +
      `  errors ${r.errors} mismatches ${r.mismatches ?? 0} accounting ${r.balanced ? 'balanced' : 'UNBALANCED'}` +
      `  | KME CPU ${fmt(r.serverCpuUsPerReq!)} µs/request (≈ ${fmt(1e6 / r.serverCpuUsPerReq!)} req/s per free core)`,
  );

const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`machine: ${cpus().length} cores, load average ${load()} at start (other work running on the machine slows every figure)`);
console.log('ETSI GS QKD 014 over HTTPS, mutual TLS, keep-alive, 256-bit keys (load generator in its own process):');
for (const concurrency of [8, 16, 32]) line(`32 SAE pairs, adjacent KMEs, ${concurrency} in flight`, await etsiLoad({ saes: 32, concurrency, withDec: false, sameKme: false }));
line('32 SAE pairs, adjacent, enc + dec, 16 in flight', await etsiLoad({ saes: 32, concurrency: 16, withDec: true, sameKme: false }));
line('32 SAE pairs, same KME, 16 in flight', await etsiLoad({ saes: 32, concurrency: 16, withDec: false, sameKme: true }));
console.log('Key relay across 10 trusted hops (hop-by-hop OTP, batched, SQLite WAL at each node, in-process transport):');
const r = await relayThroughput(10, 2048);
console.log(`  10 hops, 2,048 keys of 256 bit: ${fmt(r.keysPerS)} keys/s = ${fmt(r.kbitPerS, 1)} kbit/s of relayed key (${fmt(r.hopMsgsPerS)} hop messages/s)`);
console.log(`load average ${load()} at end`);
