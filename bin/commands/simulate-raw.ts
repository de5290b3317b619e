/**
 * `satqkd simulate-raw`: fly one pass on sky-sim and write what the hardware would have produced, as JSON lines
 * for replay: the time tagger's detection events, the telemetry, and the satellite's records of the detected
 * pulses. Pass automation here is sky-sim's minimal driver (follow the look at 10 Hz, read the tagger every
 * 100 ms); the full stack's `simulate-pass` adds post-processing on top.
 */
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { numberFlag, parseFlags, UsageError, type CliCommand, type CliIo } from '../command.ts';
import { parseIso, toIso } from '../../planner/time.ts';
import type { LookSample } from '../../planner/types.ts';
import { VirtualClock } from '../../sky-sim/clock/virtual-clock.ts';
import { createSimulatedPass } from '../../sky-sim/simulated-pass.ts';
import { syntheticPass } from '../../sky-sim/geometry/synthetic-pass.ts';
import { drivePass } from '../../sky-sim/testing/drive.ts';
import { loadTerminal, MICIUS_TERMINAL_PATH } from '../../sky-sim/testing/micius-link.ts';

const usage = `usage: satqkd simulate-raw --out DIR (--track FILE | --synthetic-max-el DEG) [options]

Simulates one pass (mount, pointing, channel, decoy-state source, four detectors, time tagger) and writes:
  DIR/events.jsonl      {"timePs":…,"channel":…} per detection, tagger clock (0..3 = H,V,D,A; 4 = sync)
  DIR/telemetry.jsonl   one sample per 100 ms and fault start/end records
  DIR/satellite.jsonl   {"pulseIndex","basis","bit","intensityIndex"} of each detected pulse (the satellite's record)
  DIR/meta.json         protocol constants, configuration, and the simulation's ground truth (delays, clock)

  --track FILE             output of \`satqkd track\` (JSON with samples[{t, azDeg, elDeg, rangeKm, rangeRateKmS}])
  --synthetic-max-el DEG   instead: an idealised pass culminating at DEG (500 km circular orbit, from 15° to 15°)
  --tca ISO                TCA of the synthetic pass (default 2026-11-29T16:50:00Z)
  --terminal FILE          link and protocol (default tle-data/terminals/micius-xinglong.json)
  --config FILE            sky-sim configuration overrides (JSON; see docs/sky-sim.md)
  --faults FILE            fault list (JSON array; see docs/sky-sim.md)
  --start ISO, --end ISO   simulate only this part of the pass
  --seed N                 (default 1)
  --speed-up N             run at N × real time (default: as fast as possible)
Exit status: 0 ok, 1 unreadable or invalid input (named by file and field), 2 bad arguments.`;

const trackFileSchema = z.object({
  samples: z
    .array(z.object({ t: z.string(), azDeg: z.number(), elDeg: z.number(), rangeKm: z.number().positive(), rangeRateKmS: z.number() }))
    .min(2),
});

type Loaded<T> = { ok: true; value: T } | { ok: false; reason: string };

