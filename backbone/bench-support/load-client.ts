/**
 * Load generator for bench/backbone.bench.ts, run as its own process so it does not share the KMEs' event loop:
 * many SAEs, each with its own mutual-TLS keep-alive agent, `concurrency` requests in flight in total.
 * Reads its plan as JSON from argv[2]; prints one JSON line of results.
 */
import { readFileSync } from 'node:fs';
import { EtsiClient } from '../etsi/client.ts';

interface Plan {
  ca: string;
  saes: { id: string; kme: string; cert: string; key: string; slave: string; slaveKme: string; slaveCert: string; slaveKey: string }[];
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Also fetch each key as the slave (dec_keys), timed separately. */
  withDec: boolean;
}

const plan = JSON.parse(process.argv[2]!) as Plan;
const ca = readFileSync(plan.ca, 'utf8');
const masters = plan.saes.map((s) => ({
  s,
  enc: new EtsiClient({ baseUrl: s.kme, caPem: ca, certPem: readFileSync(s.cert, 'utf8'), keyPem: readFileSync(s.key, 'utf8'), maxSockets: 4 }),
  dec: new EtsiClient({ baseUrl: s.slaveKme, caPem: ca, certPem: readFileSync(s.slaveCert, 'utf8'), keyPem: readFileSync(s.slaveKey, 'utf8'), maxSockets: 4 }),
}));

const encLat: number[] = [];
const decLat: number[] = [];
let errors = 0;
let encTotal = 0;
let decTotal = 0;
let mismatches = 0;
let measuring = false;
let stop = false;

async function worker(i: number): Promise<void> {
  const m = masters[i % masters.length]!;
  while (!stop) {
    const t0 = performance.now();
    const r = await m.enc.encKeys(m.s.slave, { number: 1, size: 256 });
    const t1 = performance.now();
    if (r.status !== 200) {
      errors++;
      continue;
    }
    encTotal++;
    if (measuring) encLat.push(t1 - t0);
    if (plan.withDec) {
      const d = await m.dec.decKeys(m.s.id, [r.body.keys[0].key_ID]);
      const t2 = performance.now();
      if (d.status !== 200 || d.body.keys[0].key !== r.body.keys[0].key) mismatches++;
      decTotal++;
      if (measuring) decLat.push(t2 - t1);
    }
  }
}

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : NaN;
};

const workers = Array.from({ length: plan.concurrency }, (_, i) => worker(i));
await new Promise((r) => setTimeout(r, plan.warmupMs));
measuring = true;
const t0 = performance.now();
await new Promise((r) => setTimeout(r, plan.durationMs));
measuring = false;
const seconds = (performance.now() - t0) / 1000;
stop = true;
await Promise.all(workers);
for (const m of masters) {
  m.enc.close();
  m.dec.close();
}
process.stdout.write(
  JSON.stringify({
    encPerS: encLat.length / seconds,
    decPerS: decLat.length / seconds,
    encP50Ms: q(encLat, 0.5),
    encP99Ms: q(encLat, 0.99),
    decP50Ms: q(decLat, 0.5),
    decP99Ms: q(decLat, 0.99),
    errors,
    mismatches,
    encTotal,
    decTotal,
  }) + '\n',
);
