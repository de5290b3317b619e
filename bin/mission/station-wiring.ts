/**
 * One scenario station flying its planned passes on sky-sim: which part of each pass is flown for key exchange,
 * its tracking ephemeris, and the post-processor that turns the recorded time tags plus the simulated satellite's
 * records into key (ground-station/postprocess, both parties over an authenticated channel).
 */
import { createHash, hkdfSync } from 'node:crypto';
import type { CatalogEntry } from '../../planner/catalog/index.ts';
import type { DecoyProtocolParams } from '../../planner/keyrate/types.ts';
import type { Logger } from '../../planner/log.ts';
import { trackingEphemeris } from '../../planner/passes/index.ts';
import type { Station } from '../../planner/stations/index.ts';
import type { Interval } from '../../planner/time.ts';
import type { Pass } from '../../planner/types.ts';
import type { PassRecords, PostProcessOutput, PostProcessor } from '../../ground-station/automation/ports.ts';
import { AuthKeyPool } from '../../ground-station/postprocess/auth-key-pool.ts';
import { postProcessPass } from '../../ground-station/postprocess/pipeline.ts';
import type { PassReport } from '../../ground-station/postprocess/report.ts';
import type { SimulatedPass } from '../../sky-sim/simulated-pass.ts';
import type { SatelliteHeldBlock } from './satellite-relay.ts';

const SPEED_OF_LIGHT_KM_PER_S = 299_792.458;

/**
 * The part of a pass flown for key exchange: `recordSeconds` centred on the best (highest) instant of the first
 * usable window. Post-processing cost grows with the detections (about 90 k per second at 100 MHz near zenith),
 * so the demo records the pass's best part rather than all of it; the finite-key bound is computed for exactly
 * what was recorded.
 */
export function flownWindow(p: Pass, recordSeconds: number): Interval | null {
  const w = p.usableWindows.find((u) => u.endMs > u.startMs);
  if (!w) return null;
  const centre = Math.min(Math.max(p.tcaMs, w.startMs), w.endMs);
  const half = (recordSeconds * 1000) / 2;
  let startMs = centre - half;
  let endMs = centre + half;
  if (startMs < w.startMs) [startMs, endMs] = [w.startMs, Math.min(w.endMs, w.startMs + 2 * half)];
  if (endMs > w.endMs) [startMs, endMs] = [Math.max(w.startMs, w.endMs - 2 * half), w.endMs];
  return endMs - startMs >= 5000 ? { startMs: Math.round(startMs), endMs: Math.round(endMs) } : null;
}

/** The pass as the station flies it: AOS and LOS are the key-exchange window's ends; the id stays the plan's. */
export function flownPass(p: Pass, w: Interval): Pass {
  return { ...p, aosMs: w.startMs, losMs: w.endMs, tcaMs: Math.min(Math.max(p.tcaMs, w.startMs), w.endMs), usableWindows: [w], clippedStart: false, clippedEnd: false };
}

export function ephemerisFor(satellites: Map<string, CatalogEntry>, station: Station) {
  return async (pass: Pass) => {
    const sat = satellites.get(pass.satellite);
    if (!sat) throw new Error(`no elements for satellite ${pass.satellite}`);
    return trackingEphemeris(sat, station, pass.aosMs, pass.losMs, 10);
  };
}

/**
 * The authentication secret a station and a satellite share before a pass. A simulation stand-in for a secret
 * loaded before launch: derived per (seed, station, satellite, pass), so no two passes ever draw the same pad.
 */
// 8,160 bytes (HKDF-SHA256's most) = 65,280 bits: a pass spends ~11 kbit on authentication (the sky-sim pass report).
function preSharedAuthKey(seed: number, stationId: string, satelliteId: string, passId: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', Buffer.from(`satqkd-mission-seed-${seed}`), Buffer.alloc(0), Buffer.from(`auth:${stationId}:${satelliteId}:${passId}`), 255 * 32));
}

export interface PassResult {
  passId: string;
  station: string;
  satellite: string;
  report: PassReport | null;
  error?: string;
}

export interface StationPostProcessorOptions {
  stationId: string;
  protocol: DecoyProtocolParams;
  seed: number;
  /** The simulated world of each pass, captured when sky-sim built it (its satellite side). */
  worlds: Map<string, SimulatedPass>;
  onSatelliteKey: (satellite: string, station: string, blocks: SatelliteHeldBlock[]) => void;
  onReport: (r: PassResult) => void;
  logger: Logger;
}

/** Post-processing of one recorded pass; key blocks go to the station's store through the automation's KeySink. */
export function stationPostProcessor(o: StationPostProcessorOptions): PostProcessor {
  return async (rec: PassRecords): Promise<PostProcessOutput> => {
    const world = o.worlds.get(rec.pass.id);
    o.worlds.delete(rec.pass.id);
    if (!world) {
      o.onReport({ passId: rec.pass.id, station: o.stationId, satellite: rec.pass.satellite, report: null, error: 'no simulated satellite for this pass' });
      return { blocks: [], note: 'no satellite records' };
    }
    const periodPs = 1e12 / o.protocol.sourceRateHz;
    // The tagger's start instant, as a hardware tagger time-stamps it against its PPS reference; the clock offset
    // and drift against the satellite remain for the sync stage to find.
    const startPs = world.simulation.taggerClock.startedAtPs ?? (rec.startMs - world.simulation.epochMs) * 1e9;
    const look = world.simulation.track.at(world.simulation.epochMs + startPs / 1e9);
    const tagZeroPulse = Math.round((startPs - (look.rangeKm / SPEED_OF_LIGHT_KM_PER_S) * 1e12) / periodPs);
    const pre = preSharedAuthKey(o.seed, o.stationId, rec.pass.satellite, rec.pass.id);
    const publicSeed = createHash('sha256').update(`public:${o.seed}:${rec.pass.id}`).digest().readUInt32LE(0);
    let outcome;
    try {
      outcome = await postProcessPass(
        { passId: rec.pass.id, stationId: o.stationId, satelliteId: rec.pass.satellite, startMs: rec.startMs, endMs: rec.endMs },
        { detections: rec.events, pool: new AuthKeyPool(pre) },
        { pulseRecord: (k) => (Number.isSafeInteger(k) && k >= 0 ? world.satellite.pulseRecords([k])[0] : undefined), pool: new AuthKeyPool(pre) },
        { params: o.protocol, pulsePeriodPs: periodPs, publicSeed, tagZeroPulse, offsetWindowPulses: 5000, blockBits: 2048, logger: o.logger },
      );
    } finally {
      pre.fill(0);
    }
    const r = outcome.report;
    o.onReport({ passId: rec.pass.id, station: o.stationId, satellite: rec.pass.satellite, report: r, ...(r.ok ? {} : { error: r.error }) });
    if (!r.ok) return { blocks: [], note: r.error ?? 'post-processing failed' };
    o.onSatelliteKey(rec.pass.satellite, o.stationId, outcome.satellite.blocks.map((block, i) => ({ block, bytes: outcome.satellite.bytes[i]! })));
    return { blocks: outcome.station.blocks.map((block, i) => ({ block, keyBytes: outcome.station.bytes[i]! })), qber: r.qber };
  };
}
