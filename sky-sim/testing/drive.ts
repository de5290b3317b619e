/**
 * Helpers for tests, benches and the CLI: a static line of sight (a satellite hanging at one az/el/range, for
 * statistics against closed-form expectations) and a minimal pass driver that does what pass automation does
 * (connect, unpark, follow the look at 10 Hz, record) on a stepped virtual clock. The real pass automation
 * lives in ground-station/; this driver exists so sky-sim can be exercised on its own.
 */
import type { LookSample } from '../../planner/types.ts';
import type { DetectionEvent } from '../../planner/ports.ts';
import type { UtcMs } from '../../planner/time.ts';
import type { VirtualClock } from '../clock/virtual-clock.ts';
import type { SimulatedPass } from '../simulated-pass.ts';

export function staticLook(startMs: UtcMs, durationMs: number, look: { azDeg: number; elDeg: number; rangeKm: number }): LookSample[] {
  return [
    { tMs: startMs, ...look, rangeRateKmS: 0 },
    { tMs: startMs + durationMs, ...look, rangeRateKmS: 0 },
  ];
}

export interface DriveOptions {
  /** Command rate of the driver, Hz (default 10). */
  commandRateHz?: number;
  /** Start recording once the mount has been on target this long, or at this time; default at once. */
  recordFromMs?: UtcMs;
  endMs: UtcMs;
  /** Called with each batch read from the tagger (default: collected into the result). */
  onEvents?: (events: DetectionEvent[]) => void;
  /** Tagger read period, ms (default 100). */
  readPeriodMs?: number;
}

/** Follows the pass's own geometry with the mount and records the tagger until endMs. */
export async function drivePass(pass: SimulatedPass, clock: VirtualClock, opts: DriveOptions): Promise<DetectionEvent[]> {
  const collected: DetectionEvent[] = [];
  const sink =
    opts.onEvents ??
    ((batch: DetectionEvent[]) => {
      for (const e of batch) collected.push(e);
    });
  const track = pass.simulation.track;
  await pass.mount.connect();
  await pass.mount.unpark();
  const cmdMs = 1000 / (opts.commandRateHz ?? 10);
  const readMs = opts.readPeriodMs ?? 100;
  const recordFrom = opts.recordFromMs ?? clock.nowMs();
  let recording = false;
  let nextCmd = clock.nowMs();
  let nextRead = clock.nowMs() + readMs;
  while (clock.nowMs() < opts.endMs) {
    const now = clock.nowMs();
    if (!recording && now >= recordFrom) {
      await pass.tagger.start();
      recording = true;
      nextRead = now + readMs;
    }
    if (now >= nextCmd) {
      const look = track.at(now);
      const el = Math.max(look.elDeg, pass.simulation.config.mount.elMinDeg);
      try {
        await pass.mount.slewTo({ azDeg: look.azDeg, elDeg: el });
      } catch {
        // A refused command (stall) is retried at the next tick, as automation would.
      }
      nextCmd += cmdMs;
    }
    if (recording && now >= nextRead) {
      sink(await pass.tagger.read());
      nextRead += readMs;
    }
    const nextStop = Math.min(nextCmd, recording ? nextRead : Math.max(recordFrom, now), opts.endMs);
    if (nextStop > now) await clock.advanceTo(nextStop);
  }
  if (recording) {
    sink(await pass.tagger.read());
    await pass.tagger.stop();
  }
  return collected;
}
