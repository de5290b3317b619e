/**
 * The issue's "done when", end to end: five KME processes (U1 — GS1 ~satellite~ GS2 — R — U2) on HTTPS with
 * mutual TLS; a satellite-as-relay pass handed to both ground-station KMEs through their key stores' certificates;
 * two SAEs get the same keys through ETSI GS QKD 014 — relayed across the trusted nodes and the satellite link.
 * The operator CLI drives it (pki, demo-pass, ingest, keys), as a user would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { httpsKeySink } from './satellite-sink.ts';
import { EtsiClient } from './etsi/client.ts';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../bin/cli.ts';
import { tempDir } from './testing/fixtures.ts';
import type { Topology } from './topology/schema.ts';

const root = join(import.meta.dirname, '..');
const dir = tempDir('satqkd-e2e-');
const procs: ChildProcess[] = [];
const nodes = ['U1', 'GS1', 'GS2', 'R', 'U2'];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) => new Writable({ write: (c, _e, cb) => (f(c.toString()), cb()) });
  const code = await main(args, { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), stderrIsTty: false, env: process.env, cwd: dir });
  return { code, out, err };
}

function startKme(node: string, epoch: string): Promise<void> {
  const child = spawn(process.execPath, [join(root, 'bin/satqkd.js'), 'kme', '--node', node, '--topology', join(dir, 'net.json'), '--pki', join(dir, 'pki'), '--data', join(dir, 'data'), '--qkd-epoch', epoch], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), out.includes('"kme-ready"') && resolve()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`kme ${node} exited ${code}: ${err}`)));
  });
}

let ports: number[] = [];

beforeAll(async () => {
  ports = [];
  for (const _ of nodes) ports.push(await freePort());
  const kinds: Record<string, Topology['nodes'][number]['kind']> = { U1: 'endpoint', GS1: 'ground-station', GS2: 'ground-station', R: 'trusted-relay', U2: 'endpoint' };
  const topology: Topology = {
    name: 'e2e',
    nodes: nodes.map((id, i) => ({ id, kind: kinds[id]!, name: id, latDeg: 40, lonDeg: 100 + i, kme: { host: '127.0.0.1', port: ports[i]! } })),
    links: [
      { id: 'U1~GS1', a: 'U1', b: 'GS1', kind: 'fibre', lengthKm: 40, keyRateBps: 50_000 },
      { id: 'GS1~GS2', a: 'GS1', b: 'GS2', kind: 'satellite', lengthKm: 1120 },
      { id: 'GS2~R', a: 'GS2', b: 'R', kind: 'fibre', lengthKm: 60, keyRateBps: 30_000 },
      { id: 'R~U2', a: 'R', b: 'U2', kind: 'fibre', lengthKm: 20, keyRateBps: 100_000 },
    ],
    saes: [{ id: 'SAE-1', node: 'U1' }, { id: 'SAE-2', node: 'U2' }],
  };
  writeFileSync(join(dir, 'net.json'), JSON.stringify(topology));
  expect((await cli(['backbone', 'pki', '--topology', 'net.json', '--out', 'pki'])).code).toBe(0);
  const epoch = new Date(Date.now() - 10_000).toISOString();
  await Promise.all(nodes.map((n) => startKme(n, epoch)));
  writeFileSync(join(dir, 'endpoints.json'), JSON.stringify({ ca: join(dir, 'pki/ca.pem'), saes: [0, 4].map((i) => ({ id: `SAE-${i ? 2 : 1}`, kme: `https://127.0.0.1:${ports[i]}`, cert: join(dir, `pki/sae.SAE-${i ? 2 : 1}.crt.pem`), key: join(dir, `pki/sae.SAE-${i ? 2 : 1}.key.pem`) })) }));
});

afterAll(async () => {
  for (const c of procs) c.kill('SIGTERM');
  await Promise.all(procs.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
});

it('without satellite key there is no path: enc_keys answers 503', async () => {
  const r = await cli(['backbone', 'keys', '--endpoints', 'endpoints.json', '--master', 'SAE-1', '--slave', 'SAE-2']);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/enc_keys: 503/);
});

it('after a pass is handed to both stations, SAE-1 and SAE-2 share keys relayed across the satellite', async () => {
  expect((await cli(['backbone', 'demo-pass', '--stations', 'GS1,GS2', '--kbit', '64', '--out', 'pass'])).code).toBe(0);
  // GS1's key store goes through the operator CLI, GS2's through the KeySink port over HTTPS
  const r1 = await cli(['backbone', 'ingest', '--kme', `https://127.0.0.1:${ports[1]}`, '--pki', 'pki', '--node', 'GS1', '--block', 'pass/GS1.block.json']);
  expect(r1.err).toBe('');
  expect(r1.out).toMatch(/ingested 65536 bit on GS1~GS2/);
  const b2 = JSON.parse(readFileSync(join(dir, 'pass/GS2.block.json'), 'utf8'));
  const pem = (f: string) => readFileSync(join(dir, 'pki', f), 'utf8');
  const sink = httpsKeySink({ stationNodes: ['GS1', 'GS2'], kmeUrl: `https://127.0.0.1:${ports[2]}`, caPem: pem('ca.pem'), certPem: pem('keystore.GS2.crt.pem'), keyPem: pem('keystore.GS2.key.pem') });
  await sink.put({ blockId: b2.blockId, bits: 65536, provenance: b2.provenance }, Buffer.from(b2.keyB64, 'base64'));
  sink.close();
  // the wrong key store cannot feed a KME
  const wrong = await cli(['backbone', 'ingest', '--kme', `https://127.0.0.1:${ports[1]}`, '--pki', 'pki', '--node', 'GS2', '--block', 'pass/GS1.block.json']);
  expect(wrong.code).toBe(1);
  expect(wrong.err).toMatch(/401/);
  const r = await cli(['backbone', 'keys', '--endpoints', 'endpoints.json', '--master', 'SAE-1', '--slave', 'SAE-2', '--number', '4']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/hold the same 4 key\(s\): yes/);
  const db = new Database(join(dir, 'data', 'U1.sqlite'), { readonly: true });
  const paths = (db.prepare(`SELECT paths FROM relays WHERE state = 'delivered'`).all() as { paths: string }[]).map((p) => JSON.parse(p.paths)[0]);
  db.close();
  expect(paths.length).toBeGreaterThanOrEqual(4);
  for (const p of paths) expect(p).toEqual(['U1', 'GS1', 'GS2', 'R', 'U2']);
});

it('identities do not cross: an SAE cannot speak the peer protocol, a KME cannot use ETSI, a peer cannot forge a hop', async () => {
  const pem = (f: string) => readFileSync(join(dir, 'pki', f), 'utf8');
  const as = (name: string, port: number) => new EtsiClient({ baseUrl: `https://127.0.0.1:${port}`, caPem: pem('ca.pem'), certPem: pem(`${name}.crt.pem`), keyPem: pem(`${name}.key.pem`) });
  const sae = as('sae.SAE-1', ports[0]!);
  expect((await sae.call('POST', '/kme/v1/peer', { type: 'assign' })).status).toBe(401);
  expect((await sae.call('GET', '/kme/v1/levels')).status).toBe(401);
  sae.close();
  const kme = as('kme.GS1', ports[0]!);
  expect((await kme.status('SAE-2')).status).toBe(401);
  // GS1 is U1's neighbour, but a relay hop claiming to come from R (not GS1) is refused
  const forged = { type: 'relay', relayId: '11111111-1111-4111-8111-111111111111', keyId: '22222222-2222-4222-8222-222222222222', origin: 'R', dest: 'U1', bits: 256, share: 0, shares: 1, path: ['R', 'U1'], hop: 1, linkId: 'U1~GS1', chunkIds: ['q0'], cipherB64: Buffer.alloc(32).toString('base64') };
  const r = await kme.call('POST', '/kme/v1/peer', forged);
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ ok: false, retry: false });
  kme.close();
});
