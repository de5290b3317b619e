/** `satqkd backbone <sub>`: the backbone operator's command line. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseFlags, required, numberFlag, UsageError, type CliCommand, type CliIo } from '../command.ts';
import { loadTopologyFile } from '../../backbone/topology/load.ts';
import { formatIssues, type Topology } from '../../backbone/topology/schema.ts';
import { keystoreCommonName, writeTestPki } from '../../backbone/pki.ts';
import { EtsiClient } from '../../backbone/etsi/client.ts';
import { syntheticRelayPass } from '../../backbone/demo-pass.ts';
import { Agent, request } from 'node:https';

const usage = `usage: satqkd backbone <subcommand> [options]

  validate  --topology FILE                     check a topology file; prints a summary or file: field: problem
  pki       --topology FILE --out DIR           test CA + certificates: every KME (kme.<node>), every SAE,
                                                every ground-station key store (keystore.<node>)
  pools     --operator URL                      pool levels per link and end (kbit), from the operator API
  relays    --operator URL [--limit N]          recent relays and their paths
  usage     --operator URL                      key consumed per application (SAE)
  keys      --endpoints FILE --master SAE --slave SAE [--number N] [--size BITS] [--show-keys]
                                                ETSI 014 round trip: enc_keys as master, dec_keys as slave
  demo-pass --stations A,B --kbit N --out DIR   a synthetic satellite-as-relay pass: one block file per station
  ingest    --kme URL --pki DIR --node ID --block FILE
                                                hand a satellite key block to the KME of a ground-station node`;

function topologyOrExit(path: string, io: CliIo): Topology | null {
  const r = loadTopologyFile(path);
  if (!r.ok) {
    io.stderr.write(formatIssues(r.issues) + '\n');
    return null;
  }
  return r.topology;
}

async function getJson(url: string): Promise<any> {
  const res = await fetch(url).catch((err: Error) => {
    throw new UsageError(`cannot reach ${url}: ${err.message}`);
  });
  if (!res.ok) throw new UsageError(`${url} answered ${res.status}`);
  return res.json();
}

const kbit = (b: number) => (b / 1000).toFixed(1).padStart(10);

export const command: CliCommand = {
  name: 'backbone',
  summary: 'backbone operator: validate topology, make test PKI, pool levels, relays, usage, key round trip',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    const out = (s: string) => io.stdout.write(s + '\n');
    switch (sub) {
      case 'validate': {
        const v = parseFlags(rest, { topology: { type: 'string' } }, { usage }, io);
        if (!v) return 0;
        const t = topologyOrExit(resolve(io.cwd, required(v, 'topology')), io);
        if (!t) return 1;
        const kinds = new Map<string, number>();
        for (const n of t.nodes) kinds.set(n.kind, (kinds.get(n.kind) ?? 0) + 1);
        out(`${t.name}: ${t.nodes.length} nodes (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}), ${t.links.length} links (${t.links.filter((l) => l.kind === 'satellite').length} satellite), ${t.saes.length} SAEs`);
        return 0;
      }
      case 'pki': {
        const v = parseFlags(rest, { topology: { type: 'string' }, out: { type: 'string' } }, { usage }, io);
        if (!v) return 0;
        const t = topologyOrExit(resolve(io.cwd, required(v, 'topology')), io);
        if (!t) return 1;
        const dir = resolve(io.cwd, required(v, 'out'));
        const pki = await writeTestPki(dir, { kmes: t.nodes.map((n) => n.id), saes: t.saes.map((s) => s.id), keystores: t.nodes.filter((n) => n.kind === 'ground-station').map((n) => n.id), nowMs: Date.now() });
        out(`CA ${pki.caPath}; ${pki.kmes.size} KME, ${pki.saes.size} SAE and ${pki.keystores.size} key-store certificates in ${dir}`);
        return 0;
      }
      case 'pools': {
        const v = parseFlags(rest, { operator: { type: 'string' } }, { usage }, io);
        if (!v) return 0;
        const pools = await getJson(new URL('/api/backbone/pools', required(v, 'operator')).href);
        out(`${'link'.padEnd(28)} ${'kind'.padEnd(9)} ${'end'.padEnd(14)} ${'spendable'.padStart(10)} ${'stored'.padStart(10)} ${'consumed'.padStart(10)} ${'wasted'.padStart(10)}  (kbit)`);
        for (const p of pools) for (const e of p.ends) if (e.local) out(`${p.linkId.padEnd(28)} ${p.kind.padEnd(9)} ${e.node.padEnd(14)} ${kbit(e.spendableBits)} ${kbit(e.storedBits)} ${kbit(e.consumedBits)} ${kbit(e.wastedBits)}`);
        return 0;
      }
      case 'relays': {
        const v = parseFlags(rest, { operator: { type: 'string' }, limit: { type: 'string' } }, { usage }, io);
        if (!v) return 0;
        const limit = numberFlag(v, 'limit', 20)!;
        const relays = await getJson(new URL(`/api/backbone/relays?limit=${limit}`, required(v, 'operator')).href);
        for (const r of relays) out(`${new Date(r.createdMs).toISOString()} ${r.state.padEnd(9)} ${r.origin} → ${r.dest} ${r.bits} bit ×${r.shares}: ${r.paths.map((p: string[]) => p.join('→')).join(' | ')}${r.reason ? ` (${r.reason})` : ''}`);
        return 0;
      }
      case 'usage': {
        const v = parseFlags(rest, { operator: { type: 'string' } }, { usage }, io);
        if (!v) return 0;
        const rows = await getJson(new URL('/api/backbone/usage', required(v, 'operator')).href);
        for (const u of rows) out(`${u.sae.padEnd(16)} ${u.role.padEnd(6)} peer ${u.peer.padEnd(24)} ${String(u.keys).padStart(8)} keys ${String(u.bits).padStart(12)} bits`);
        return 0;
      }
      case 'keys': {
        const v = parseFlags(rest, { endpoints: { type: 'string' }, master: { type: 'string' }, slave: { type: 'string' }, number: { type: 'string' }, size: { type: 'string' }, 'show-keys': { type: 'boolean' } }, { usage }, io);
        if (!v) return 0;
        const ep = JSON.parse(readFileSync(resolve(io.cwd, required(v, 'endpoints')), 'utf8')) as { ca: string; saes: { id: string; kme: string; cert: string; key: string }[] };
        const find = (id: string) => ep.saes.find((s) => s.id === id) ?? (() => { throw new UsageError(`SAE ${id} is not in the endpoints file`); })();
        const ca = readFileSync(ep.ca, 'utf8');
        const client = (s: { kme: string; cert: string; key: string }) => new EtsiClient({ baseUrl: s.kme, caPem: ca, certPem: readFileSync(s.cert, 'utf8'), keyPem: readFileSync(s.key, 'utf8') });
        const master = find(required(v, 'master'));
        const slave = find(required(v, 'slave'));
        const m = client(master);
        const s = client(slave);
        try {
          const enc = await m.encKeys(slave.id, { number: numberFlag(v, 'number', 1), size: numberFlag(v, 'size', 256) });
          if (enc.status !== 200) {
            io.stderr.write(`enc_keys: ${enc.status} ${JSON.stringify(enc.body)}\n`);
            return 1;
          }
          const dec = await s.decKeys(master.id, enc.body.keys.map((k: { key_ID: string }) => k.key_ID));
          if (dec.status !== 200) {
            io.stderr.write(`dec_keys: ${dec.status} ${JSON.stringify(dec.body)}\n`);
            return 1;
          }
          const same = JSON.stringify(dec.body.keys) === JSON.stringify(enc.body.keys);
          for (const k of enc.body.keys) out(`${k.key_ID}  ${Buffer.from(k.key, 'base64').length * 8} bit${v['show-keys'] ? `  ${k.key}` : ''}`);
          out(`${master.id} (master) and ${slave.id} (slave) hold the same ${enc.body.keys.length} key(s): ${same ? 'yes' : 'NO'}`);
          return same ? 0 : 1;
        } finally {
          m.close();
          s.close();
        }
      }
      case 'demo-pass': {
        const v = parseFlags(rest, { stations: { type: 'string' }, kbit: { type: 'string' }, out: { type: 'string' } }, { usage }, io);
        if (!v) return 0;
        const st = required(v, 'stations').split(',');
        if (st.length !== 2 || st.some((x) => !x)) throw new UsageError('--stations takes two ground-station node ids, like GS-XINGLONG,GS-NANSHAN');
        const kb = numberFlag(v, 'kbit', 256)!;
        if (!Number.isInteger(kb) || kb < 1 || kb > 16384) throw new UsageError('--kbit must be an integer within 1..16384');
        const dir = resolve(io.cwd, required(v, 'out'));
        mkdirSync(dir, { recursive: true });
        const pass = syntheticRelayPass({ stationA: st[0]!, stationB: st[1]!, satelliteId: 'MICIUS', endMs: Date.now(), bits: kb * 1024 });
        for (const [node, block] of [[st[0]!, pass.a], [st[1]!, pass.b]] as const) writeFileSync(join(dir, `${node}.block.json`), JSON.stringify(block), { mode: 0o600 });
        out(`block ${pass.a.blockId}: ${join(dir, `${st[0]}.block.json`)} and ${join(dir, `${st[1]}.block.json`)} (key material: keep them private)`);
        return 0;
      }
      case 'ingest': {
        const v = parseFlags(rest, { kme: { type: 'string' }, pki: { type: 'string' }, node: { type: 'string' }, block: { type: 'string' } }, { usage }, io);
        if (!v) return 0;
        const pki = resolve(io.cwd, required(v, 'pki'));
        const node = required(v, 'node');
        const body = readFileSync(resolve(io.cwd, required(v, 'block')), 'utf8');
        const agent = new Agent({ ca: readFileSync(join(pki, 'ca.pem')), cert: readFileSync(join(pki, `${keystoreCommonName(node)}.crt.pem`)), key: readFileSync(join(pki, `${keystoreCommonName(node)}.key.pem`)) });
        const res = await new Promise<{ status: number; text: string }>((ok, fail) => {
          const req = request(new URL('/kme/v1/satellite-keys', required(v, 'kme')), { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (r) => {
            let text = '';
            r.on('data', (d: Buffer) => (text += d.toString()));
            r.on('end', () => ok({ status: r.statusCode ?? 0, text }));
          });
          req.on('error', fail);
          req.end(body);
        });
        agent.destroy();
        if (res.status !== 200) {
          io.stderr.write(`ingest: ${res.status} ${res.text}\n`);
          return 1;
        }
        const r = JSON.parse(res.text);
        out(`${r.duplicate ? 'already had' : 'ingested'} ${r.bits} bit on ${r.linkId}`);
        return 0;
      }
      default:
        throw new UsageError(sub ? `unknown subcommand '${sub}'` : 'missing subcommand (validate|pki|pools|relays|usage|keys|demo-pass|ingest)');
    }
  },
};