function readJson(path: string, cwd: string): Loaded<unknown> {
  const full = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (err) {
    return { ok: false, reason: `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, reason: `${path}: invalid JSON: ${(err as Error).message}` };
  }
}

function loadTrack(path: string, cwd: string): Loaded<LookSample[]> {
  const j = readJson(path, cwd);
  if (!j.ok) return j;
  const r = trackFileSchema.safeParse(j.value);
  if (!r.success) {
    const i = r.error.issues[0];
    return { ok: false, reason: `${path}: ${i.path.join('.') || '(root)'}: ${i.message}` };
  }
  const out: LookSample[] = [];
  for (const [i, s] of r.data.samples.entries()) {
    const tMs = parseIso(s.t);
    if (tMs === null) return { ok: false, reason: `${path}: samples.${i}.t: not an ISO-8601 instant: '${s.t}'` };
    out.push({ tMs, azDeg: s.azDeg, elDeg: s.elDeg, rangeKm: s.rangeKm, rangeRateKmS: s.rangeRateKmS });
  }
  return { ok: true, value: out };
}

/** A JSON-lines writer that respects the stream's back-pressure. */
class JsonLines {
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly stream: WriteStream) {}
  push(obj: unknown): void {
    const line = JSON.stringify(obj) + '\n';
    this.buf.push(line);
    this.size += line.length;
  }
  async flush(force = false): Promise<void> {
    if (!force && this.size < 1 << 20) return;
    if (this.buf.length === 0) return;
    const ok = this.stream.write(this.buf.join(''));
    this.buf = [];
    this.size = 0;
    if (!ok) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    await this.flush(true);
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

function fail(io: CliIo, reason: string): number {
  io.stderr.write(`satqkd simulate-raw: ${reason}\n`);
  return 1;
}

export const command: CliCommand = {
  name: 'simulate-raw',
  summary: 'fly one pass on sky-sim; write detection events, telemetry and pulse records (JSON lines)',
  usage,
  async run(argv, io) {
    const v = parseFlags(
      argv,
      {
        out: { type: 'string' },
        track: { type: 'string' },
        'synthetic-max-el': { type: 'string' },
        tca: { type: 'string' },
        terminal: { type: 'string' },
        config: { type: 'string' },
        faults: { type: 'string' },
        seed: { type: 'string' },
        start: { type: 'string' },
        end: { type: 'string' },
        'speed-up': { type: 'string' },
      },
      { usage },
      io,
    );
    if (!v) return 0;
    if (typeof v.out !== 'string' || v.out === '') throw new UsageError('missing --out');
    const maxEl = numberFlag(v, 'synthetic-max-el');
    if ((v.track === undefined) === (maxEl === undefined)) throw new UsageError('give exactly one of --track FILE or --synthetic-max-el DEG');
    if (maxEl !== undefined && !(maxEl > 15 && maxEl <= 90)) throw new UsageError(`--synthetic-max-el must be in (15, 90], got ${maxEl}`);
    const seed = numberFlag(v, 'seed', 1)!;
    if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${seed}`);
    const speedUp = numberFlag(v, 'speed-up');
    if (speedUp !== undefined && !(speedUp > 0)) throw new UsageError(`--speed-up must be > 0, got ${speedUp}`);
    let tcaMs = Date.UTC(2026, 10, 29, 16, 50);
    if (typeof v.tca === 'string') {
      const t = parseIso(v.tca);
      if (t === null) throw new UsageError(`--tca must be an ISO-8601 instant with a zone, got '${v.tca}'`);
      tcaMs = t;
    }

    let looks: LookSample[];
    if (typeof v.track === 'string') {
      const t = loadTrack(v.track, io.cwd);
      if (!t.ok) return fail(io, t.reason);
      looks = t.value;
    } else {
      looks = syntheticPass({ tcaMs, altitudeKm: 500, maxElevationDeg: maxEl!, minElevationDeg: 15, sampleRateHz: 1 });
    }
    for (const name of ['start', 'end'] as const) {
      const raw = v[name];
      if (raw === undefined) continue;
      const t = typeof raw === 'string' ? parseIso(raw) : null;
      if (t === null) throw new UsageError(`--${name} must be an ISO-8601 instant with a zone, got '${String(raw)}'`);
      // Keep one sample on each side of the cut so the geometry is interpolated, not extrapolated.
      looks = name === 'start' ? looks.filter((s, i) => i + 1 < looks.length && looks[i + 1].tMs > t) : looks.filter((s, i) => i === 0 || looks[i - 1].tMs < t);
    }
    if (looks.length < 2) return fail(io, '--start/--end leave less than two track samples');
    const terminal = loadTerminal(typeof v.terminal === 'string' ? resolve(io.cwd, v.terminal) : MICIUS_TERMINAL_PATH);
    if (!terminal.ok) return fail(io, terminal.reason);
    let config: Record<string, unknown> = {};
    if (typeof v.config === 'string') {
      const c = readJson(v.config, io.cwd);
      if (!c.ok) return fail(io, c.reason);
      config = c.value as Record<string, unknown>;
    }
    let faults: unknown[] = [];
    if (typeof v.faults === 'string') {
      const f = readJson(v.faults, io.cwd);
      if (!f.ok) return fail(io, f.reason);
      if (!Array.isArray(f.value)) return fail(io, `${v.faults}: (root): expected an array of faults`);
      faults = f.value;
    }

    const startMs = typeof v.start === 'string' ? Math.max(looks[0].tMs, parseIso(v.start)!) : looks[0].tMs;
    const endMs = typeof v.end === 'string' ? Math.min(looks[looks.length - 1].tMs, parseIso(v.end)!) : looks[looks.length - 1].tMs;
    const clock = new VirtualClock({ startMs: looks[0].tMs, pace: speedUp ? { kind: 'scaled', speedUp } : { kind: 'stepped' } });
    const pass = createSimulatedPass({ lookSamples: looks, link: terminal.terminal.link, protocol: terminal.terminal.protocol, clock, seed, config, faults: faults as never });
    if (!pass.ok) return fail(io, pass.reason.replace(/^sky-sim config/, typeof v.config === 'string' ? v.config : 'sky-sim config').replace(/^faults/, typeof v.faults === 'string' ? v.faults : 'faults'));

    const dir = resolve(io.cwd, v.out);
    mkdirSync(dir, { recursive: true });
    const events = new JsonLines(createWriteStream(join(dir, 'events.jsonl')));
    const telemetry = new JsonLines(createWriteStream(join(dir, 'telemetry.jsonl')));
    const satellite = new JsonLines(createWriteStream(join(dir, 'satellite.jsonl')));
    pass.onTelemetry((e) => telemetry.push(e));
    pass.simulation.onRecordedSignal((k) => satellite.push(pass.satellite.pulseRecords([k])[0]));
    let nEvents = 0;
    const wall0 = performance.now();
    const flushAll = async () => {
      await events.flush();
      await telemetry.flush();
      await satellite.flush();
    };
    let pendingFlush: Promise<void> = Promise.resolve();
    if (speedUp) {
      // Scaled pace: the driver must wait for the clock; poll it at 10 Hz of wall time.
      await runScaled(pass, clock, endMs, (batch) => {
        for (const e of batch) events.push(e);
        nEvents += batch.length;
      });
    } else {
      await drivePass(pass, clock, {
        endMs,
        recordFromMs: startMs,
        onEvents: (batch) => {
          for (const e of batch) events.push(e);
          nEvents += batch.length;
          pendingFlush = pendingFlush.then(flushAll);
        },
      });
    }
    await pendingFlush;
    await Promise.all([events.close(), telemetry.close(), satellite.close()]);
    const sim = pass.simulation;
    const meta = {
      satellite: pass.satellite.info(),
      epoch: toIso(sim.epochMs),
      seed,
      start: toIso(startMs),
      end: toIso(endMs),
      config: sim.config,
      faults,
      truth: {
        note: 'ground truth of the simulation, for checking post-processing; not available on a real link',
        taggerOffsetPs: sim.config.tagger.offsetPs,
        taggerDriftPpb: sim.config.tagger.driftPpb,
        delayPsAtStart: sim.delayPsAt(startMs),
        delayPsAtEnd: sim.delayPsAt(endMs),
        clicksByKind: { signal: sim.clickCountsByKind[0], extraneous: sim.clickCountsByKind[1], afterpulse: sim.clickCountsByKind[2], sync: sim.clickCountsByKind[3] },
      },
    };
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta, (_k, x) => (x === Infinity ? null : x), 2) + '\n');
    const wallS = (performance.now() - wall0) / 1000;
    io.stdout.write(`simulated ${((endMs - startMs) / 1000).toFixed(0)} s of pass in ${wallS.toFixed(1)} s: ${nEvents} events → ${dir}\n`);
    return 0;
  },
};

/** Real-time or sped-up run: the clock moves by itself; the driver works at its own wall cadence. */
async function runScaled(pass: Extract<ReturnType<typeof createSimulatedPass>, { ok: true }>, clock: VirtualClock, endMs: number, sink: (e: { timePs: number; channel: number }[]) => void): Promise<void> {
  await pass.mount.connect();
  await pass.mount.unpark();
  await pass.tagger.start();
  while (clock.nowMs() < endMs) {
    const look = pass.simulation.track.at(clock.nowMs());
    await pass.mount.slewTo({ azDeg: look.azDeg, elDeg: Math.max(look.elDeg, pass.simulation.config.mount.elMinDeg) }).catch(() => undefined);
    sink(await pass.tagger.read());
    await clock.sleep(100);
  }
  sink(await pass.tagger.read());
  await pass.tagger.stop();
}
