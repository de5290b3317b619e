/**
 * One ground station as a daemon: the plan (predicted from the config, or handed in by a scheduler), the pass
 * automation on the given clock and hardware (real mount + tagger, or sky-sim per pass), the interlocks, the raw
 * record keeping, and the operator API over HTTP. `npm start` (the integrator) calls `startStation` per station.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import express, { type Express, type Router } from 'express';
import type { BehaviorSubject } from 'rxjs';
import type { Logger } from '../planner/log.ts';
import type { Beacon, KeySink, Mount, TimeTagger } from '../planner/ports.ts';
import type { Pass } from '../planner/types.ts';
import { writeTimeTagFile } from './adapters/timetag-file.ts';
import { PassAutomation } from './automation/driver.ts';
import type { EphemerisSource, Interlock, PassRecords, PostProcessor, Rig, RigProvider, Timebase } from './automation/ports.ts';
import { DEFAULT_TIMING, type AutomationState } from './automation/types.ts';
import { skySimRig, type SkySimRigOptions } from './automation/testing/sky-sim-rig.ts';
import { createOperatorApi } from './api/router.ts';
import { sunInterlock } from './interlocks.ts';
import { planNight, type StationConfig, type StationPlan } from './station-config.ts';

export interface StartStationOptions {
  config: StationConfig;
  clock: Timebase;
  /** Real hardware; when `mount` is omitted the station flies on sky-sim (one simulated world per pass on `clock`). */
  mount?: Mount;
  tagger?: TimeTagger;
  beacon?: Beacon;
  postProcess: PostProcessor;
  keySink: KeySink;
  logger: Logger;
  /** A scheduler's plan instead of the config's predicted night. */
  plan?: { passes: Pass[]; ephemeris: EphemerisSource };
  /** Start the HTTP server on config.api (default true). The router is returned either way. */
  listen?: boolean;
  /** sky-sim only: seed, faults, and a look at each simulated world (post-processing needs its satellite side). */
  skySim?: Omit<SkySimRigOptions, 'clock'>;
  interlocks?: Interlock[];
}

export interface RunningStation {
  automation: PassAutomation;
  router: Router;
  app: Express;
  server: Server | null;
  url: string | null;
  state$: BehaviorSubject<AutomationState>;
  plan: StationPlan | null;
  close(): Promise<void>;
}

export type StartStationResult = { ok: true; station: RunningStation } | { ok: false; reason: string };

function recordSink(dir: string, logger: Logger): (r: PassRecords) => Promise<void> {
  mkdirSync(dir, { recursive: true });
  return async (r) => {
    const safe = r.pass.id.replace(/[^A-Za-z0-9_.@-]/g, '_');
    const path = join(dir, `${safe}.sqtt`);
    writeTimeTagFile(path, r.events, {
      passId: r.pass.id,
      stationId: r.stationId,
      satelliteId: r.pass.satellite,
      recordStartUtc: new Date(r.startMs).toISOString(),
      recordEndUtc: new Date(r.endMs).toISOString(),
      abortReason: r.abortReason ?? '',
    });
    logger.info('station.records_kept', { pass: r.pass.id, path, detections: r.events.length });
  };
}

export async function startStation(o: StartStationOptions): Promise<StartStationResult> {
  const cfg = o.config;
  let plan: StationPlan | null = null;
  let passes: Pass[];
  let ephemeris: EphemerisSource;
  if (o.plan) {
    passes = o.plan.passes;
    ephemeris = o.plan.ephemeris;
  } else {
    const r = planNight(cfg, o.clock.nowMs());
    if (!r.ok) return r;
    plan = r.value;
    passes = plan.passes;
    ephemeris = plan.ephemeris;
  }
  let rig: Rig | RigProvider;
  if (o.mount) {
    if (!o.tagger) return { ok: false, reason: 'a real mount needs a time tagger too (tagger)' };
    rig = { mount: o.mount, tagger: o.tagger, beacon: o.beacon };
  } else {
    // The simulated world starts a little before the automation's lead time (it stands still before its start and
    // costs CPU for every simulated millisecond), on a 10 ms grid unless told otherwise: a night at a speed-up
    // must be simulated faster than it flies.
    const leadMs = (cfg.timing?.leadMs as number | undefined) ?? DEFAULT_TIMING.leadMs;
    rig = skySimRig({ clock: o.clock, preRollMs: leadMs + 60_000, config: { simulation: { sliceMs: 10 } }, ...o.skySim });
  }
  const logger = o.logger.child({ station: cfg.stationId });
  const interlocks = o.interlocks ?? (plan ? [sunInterlock(plan.station, cfg.sunMaxElevationDeg)] : []);
  const automation = new PassAutomation({
    stationId: cfg.stationId,
    timebase: o.clock,
    rig,
    ephemeris,
    postProcess: o.postProcess,
    keySink: o.keySink,
    logger,
    interlocks,
    timing: cfg.timing,
    loop: cfg.loop,
    recordSink: cfg.recordsDir ? recordSink(join(cfg.baseDir, cfg.recordsDir), logger) : undefined,
  });
  const router = createOperatorApi(automation);
  const app = express();
  app.use('/api/station', router);
  automation.start();
  await automation.setPlan(passes);

  let server: Server | null = null;
  let url: string | null = null;
  if (o.listen ?? true) {
    server = createServer(app);
    try {
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(cfg.api.port, cfg.api.host, () => resolve());
      });
    } catch (err) {
      await automation.close();
      return { ok: false, reason: `api: cannot listen on ${cfg.api.host}:${cfg.api.port}: ${(err as Error).message}` };
    }
    const addr = server.address();
    url = typeof addr === 'object' && addr ? `http://${cfg.api.host}:${addr.port}/api/station` : null;
    logger.info('station.api_listening', { url });
  }
  return {
    ok: true,
    station: {
      automation,
      router,
      app,
      server,
      url,
      state$: automation.state$,
      plan,
      async close() {
        await automation.close();
        if (server) {
          const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
          server.closeAllConnections(); // live telemetry streams never end by themselves
          await closed;
        }
        if (o.mount) await o.mount.close().catch(() => undefined);
      },
    },
  };
}
