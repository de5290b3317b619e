/**
 * The whole mission in one process: plan the bundled scenario, fly each planned pass on sky-sim at the stations,
 * post-process into the stations' key stores, merge satellite keys into the backbone (satellite as trusted relay),
 * serve keys through ETSI GS QKD 014 to the demo applications, and serve the web view and every API on one port.
 * State under `dataDir` survives a restart: key stores, KME pools, the test PKI and the mission clock.
 */
import { mkdirSync, readFileSync, existsSync, writeFileSync, renameSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import express from 'express';
import { loadTopologyFile, startBackbone, createOperatorApp, type RunningBackbone } from '../../backbone/index.ts';
import { KeyStore } from '../../ground-station/keystore/key-store.ts';
import { startStation, type RunningStation } from '../../ground-station/station.ts';
import { createOperatorApi } from '../../ground-station/api/router.ts';
import { missionCzmlFromPlanner } from '../../planner/czml/index.ts';
import type { Logger } from '../../planner/log.ts';
import { plannerStation, schedule, scenarioCandidates, type SchedulePlan } from '../../planner/schedule/index.ts';
import type { Station } from '../../planner/stations/index.ts';
import { toIso, type UtcMs } from '../../planner/time.ts';
import type { Pass } from '../../planner/types.ts';
import { VirtualClock } from '../../sky-sim/clock/virtual-clock.ts';
import type { SimulatedPass } from '../../sky-sim/simulated-pass.ts';
import { createMissionApiRouter } from '../../web/mission-api.ts';
import { createWebRouter, ensureWebBuilt } from '../../web/server.ts';
import { planToJson } from '../../web/src/api-serialize.ts';
import { loadScenarioBundle, type ScenarioBundle } from '../lib/scenario-files.ts';
import type { MissionConfig } from './config.ts';
import { DemoPair } from './demo-saes.ts';
import { SatelliteRelay, type RelayLink } from './satellite-relay.ts';
import { ephemerisFor, flownPass, flownWindow, stationPostProcessor, type PassResult } from './station-wiring.ts';

export interface MissionStation {
  id: string;
  node: string | null;
  store: KeyStore;
  running: RunningStation;
  passes: Pass[];
}

export interface MissionLedger {
  /** Final key bits produced by post-processing, per station. */
  producedBits: Record<string, number>;
  /** Bits in the station stores per state. */
  stationStores: Record<string, Record<string, { blocks: number; bits: number }>>;
  relay: SatelliteRelay['ledger'];
  satelliteHeldBits: number;
  passes: PassResult[];
  demo: DemoPair['stats'][];
}

export interface RunningMission {
  url: string;
  dataDir: string;
  clock: VirtualClock;
  plan: SchedulePlan;
  bundle: ScenarioBundle;
  stations: Map<string, MissionStation>;
  backbone: RunningBackbone;
  relay: SatelliteRelay;
  demo: DemoPair[];
  ledger(): MissionLedger;
  /** With pace 'stepped' (tests): flies the mission up to `tMs` as fast as the CPU allows. */
  runUntil(tMs: UtcMs): Promise<void>;
  /** One round of the demo applications (each pair tries one exchange). */
  demoRound(): Promise<void>;
  /** Stops the clock driver and the demo (no more passes start); stores stay open for a last ledger. */
  stopClock(): Promise<void>;
  /** True when no station is working on a pass. */
  idle(): boolean;
  close(): Promise<void>;
}

export type StartMissionResult = { ok: true; mission: RunningMission } | { ok: false; error: string };

const stateFile = (dir: string) => join(dir, 'mission-state.json');

/** The mission clock is saved now and then, so a restart resumes where the last run stopped. */
function loadSavedClock(dir: string, startMs: UtcMs, endMs: UtcMs): UtcMs | null {
  if (!existsSync(stateFile(dir))) return null;
  try {
    const s = JSON.parse(readFileSync(stateFile(dir), 'utf8')) as { virtualNow?: string; horizonStart?: string };
    const t = Date.parse(String(s.virtualNow));
    if (s.horizonStart !== toIso(startMs) || !Number.isFinite(t) || t < startMs || t > endMs) return null;
    return t;
  } catch {
    return null;
  }
}

function saveClock(dir: string, nowMs: UtcMs, startMs: UtcMs): void {
  const f = stateFile(dir);
  writeFileSync(f + '.tmp', JSON.stringify({ virtualNow: toIso(nowMs), horizonStart: toIso(startMs) }) + '\n');
  renameSync(f + '.tmp', f);
}

/** The message the demo applications encrypt: a small file, different every exchange. */
function demoMessage(n: number, nowMs: UtcMs): Buffer {
  return Buffer.from(`satqkd demo message ${n} at ${toIso(nowMs)}: keys from Micius-class passes, relayed over trusted nodes.\n`);
}

export async function startMission(cfg: MissionConfig, log: Logger, opts: { pace?: 'paced' | 'stepped'; listen?: boolean } = {}): Promise<StartMissionResult> {
  const startMs = Date.parse(cfg.start);
  const endMs = startMs + cfg.durationHours * 3_600_000;
  mkdirSync(cfg.dataDir, { recursive: true });

  // ---- plan
  const loaded = await loadScenarioBundle(cfg.scenario, startMs);
  if (!loaded.ok) return { ok: false, error: loaded.error };
  const bundle = loaded.bundle;
  for (const n of bundle.notes) log.warn('scenario.note', { note: n });
  const topo = loadTopologyFile(cfg.topology);
  if (!topo.ok) return { ok: false, error: topo.issues.map((i) => `${i.file}: ${i.field}: ${i.message}`).join('\n') };
  const topology = topo.topology;
  const sae = new Set(topology.saes.map((s) => s.id));
  for (const [m, s] of cfg.demoPairs) for (const id of [m, s]) if (!sae.has(id)) return { ok: false, error: `demoPairs: '${id}' is not an SAE of ${cfg.topology} (known: ${[...sae].join(', ')})` };

  const t0 = performance.now();
  const candidates = scenarioCandidates({ scenario: bundle.scenario, satellites: bundle.satellites, horizon: { startMs, endMs }, terminal: bundle.terminal, ...(bundle.islTerminal ? { islTerminal: bundle.islTerminal } : {}) });
  const { plan } = await schedule(bundle.scenario, { startMs, endMs }, candidates, { method: 'auto', milp: { timeLimitS: 60 } });
  log.info('mission.planned', { assignments: plan.assignments.length, objective: plan.stats.objective, method: plan.stats.method, seconds: (performance.now() - t0) / 1000 });

  // ---- clock (resumes a previous run's virtual time)
  const resumeMs = loadSavedClock(cfg.dataDir, startMs, endMs);
  const clock = new VirtualClock({ startMs: resumeMs ?? startMs, pace: { kind: 'stepped' } });
  if (resumeMs !== null) log.info('mission.resumed', { virtualNow: toIso(resumeMs) });

  // ---- backbone
  const backbone = await startBackbone({
    topology,
    dataDir: join(cfg.dataDir, 'backbone'),
    pkiDir: join(cfg.dataDir, 'pki'),
    clock,
    host: cfg.host,
    qkdSeed: `mission-${cfg.seed}`,
    qkdEpochMs: startMs,
    logger: log.child({ module: 'backbone' }),
  });

  // ---- stations: those with planned ground passes fly them on sky-sim
  const satellites = new Map(bundle.satellites.map((s) => [s.noradId, s]));
  const protocol = bundle.terminal.protocol;
  const nodeOf = (stationId: string) => topology.nodes.find((n) => n.id === `GS-${stationId.toUpperCase()}`)?.id ?? null;
  const stations = new Map<string, MissionStation>();
  const results: PassResult[] = [];
  const producedBits: Record<string, number> = {};
  const stores = new Map<string, KeyStore>();
  const relayLinks: RelayLink[] = [];
  for (const l of topology.links) {
    if (l.kind !== 'satellite') continue;
    const a = bundle.scenario.stations.find((s) => nodeOf(s.id) === l.a);
    const b = bundle.scenario.stations.find((s) => nodeOf(s.id) === l.b);
    if (a && b) relayLinks.push({ linkId: l.id, stationA: a.id, stationB: b.id, nodeA: l.a, nodeB: l.b });
  }
  const relay = new SatelliteRelay(relayLinks, stores, backbone.kmes, log.child({ module: 'relay' }));
  mkdirSync(join(cfg.dataDir, 'stations'), { recursive: true });
  const ground = plan.assignments.filter((a) => a.kind === 'ground');
  const passById = new Map(candidates.passes.map((p) => [p.id, p]));
  const known = new Set(bundle.scenario.stations.map((s) => s.id));
  for (const id of cfg.stations ?? []) if (!known.has(id)) return { ok: false, error: `stations: '${id}' is not a station of ${cfg.scenario} (known: ${[...known].join(', ')})` };
  for (const st of bundle.scenario.stations) {
    if (cfg.stations && !cfg.stations.includes(st.id)) continue;
    const mine = ground.filter((a) => a.station === st.id);
    if (!mine.length) continue;
    const station: Station = plannerStation(st);
    const flown: Pass[] = [];
    for (const a of mine) {
      const p = passById.get(a.id);
      const w = p ? flownWindow(p, cfg.recordSeconds) : null;
      // A pass whose key window lies before the resumed clock was flown by the previous run (its key is stored).
      if (p && w && w.startMs >= clock.nowMs()) flown.push(flownPass(p, w));
    }
    const store = new KeyStore(join(cfg.dataDir, 'stations', `${st.id}.sqlite`));
    stores.set(st.id, store);
    producedBits[st.id] = 0;
    const worlds = new Map<string, SimulatedPass>();
    const slog = log.child({ station: st.id });
    const postProcess = stationPostProcessor({
      stationId: st.id,
      protocol,
      seed: cfg.seed,
      worlds,
      logger: slog,
      onReport: (r) => {
        results.push(r);
        if (r.report?.ok) producedBits[st.id] = (producedBits[st.id] ?? 0) + r.report.finalKeyBits;
        slog.info('mission.pass_post_processed', { pass: r.passId, ok: r.report?.ok ?? false, finalKeyBits: r.report?.finalKeyBits ?? 0, finiteKeyBoundBits: r.report?.finiteKeyBoundBits ?? 0, qber: r.report?.qber ?? null, error: r.error ?? null });
      },
      onSatelliteKey: (sat, stationId, blocks) => {
        relay.hold(sat, stationId, blocks);
        // After the station's blocks are stored (the automation stores right after this returns), merge.
        setImmediate(() => {
          try {
            relay.combine();
          } catch (err) {
            log.error('relay.failed', { message: (err as Error).message });
          }
        });
      },
    });
    const started = await startStation({
      config: {
        stationsFile: '', stationId: st.id, tleFiles: ['-'], night: { hours: 14 }, minElevationDeg: st.minElevationDeg ?? 15, sunMaxElevationDeg: bundle.scenario.planning.sunMaxElevationDeg,
        speedUp: cfg.speedUp, api: { host: cfg.host, port: 0 }, baseDir: cfg.dataDir,
        // The flown part of a pass is only recordSeconds long: join it while half of it remains.
        timing: { minRemainingMs: Math.min(30_000, (cfg.recordSeconds * 1000) / 2) },
      },
      clock,
      plan: { passes: flown, ephemeris: ephemerisFor(satellites, station) },
      postProcess,
      keySink: store,
      logger: slog,
      listen: false,
      interlocks: [],
      skySim: { seed: cfg.seed * 1000 + stations.size, config: { simulation: { sliceMs: 10 } }, onPass: (pass, sim) => worlds.set(pass.id, sim) },
    });
    if (!started.ok) return { ok: false, error: `station ${st.id}: ${started.reason}` };
    stations.set(st.id, { id: st.id, node: nodeOf(st.id), store, running: started.station, passes: flown });
  }

  // ---- demo applications
  const saeById = new Map(backbone.saes.map((s) => [s.id, s]));
  const caPem = readFileSync(backbone.pki.caPath, 'utf8');
  const demo = cfg.demoPairs.map(([m, s]) => new DemoPair(
    { id: m, kme: saeById.get(m)!.kme, certPath: saeById.get(m)!.certPath, keyPath: saeById.get(m)!.keyPath },
    { id: s, kme: saeById.get(s)!.kme, certPath: saeById.get(s)!.certPath, keyPath: saeById.get(s)!.keyPath },
    caPem, join(cfg.dataDir, 'demo'), log.child({ module: 'demo' }), () => clock.nowMs(),
  ));
  let demoCount = 0;
  const demoRound = async () => {
    for (const d of demo) await d.exchange(demoMessage(++demoCount, clock.nowMs()));
  };

  // ---- HTTP: web view, plan, CZML, station consoles, backbone console
  let server: Server | null = null;
  let url = '';
  const app = express();
  app.disable('x-powered-by');
  const expected = new Map(plan.assignments.map((a) => [a.id, a]));
  const allPasses = candidates.passes;
  const planBody = () => planToJson({
    passes: allPasses, stations: bundle.scenario.stations.map(plannerStation), satellites: bundle.satellites, startMs, endMs,
    extras: (p) => ({ scheduled: expected.has(p.id), ...(expected.has(p.id) ? { expectedSecretKeyBits: expected.get(p.id)!.expectedSecretKeyBits } : {}) }),
  });
  let czmlCache: unknown[] | null = null;
  app.use(createMissionApiRouter({
    plan: planBody,
    czml: () => (czmlCache ??= missionCzmlFromPlanner({
      name: bundle.scenario.name, startMs, endMs, satellites: bundle.satellites, stations: bundle.scenario.stations.map(plannerStation),
      passes: allPasses.filter((p) => expected.has(p.id)).map((p) => ({ ...p, expectedSecretKeyBits: expected.get(p.id)!.expectedSecretKeyBits })),
      backbone: topology,
    }).czml) as never,
    czmlVersion: () => plan.start,
  }));
  for (const [id, s] of stations) app.use(`/api/stations/${id}`, createOperatorApi(s.running.automation));
  // `running`: the virtual clock still advances (false once it reached the horizon's end or was stopped), so the
  // web view knows whether to play at speedUp or hold still.
  app.get('/api/mission', (_req, res) => res.json({ virtualNow: toIso(clock.nowMs()), start: toIso(startMs), end: toIso(endMs), speedUp: cfg.speedUp, running: !stopped && opts.pace !== 'stepped' && clock.nowMs() < endMs, dataDir: cfg.dataDir, ledger: ledger() }));
  if (opts.listen ?? true) {
    await ensureWebBuilt();
    app.use(createWebRouter());
  }
  app.use(createOperatorApp({ graph: backbone.network.graph, kmes: backbone.kmes, endpoints: new Map([...backbone.servers].map(([n, s]) => [n, s.url])) }));
  if (opts.listen ?? true) {
    server = createServer(app);
    const listenError = await new Promise<Error | null>((resolve) => {
      server!.once('error', (e) => resolve(e));
      server!.listen(cfg.port, cfg.host, () => resolve(null));
    });
    if (listenError) {
      await Promise.all([...stations.values()].map((s) => s.running.close()));
      await backbone.close();
      return { ok: false, error: `port: cannot listen on ${cfg.host}:${cfg.port}: ${listenError.message}` };
    }
    const addr = server.address();
    url = `http://${cfg.host}:${typeof addr === 'object' && addr ? addr.port : cfg.port}/`;
  }

  const idle = () => [...stations.values()].every((s) => s.running.automation.state.phase === 'idle');

  function ledger(): MissionLedger {
    const stationStores: MissionLedger['stationStores'] = {};
    for (const [id, s] of stations) stationStores[id] = s.store.summary();
    return { producedBits: { ...producedBits }, stationStores, relay: relay.ledger, satelliteHeldBits: relay.heldBits(), passes: [...results], demo: demo.map((d) => ({ ...d.stats })) };
  }

  // ---- the clock driver: virtual time advances with the wall clock × speedUp, in steps the stack can follow.
  // A stepped clock moved from here (not a free-running scaled one) never runs away while the CPU is busy with
  // post-processing: a pass is never "missed" because the process was computing.
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;
  const nextAosAfter = (tMs: UtcMs) => Math.min(...[...stations.values()].flatMap((s) => s.passes.map((p) => p.aosMs)).filter((t) => t > tMs));
  if (opts.pace !== 'stepped') {
    let lastWall = performance.now();
    const step = async () => {
      if (stopped) return;
      const wall = performance.now();
      const dtWallMs = Math.min(wall - lastWall, 250);
      lastWall = wall;
      const now = clock.nowMs();
      let target = now + dtWallMs * cfg.speedUp;
      if (cfg.skipIdle && idle()) {
        // Between passes, jump to a few minutes before the next one (the automation wakes 3 minutes ahead).
        const next = nextAosAfter(now);
        const wake = (Number.isFinite(next) ? next : endMs) - 300_000;
        if (wake > target) target = wake;
      }
      target = Math.min(target, endMs);
      try {
        if (target > now) await clock.advanceTo(target);
      } catch (err) {
        log.error('mission.clock_failed', { message: (err as Error).message });
      }
      if (!stopped) timers.push(setTimeout(step, 50));
    };
    timers.push(setTimeout(step, 50));
    timers.push(setInterval(() => saveClock(cfg.dataDir, Math.min(clock.nowMs(), endMs), startMs), 2000));
    let demoBusy = false;
    timers.push(setInterval(() => {
      if (demoBusy) return;
      demoBusy = true;
      demoRound().catch((err) => log.error('demo.failed', { message: (err as Error).message })).finally(() => (demoBusy = false));
    }, cfg.demoIntervalS * 1000));
  }

  async function runUntil(tMs: UtcMs): Promise<void> {
    while (clock.nowMs() < tMs) {
      await clock.advanceTo(Math.min(tMs, clock.nowMs() + 60_000));
    }
    // Let a pass that ended at tMs finish post-processing and storing.
    for (let i = 0; i < 2000 && !idle(); i++) await clock.advanceBy(1000);
    saveClock(cfg.dataDir, clock.nowMs(), startMs);
  }

  const mission: RunningMission = {
    url, dataDir: cfg.dataDir, clock, plan, bundle, stations, backbone, relay, demo, ledger, runUntil, demoRound, idle,
    async stopClock() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
    },
    async close() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      saveClock(cfg.dataDir, Math.min(clock.nowMs(), endMs), startMs);
      if (server) await new Promise<void>((r) => { server!.close(() => r()); server!.closeAllConnections(); });
      await Promise.all([...stations.values()].map((s) => s.running.close()));
      for (const d of demo) d.close();
      await backbone.close();
      for (const s of stations.values()) s.store.close();
    },
  };
  return { ok: true, mission };
}
