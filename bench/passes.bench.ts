/**
 * `npm run bench -- passes`: pass prediction for ≥1,000 satellites × 7 stations × 7 days, satqkd single-thread and
 * on worker threads, next to Skyfield's find_events (bench/skyfield_passes.py, when /usr/bin/python3 has skyfield)
 * on a subset of the same catalogue; figures per satellite give the throughput ratio.
 *
 * The catalogue is SYNTHETIC (planner/catalog/synthetic.ts, seeded): the committed snapshot has only 15 real sets.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseCatalog, syntheticLeoCatalog } from '../planner/catalog/index.ts';
import { predictPasses } from '../planner/passes/index.ts';
import { predictPassesParallel } from '../planner/passes/parallel-node.ts';
import { parseStations } from '../planner/stations/index.ts';

const N_SATS = Number(process.env.BENCH_SATS ?? 1000);
const N_SKYFIELD = Number(process.env.BENCH_SKYFIELD_SATS ?? 8);
const DAYS = 7;
const startMs = Date.parse('2026-11-29T00:00:00Z');
const endMs = startMs + DAYS * 86_400_000;

const tleText = syntheticLeoCatalog(N_SATS, startMs - 86_400_000);
const { satellites, problems } = parseCatalog(tleText, 'synthetic.tle');
if (problems.length) throw new Error(`synthetic catalogue has problems: ${JSON.stringify(problems[0])}`);
const allStations = parseStations(readFileSync(new URL('../tle-data/stations.json', import.meta.url), 'utf8'), 'stations.json').stations;
const stations = allStations.slice(0, 7);
// Geometric passes only (no Sun constraint), the same question find_events answers.
const constraints = { sunMaxElevationDeg: null };

function line(label: string, v: string) {
  process.stdout.write(`${label.padEnd(48)} ${v}\n`);
}
line('catalogue', `${satellites.length} synthetic LEO sets × ${stations.length} stations × ${DAYS} days`);

// CPU time next to wall time: on a shared machine the wall clock measures the neighbours as much as the code.
const cpuS = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;
const serialCounter = { sgp4Evaluations: 0 };
let t0 = performance.now();
let c0 = process.cpuUsage();
const serial = predictPasses({ satellites, stations, startMs, endMs, constraints, counter: serialCounter });
const serialS = (performance.now() - t0) / 1000;
const serialCpuS = cpuS(process.cpuUsage(c0));
line('satqkd single thread: wall / CPU', `${serialS.toFixed(2)} s / ${serialCpuS.toFixed(2)} s (${serial.length} passes)`);
line('satqkd single thread: SGP4 evaluations', `${serialCounter.sgp4Evaluations} (${(serialCounter.sgp4Evaluations / satellites.length).toFixed(0)} per satellite-week)`);

const parCounter = { sgp4Evaluations: 0 };
t0 = performance.now();
c0 = process.cpuUsage();
const par = await predictPassesParallel({ satellites, stations, startMs, endMs, constraints, counter: parCounter });
const parS = (performance.now() - t0) / 1000;
const parCpuS = cpuS(process.cpuUsage(c0));
line(`satqkd ${availableParallelism()} threads (main + workers): wall / CPU`, `${parS.toFixed(2)} s / ${parCpuS.toFixed(2)} s (${par.length} passes, SGP4 ${parCounter.sgp4Evaluations})`);
line('machine load average (1 min) during the run', `${(await import('node:os')).loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`);
if (par.length !== serial.length) line('WARNING', `parallel found ${par.length} passes, serial ${serial.length}`);

// Baseline the issue describes: 30 s steps, every station propagating on its own, bisection to 1 ms.
{
  const { makeEcefPropagator } = await import('../planner/passes/propagator.ts');
  const { makeSite } = await import('../planner/frames/geodesy.ts');
  const { lookFrom } = await import('../planner/frames/look.ts');
  const sub = satellites.slice(0, 50);
  const counter = { sgp4Evaluations: 0 };
  const st = { x: 0, y: 0, z: 0, vx: 0, vy: 0, vz: 0 };
  let found = 0;
  const tb = performance.now();
  for (const sat of sub) {
    const prop = makeEcefPropagator(sat, counter);
    for (const s of stations) {
      const site = makeSite(s.latDeg, s.lonDeg, s.heightM);
      const f = (t: number) => (prop(t, st) ? lookFrom(site, st).elDeg - 10 : -90);
      let prevT = startMs;
      let prevF = f(prevT);
      for (let t = startMs + 30_000; t <= endMs; t += 30_000) {
        const ft = f(t);
        if (prevF < 0 !== ft < 0) {
          let a = prevT, b = t;
          while (b - a > 1) {
            const m = (a + b) / 2;
            if (f(m) < 0 === prevF < 0) a = m;
            else b = m;
          }
          found++;
        }
        prevT = t;
        prevF = ft;
      }
    }
  }
  const perSat = (performance.now() - tb) / 1000 / sub.length;
  line('plain satellite.js loop (30 s, per station): per satellite', `${(perSat * 1000).toFixed(1)} ms (${(counter.sgp4Evaluations / sub.length).toFixed(0)} SGP4/satellite, ${found} crossings on ${sub.length})`);
}

const oursPerSatSerial = serialS / satellites.length;
const oursPerSatPar = parS / satellites.length;
line('satqkd per satellite (single / threads)', `${(oursPerSatSerial * 1000).toFixed(2)} ms / ${(oursPerSatPar * 1000).toFixed(2)} ms`);

const py = '/usr/bin/python3';
const script = new URL('./skyfield_passes.py', import.meta.url).pathname;
if (existsSync(py) && spawnSync(py, ['-c', 'import skyfield'], { stdio: 'ignore' }).status === 0) {
  const dir = mkdtempSync(join(tmpdir(), 'satqkd-bench-'));
  const tlePath = join(dir, 'subset.tle');
  writeFileSync(tlePath, tleText.split('\n').slice(0, N_SKYFIELD * 3).join('\n') + '\n');
  const stPath = join(dir, 'stations.json');
  writeFileSync(stPath, JSON.stringify({ stations }));
  const r = spawnSync(py, [script, tlePath, stPath, new Date(startMs).toISOString(), String(DAYS)], { encoding: 'utf8' });
  if (r.status !== 0) {
    line('skyfield', `failed: ${r.stderr.trim().split('\n').pop()}`);
  } else {
    const sky = JSON.parse(r.stdout) as { satellites: number; seconds: number; cpuSeconds: number; events: number };
    const skyPerSat = sky.seconds / sky.satellites;
    const skyCpuPerSat = sky.cpuSeconds / sky.satellites;
    line(`skyfield find_events: per satellite (${sky.satellites} sats)`, `${(skyPerSat * 1000).toFixed(0)} ms wall, ${(skyCpuPerSat * 1000).toFixed(0)} ms CPU (${sky.events} events)`);
    line('throughput ratio satqkd/skyfield, wall (single thread)', `${(skyPerSat / oursPerSatSerial).toFixed(0)}×`);
    line('throughput ratio satqkd/skyfield, wall (worker threads)', `${(skyPerSat / oursPerSatPar).toFixed(0)}×`);
    line('throughput ratio satqkd/skyfield, CPU time (single thread)', `${(skyCpuPerSat / (serialCpuS / satellites.length)).toFixed(0)}×`);
    line('skyfield extrapolated to the whole catalogue', `${((skyPerSat * satellites.length) / 60).toFixed(1)} min`);
  }
} else {
  line('skyfield', 'not available (/usr/bin/python3 without skyfield): ratio not measured');
}
