/**
 * `satqkd station --config FILE`: a ground-station daemon. On sky-sim by default (a virtual clock at the config's
 * speed-up, one simulated world per pass), or on a real mount (`--mount rotctld://host:port | indi://host:port`,
 * wall clock). Serves the operator API; logs JSON lines to stderr; on sky-sim it exits when the night's plan is
 * flown and prints the pass summaries as JSON.
 */
import { createJsonLogger } from '../../planner/log.ts';
import type { TimeTagger } from '../../planner/ports.ts';
import { UsageError, numberFlag, parseFlags, required, type CliCommand } from '../command.ts';
import { parseIso } from '../../planner/time.ts';
import { openMount } from '../../ground-station/adapters/open-mount.ts';
import { parseMountUrl } from '../../ground-station/adapters/mount-url.ts';
import { FileTimeTagger } from '../../ground-station/adapters/timetag-file.ts';
import { wallTimebase, type PostProcessor, type Timebase } from '../../ground-station/automation/ports.ts';
import { loadStationConfig } from '../../ground-station/station-config.ts';
import { startStation } from '../../ground-station/station.ts';
import { VirtualClock } from '../../sky-sim/clock/virtual-clock.ts';
import { mkdirSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { KeyStore } from '../../ground-station/keystore/key-store.ts';
import type { SimulatedPass } from '../../sky-sim/simulated-pass.ts';
import { loadTerminal } from '../../sky-sim/testing/micius-link.ts';
import { stationPostProcessor } from '../mission/station-wiring.ts';

const usage = `usage: satqkd station --config FILE [--mount sim|rotctld://host:port|indi://host:port] [--speed-up N]
                      [--start ISO] [--hours H] [--port N] [--records DIR] [--timetags FILE] [--log-level L]

Runs one ground station: predicts the night's passes from the config's TLEs, flies them (pre-pass checks, slew,
track at 10 Hz, record, park, post-process, store) and serves the operator API (GET plan/state/log/passes,
POST commands/abort|park|pause|resume, GET telemetry as Server-Sent Events) under /api/station.

  --config FILE     station config (see ground-station/station.example.json)
  --mount URL       sim (default: sky-sim on a virtual clock) | rotctld://host:port | indi://host:port[?device=NAME]
  --speed-up N|max  sim only: virtual seconds per real second (default: the config's speedUp); 'max' steps the
                    virtual clock as fast as the CPU allows (deterministic; the API still answers between steps)
  --start ISO       start of the night (default: the config's night.startUtc; real mounts: now)
  --hours H         length of the night (default: the config's night.hours)
  --port N          operator API port (default: the config's api.port; 0 = any free port)
  --records DIR     keep each pass's raw time tags there (binary .sqtt)
  --timetags FILE   real mounts: replay this time-tag file as the receiver (there is no hardware tagger driver)
  --store FILE      sky-sim: the station's SQLite key store (default var/stations/<station id>.sqlite)
  --log-level L     debug|info|warn|error (default info)
On sky-sim every pass is post-processed against the simulated satellite (sync, sifting, Cascade, finite-key
bound, privacy amplification) and its key stored. On a real mount the satellite's side of post-processing is not
reachable from here: the station flies the pass and keeps its raw time tags (--records) for later processing.`;

/** Real mounts: the satellite's classical-channel peer is not reachable here, so the records are kept, not processed. */
const recordsOnly: PostProcessor = async (r) => ({ blocks: [], note: `${r.events.length} detections kept for post-processing with the satellite's records` });

export const command: CliCommand = {
  name: 'station',
  summary: 'run a ground-station daemon (pass automation + operator API) on sky-sim or a real mount',
  usage,
  async run(argv, io) {
    const v = parseFlags(
      argv,
      {
        config: { type: 'string' },
        mount: { type: 'string' },
        'speed-up': { type: 'string' },
        start: { type: 'string' },
        hours: { type: 'string' },
        port: { type: 'string' },
        records: { type: 'string' },
        timetags: { type: 'string' },
        store: { type: 'string' },
        'log-level': { type: 'string' },
      },
      { usage },
      io,
    );
    if (!v) return 0;
    const configPath = required(v, 'config');
    // Flag syntax first (a usage error, exit 2) — their defaults come from the config, loaded next.
    if (v['speed-up'] !== 'max') numberFlag(v, 'speed-up');
    numberFlag(v, 'hours');
    numberFlag(v, 'port');
    const loaded = loadStationConfig(configPath);
    if (!loaded.ok) {
      io.stderr.write(`satqkd station: ${loaded.reason}\n`);
      return 1;
    }
    const cfg = loaded.value;
    const url = parseMountUrl(typeof v.mount === 'string' ? v.mount : 'sim');
    if (!url.ok) throw new UsageError(`--mount: ${url.reason}`);
    const asFastAsPossible = v['speed-up'] === 'max';
    const speedUp = asFastAsPossible ? Infinity : numberFlag(v, 'speed-up', cfg.speedUp)!;
    if (!(speedUp > 0)) throw new UsageError(`--speed-up must be > 0 or 'max', got ${speedUp}`);
    const hours = numberFlag(v, 'hours', cfg.night.hours)!;
    if (!(hours > 0 && hours <= 48)) throw new UsageError(`--hours must be in (0, 48], got ${hours}`);
    const port = numberFlag(v, 'port', cfg.api.port)!;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, got ${port}`);
    let startMs: number | null = null;
    if (typeof v.start === 'string') {
      startMs = parseIso(v.start);
      if (startMs === null) throw new UsageError(`--start must be an ISO-8601 instant with a zone, got '${v.start}'`);
    }
    const level = (typeof v['log-level'] === 'string' ? v['log-level'] : 'info') as 'debug' | 'info' | 'warn' | 'error';
    if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new UsageError(`--log-level must be debug|info|warn|error, got '${level}'`);

    const sim = url.mount.kind === 'sim';
    const nightStart = startMs ?? (sim && cfg.night.startUtc ? parseIso(cfg.night.startUtc)! : Date.now());
    const virtual = sim ? new VirtualClock({ startMs: nightStart, pace: asFastAsPossible ? { kind: 'stepped' } : { kind: 'scaled', speedUp } }) : null;
    const clock: Timebase = virtual ?? wallTimebase;
    const logger = createJsonLogger({ write: (l) => io.stderr.write(l), level, nowMs: () => clock.nowMs(), base: { app: 'satqkd-station' } });
    const config = { ...cfg, night: { ...cfg.night, startUtc: new Date(nightStart).toISOString(), hours }, api: { ...cfg.api, port }, recordsDir: typeof v.records === 'string' ? v.records : cfg.recordsDir };
    if (typeof v.records === 'string') config.baseDir = io.cwd;

    let mount;
    let tagger: TimeTagger | undefined;
    if (!sim) {
      const station = (await import('../../ground-station/station-config.ts')).planNight(config, nightStart);
      if (!station.ok) {
        io.stderr.write(`satqkd station: ${station.reason}\n`);
        return 1;
      }
      mount = openMount(url.mount, { clock, site: station.value.station });
      tagger = typeof v.timetags === 'string' ? FileTimeTagger.open(v.timetags, clock) : new FileTimeTagger({ meta: {}, startUtcMs: null, events: [] }, clock);
      if (typeof v.timetags !== 'string') logger.warn('station.no_tagger', { message: 'no --timetags: passes are flown, nothing is recorded' });
    }
    let postProcess = recordsOnly;
    let store: KeyStore | null = null;
    const worlds = new Map<string, SimulatedPass>();
    if (sim) {
      const term = loadTerminal();
      if (!term.ok) {
        io.stderr.write(`satqkd station: ${term.reason}\n`);
        return 1;
      }
      const storePath = resolvePath(io.cwd, typeof v.store === 'string' ? v.store : `var/stations/${cfg.stationId}.sqlite`);
      mkdirSync(dirname(storePath), { recursive: true });
      store = new KeyStore(storePath);
      postProcess = stationPostProcessor({
        stationId: cfg.stationId, protocol: term.terminal.protocol, seed: 1, worlds, logger,
        onSatelliteKey: () => {},
        onReport: (r) => logger.info('station.pass_post_processed', { pass: r.passId, ok: r.report?.ok ?? false, finalKeyBits: r.report?.finalKeyBits ?? 0, finiteKeyBoundBits: r.report?.finiteKeyBoundBits ?? 0, qber: r.report?.qber ?? null, error: r.error ?? null }),
      });
    } else if (typeof v.store === 'string') throw new UsageError('--store goes with the sky-sim mount (a real station keeps records, see --records)');
    const started = await startStation({ config, clock, mount, tagger, postProcess, keySink: store ?? { put: async () => {} }, logger, ...(sim ? { skySim: { onPass: (pass: { id: string }, w: SimulatedPass) => worlds.set(pass.id, w) } } : {}) });
    if (!started.ok) {
      io.stderr.write(`satqkd station: ${started.reason}\n`);
      return 1;
    }
    const st = started.station;
    const total = st.plan?.passes.length ?? 0;
    logger.info('station.started', { api: st.url, mount: url.mount.kind, passes: total, night: config.night, speedUp: sim ? (asFastAsPossible ? 'max' : speedUp) : 1 });

    const finished = () => Object.keys(st.automation.plan().finished).length + Object.keys(st.automation.plan().conflicts).length;
    const stopped = new Promise<'signal' | 'done'>((resolve) => {
      const onSignal = () => resolve('signal');
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      if (!sim) return; // a real station runs until stopped
      const timer = setInterval(() => {
        const s = st.automation.state;
        const nightOver = clock.nowMs() >= nightStart + hours * 3_600_000;
        if (s.phase === 'idle' && (finished() >= total || nightOver)) {
          clearInterval(timer);
          resolve('done');
        }
      }, 200);
    });
    // 'max': step virtual time (1 s at a time, timers fire in order) until the night is flown or a signal arrives.
    let stepping = asFastAsPossible && virtual !== null;
    const stepper = (async () => {
      while (stepping) await virtual!.advanceBy(1000);
    })();
    const why = await stopped;
    stepping = false;
    await stepper;
    if (why === 'signal' && st.automation.state.phase !== 'idle') await st.automation.command('park', 'station shutting down');
    io.stdout.write(JSON.stringify({ station: cfg.stationId, stoppedBy: why, passes: st.automation.passSummaries() }) + '\n');
    await st.close();
    if (store) {
      io.stdout.write(JSON.stringify({ station: cfg.stationId, keyStore: store.summary() }) + '\n');
      store.close();
    }
    return 0;
  },
};
