/**
 * One simulated pass end to end: fly a Micius-like pass on sky-sim (its minimal driver), then post-process the
 * recorded time tags against the satellite's pulse records and store the station's key. The building block of
 * `satqkd simulate-pass` (the CLI command wires it; this module owns no I/O beyond the optional key store).
 */
import { VirtualClock } from '../../sky-sim/clock/virtual-clock.ts';
import { syntheticPass as syntheticLooks } from '../../sky-sim/geometry/synthetic-pass.ts';
import type { FaultInput } from '../../sky-sim/faults/faults.ts';
import { createSimulatedPass } from '../../sky-sim/simulated-pass.ts';
import { drivePass } from '../../sky-sim/testing/drive.ts';
import { loadTerminal } from '../../sky-sim/testing/micius-link.ts';
import type { DetectionEvent, KeySink } from '../../planner/ports.ts';
import type { UtcMs } from '../../planner/time.ts';
import { AuthKeyPool } from './auth-key-pool.ts';
import { postProcessPass, type PassOutcome } from './pipeline.ts';

const SPEED_OF_LIGHT_KM_PER_S = 299_792.458;

export interface SkySimPassOptions {
  tcaMs: UtcMs;
  maxElevationDeg?: number;
  /** Seconds of the pass recorded (default 20), centred on TCA + `centreOffsetS` (default 0). */
  recordSeconds?: number;
  centreOffsetS?: number;
  seed?: number;
  sink?: KeySink;
  /** Pre-shared authentication key of both parties (default: 64 KiB derived from the seed — a simulation only). */
  preSharedAuthKey?: Uint8Array;
  passId?: string;
  /** Sees the raw records before post-processing: the detections and sky-sim's telemetry of the pass. */
  onRecorded?: (events: readonly DetectionEvent[], telemetry: readonly unknown[], window: { startMs: UtcMs; endMs: UtcMs }) => void;
  /** sky-sim faults (clock jumps, tagger gaps, clouds…), times in UTC ms. */
  faults?: readonly FaultInput[];
  /** Drift of the tagger's clock, ppb (sky-sim config). */
  taggerDriftPpb?: number;
  /** Error reconciliation (default Cascade). */
  reconciliation?: 'cascade' | 'ldpc';
}

export async function simulateAndPostProcess(o: SkySimPassOptions): Promise<PassOutcome & { simulationMs: number; events: number }> {
  const looks = syntheticLooks({ tcaMs: o.tcaMs, altitudeKm: 500, maxElevationDeg: o.maxElevationDeg ?? 70, minElevationDeg: 15, sampleRateHz: 1 });
  const term = loadTerminal();
  if (!term.ok) throw new Error(term.reason);
  const protocol = term.terminal.protocol;
  const clock = new VirtualClock({ startMs: looks[0].tMs });
  const seed = o.seed ?? 1;
  const pass = createSimulatedPass({
    lookSamples: looks,
    link: term.terminal.link,
    protocol,
    clock,
    seed,
    ...(o.faults ? { faults: o.faults } : {}),
    ...(o.taggerDriftPpb !== undefined ? { config: { tagger: { driftPpb: o.taggerDriftPpb } } } : {}),
  });
  if (!pass.ok) throw new Error(pass.reason);
  const recordMs = (o.recordSeconds ?? 20) * 1000;
  const startMs = o.tcaMs + (o.centreOffsetS ?? 0) * 1000 - recordMs / 2;
  const t0 = performance.now();
  const telemetry: unknown[] = [];
  const unsubscribe = o.onRecorded ? pass.onTelemetry((t) => telemetry.push(t)) : () => {};
  const events = await drivePass(pass, clock, { recordFromMs: startMs, endMs: startMs + recordMs });
  unsubscribe();
  const simulationMs = performance.now() - t0;
  o.onRecorded?.(events, telemetry, { startMs, endMs: startMs + recordMs });
  // The station's prediction of which pulse meets tagger reading 0: tagger start minus the predicted light time.
  const periodPs = 1e12 / protocol.sourceRateHz;
  const look = pass.simulation.track.at(startMs);
  const tagZeroPulse = Math.round(((startMs - pass.simulation.epochMs) * 1e9 - (look.rangeKm / SPEED_OF_LIGHT_KM_PER_S) * 1e12) / periodPs);
  const pre = o.preSharedAuthKey ?? simulatedPreSharedKey(seed);
  const outcome = await postProcessPass(
    { passId: o.passId ?? `sky-sim-${new Date(o.tcaMs).toISOString()}`, stationId: 'xinglong', satelliteId: 'micius', startMs, endMs: startMs + recordMs },
    { detections: events, pool: new AuthKeyPool(pre), ...(o.sink ? { sink: o.sink } : {}) },
    { pulseRecord: (k) => (Number.isSafeInteger(k) && k >= 0 ? pass.satellite.pulseRecords([k])[0] : undefined), pool: new AuthKeyPool(pre) },
    { params: protocol, pulsePeriodPs: periodPs, publicSeed: seed, tagZeroPulse, offsetWindowPulses: 5000, ...(o.reconciliation ? { reconciliation: o.reconciliation } : {}) },
  );
  return { ...outcome, simulationMs, events: events.length };
}

function simulatedPreSharedKey(seed: number): Uint8Array {
  const out = new Uint8Array(64 * 1024);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}
