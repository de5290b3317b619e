/**
 * Wires sky-sim behind the automation's ports for tests, benches and the station daemon's default: one simulated
 * world per pass (createSimulatedPass), sharing the automation's clock, plus a synthetic Micius-like pass to fly
 * when no TLE is at hand.
 */
import type { Clock, UtcMs } from '../../../planner/time.ts';
import type { LookSample, Pass } from '../../../planner/types.ts';
import { createSimulatedPass, type SimulatedPass } from '../../../sky-sim/simulated-pass.ts';
import type { FaultInput } from '../../../sky-sim/faults/faults.ts';
import type { SimConfigInput } from '../../../sky-sim/config.ts';
import { syntheticPass } from '../../../sky-sim/geometry/synthetic-pass.ts';
import { loadTerminalLink } from '../../../sky-sim/testing/micius-link.ts';
import type { Rig, RigProvider } from '../ports.ts';

/**
 * sky-sim's world starts at its first look sample and stands still before it, but the automation needs the mount
 * to move minutes before AOS (checks, slew, wait). So the world is started `preRollMs` earlier, with the
 * satellite still below the horizon at the AOS azimuth (−5°, rising linearly to the AOS point): the mount can
 * slew, nothing is detected before the satellite rises.
 */
export function withPreRoll(ephemeris: readonly LookSample[], preRollMs: number): LookSample[] {
  const first = ephemeris[0];
  return [{ ...first, tMs: first.tMs - preRollMs, elDeg: -5 }, ...ephemeris];
}

export interface SkySimRigOptions {
  /** How long before AOS the simulated world starts (≥ the automation's lead time). */
  preRollMs?: number;
  clock: Clock;
  seed?: number;
  /** Faults per pass id (absolute times). */
  faults?: (pass: Pass) => FaultInput[];
  /** Any part of sky-sim's configuration (tests use a coarser grid to run faster). */
  config?: SimConfigInput;
  /** Sees each simulated world as it is built (telemetry, satellite records for post-processing). */
  onPass?: (pass: Pass, sim: SimulatedPass) => void;
}

export function skySimRig(o: SkySimRigOptions): RigProvider {
  const link = loadTerminalLink();
  let n = 0;
  return async (pass: Pass, ephemeris: readonly LookSample[]): Promise<Rig> => {
    const r = createSimulatedPass({ lookSamples: withPreRoll(ephemeris, o.preRollMs ?? 600_000), link, clock: o.clock, seed: (o.seed ?? 1) + n++, config: o.config, faults: o.faults?.(pass) ?? [] });
    if (!r.ok) throw new Error(`sky-sim: ${r.reason}`);
    o.onPass?.(pass, r);
    return { mount: r.mount, beacon: r.beacon, tagger: r.tagger };
  };
}

/** A Micius-like synthetic pass (500 km, culminating at `maxElevationDeg`, cut at 15°) as a planner Pass + its ephemeris. */
export function syntheticPlannedPass(station: string, tcaMs: UtcMs, maxElevationDeg = 60, headingDeg = 30, minElevationDeg = 15): { pass: Pass; ephemeris: LookSample[] } {
  const ephemeris = syntheticPass({ tcaMs, altitudeKm: 500, maxElevationDeg, minElevationDeg, headingDeg, sampleRateHz: 1 });
  const first = ephemeris[0];
  const last = ephemeris[ephemeris.length - 1];
  const tca = ephemeris.reduce((a, b) => (b.elDeg > a.elDeg ? b : a));
  const pass: Pass = {
    id: `SYNTH-${maxElevationDeg}@${station}@${new Date(first.tMs).toISOString()}`,
    satellite: `SYNTH-${maxElevationDeg}`,
    station,
    aosMs: first.tMs,
    tcaMs: tca.tMs,
    losMs: last.tMs,
    maxElevationDeg: tca.elDeg,
    aosAzimuthDeg: first.azDeg,
    tcaAzimuthDeg: tca.azDeg,
    losAzimuthDeg: last.azDeg,
    rangeAtTcaKm: tca.rangeKm,
    clippedStart: false,
    clippedEnd: false,
    usableWindows: [{ startMs: first.tMs, endMs: last.tMs }],
    sunlitAtTca: false,
  };
  return { pass, ephemeris };
}
