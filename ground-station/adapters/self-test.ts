/**
 * The operator's self-test of a mount (`satqkd mount-test`): connect, unpark, slew to three positions, follow 30 s
 * of a tracking ephemeris at 10 Hz, park; every step reports what was commanded, what the mount reported and the
 * error. The ephemeris is a Micius-like pass (500 km, culminating at 45° in the east, so a German mount need not
 * flip), 15 s either side of culmination: the angular rates of a real pass, on any mount, at any time.
 */
import type { AzEl, Mount } from '../../planner/ports.ts';
import type { LookSample } from '../../planner/types.ts';
import { syntheticPass } from '../../sky-sim/geometry/synthetic-pass.ts';
import { commandLeadOf, type Timebase } from '../automation/ports.ts';
import { EphemerisTrack } from '../automation/tracking.ts';
import { separationDeg } from './radec.ts';

export interface SelfTestStep {
  step: string;
  ok: boolean;
  durationMs: number;
  commanded?: AzEl;
  achieved?: AzEl;
  errorDeg?: number;
  message?: string;
  /** Tracking only: one sample per second. */
  samples?: Array<{ tOffsetS: number; commanded: AzEl; achieved: AzEl; errorDeg: number }>;
  rmsErrorDeg?: number;
  maxErrorDeg?: number;
}

export interface SelfTestReport {
  ok: boolean;
  mount: string;
  steps: SelfTestStep[];
}

export interface SelfTestOptions {
  positions?: AzEl[];
  trackSeconds?: number;
  rateHz?: number;
  /** A slew counts as arrived within this. */
  toleranceDeg?: number;
  slewTimeoutMs?: number;
  /** Tracking passes when its RMS error (after the first 3 s of catching up) is below this. */
  trackToleranceDeg?: number;
}

/** The test pass, in seconds relative to culmination. */
export function selfTestTrack(trackSeconds: number): { at(tOffsetS: number): AzEl; samples: LookSample[] } {
  const samples = syntheticPass({ tcaMs: 0, altitudeKm: 500, maxElevationDeg: 45, minElevationDeg: 15, headingDeg: 180, sampleRateHz: 1 });
  const track = new EphemerisTrack(samples);
  const half = (trackSeconds * 1000) / 2;
  return { at: (s) => track.at(s * 1000 - half), samples };
}

const round = (p: AzEl): AzEl => ({ azDeg: Math.round(p.azDeg * 1e4) / 1e4, elDeg: Math.round(p.elDeg * 1e4) / 1e4 });

export async function runMountSelfTest(mount: Mount, clock: Timebase, o: SelfTestOptions = {}): Promise<SelfTestReport> {
  const trackSeconds = o.trackSeconds ?? 30;
  const rateHz = o.rateHz ?? 10;
  const tol = o.toleranceDeg ?? 0.5;
  const track = selfTestTrack(trackSeconds);
  const positions = o.positions ?? [
    { azDeg: 100, elDeg: 30 },
    { azDeg: 120, elDeg: 50 },
    track.at(0), // the start of the tracking run
  ];
  const steps: SelfTestStep[] = [];
  const run = async (step: string, f: (s: SelfTestStep) => Promise<void>): Promise<boolean> => {
    const t0 = clock.nowMs();
    const s: SelfTestStep = { step, ok: false, durationMs: 0 };
    try {
      await f(s);
      s.ok = s.ok || s.message === undefined;
    } catch (err) {
      s.ok = false;
      s.message = (err as Error).message;
    }
    s.durationMs = Math.round(clock.nowMs() - t0);
    steps.push(s);
    return s.ok;
  };

  let ok = (await run('connect', () => mount.connect())) && (await run('unpark', async (s) => {
    await mount.unpark();
    const st = await mount.getStatus();
    if (st.parked) s.message = 'still parked after unpark';
  }));

  for (const [i, target] of positions.entries()) {
    if (!ok) break;
    ok = await run(`slew ${i + 1}`, async (s) => {
      s.commanded = round(target);
      await mount.slewTo(target);
      const deadline = clock.nowMs() + (o.slewTimeoutMs ?? 120_000);
      for (;;) {
        await clock.sleep(200);
        const st = await mount.getStatus();
        const err = separationDeg(st, target);
        s.achieved = round(st);
        s.errorDeg = err;
        if (st.fault) throw new Error(`mount fault: ${st.fault}`);
        if (!st.slewing && err <= tol) return;
        if (clock.nowMs() > deadline) {
          s.message = `not within ${tol}° of the target after ${(o.slewTimeoutMs ?? 120_000) / 1000} s (${err.toFixed(3)}° off)`;
          return;
        }
      }
    });
  }

  if (ok) {
    ok = await run(`track ${trackSeconds} s`, async (s) => {
      const t0 = clock.nowMs();
      const samples: NonNullable<SelfTestStep['samples']> = [];
      let sumSq = 0;
      let n = 0;
      let max = 0;
      let nextSampleS = 0;
      for (let k = 0; ; k++) {
        const due = t0 + (k * 1000) / rateHz;
        const wait = due - clock.nowMs();
        if (wait > 0) await clock.sleep(wait);
        const tS = (clock.nowMs() - t0) / 1000;
        if (tS > trackSeconds) break;
        const target = track.at(tS + (commandLeadOf(mount) ?? 0) / 1000);
        await mount.slewTo(target);
        const st = await mount.getStatus();
        if (st.fault) throw new Error(`mount fault: ${st.fault}`);
        // Judge against where the satellite is when the mount reports, after the first seconds of catching up.
        const err = separationDeg(st, track.at((clock.nowMs() - t0) / 1000));
        if (tS >= 3) {
          sumSq += err * err;
          n++;
          max = Math.max(max, err);
        }
        if (tS >= nextSampleS) {
          samples.push({ tOffsetS: Math.round(tS * 10) / 10, commanded: round(target), achieved: round(st), errorDeg: err });
          nextSampleS += 1;
        }
      }
      s.samples = samples;
      s.rmsErrorDeg = n ? Math.sqrt(sumSq / n) : undefined;
      s.maxErrorDeg = max;
      const limit = o.trackToleranceDeg ?? 1;
      if (!n) s.message = 'no tracking samples';
      else if (s.rmsErrorDeg! > limit) s.message = `RMS tracking error ${s.rmsErrorDeg!.toFixed(3)}° above ${limit}°`;
    });
  }

  // Park whatever happened before: the self-test leaves the mount safe.
  const parked = await run('park', async (s) => {
    await mount.park();
    const deadline = clock.nowMs() + (o.slewTimeoutMs ?? 120_000);
    for (;;) {
      const st = await mount.getStatus();
      s.achieved = round(st);
      if (st.parked && !st.slewing) return;
      if (clock.nowMs() > deadline) {
        s.message = 'not parked in time';
        return;
      }
      await clock.sleep(200);
    }
  });
  await mount.close().catch(() => undefined);
  return { ok: ok && parked, mount: mount.kind, steps };
}
