/**
 * Look samples for the yield of predicted passes and inter-satellite windows, from the same SGP4 propagation that
 * found them (planner/passes). This is the glue `passes --yield` needs:
 *
 *   const withYield = yieldForPredictedPasses(passes, catalog.satellites, stations, terminal, { optimize: true });
 *   const islWithYield = yieldForInterSatelliteWindows(windows, catalog.satellites, islTerminal);
 */
import type { CatalogEntry } from '../catalog/types.ts';
import type { Station } from '../stations/types.ts';
import type { InterSatelliteWindow, LookSample, Pass } from '../types.ts';
import { trackingEphemeris } from '../passes/track.ts';
import { temeAt } from '../passes/propagator.ts';
import { addYieldToInterSatelliteWindows, addYieldToPasses, type AddYieldOptions, type YieldFields, type YieldTerminal } from './add-yield.ts';

/**
 * Samples from AOS to LOS (LOS included) every `stepS`; geometric direction (no light time), the convention of pass
 * prediction — the 25 µrad light-time aberration matters to the telescope, not to the link budget.
 */
export function passLookSamples(sat: CatalogEntry, station: Station, pass: Pick<Pass, 'aosMs' | 'losMs'>, stepS = 1): LookSample[] {
  const out = trackingEphemeris(sat, station, pass.aosMs, pass.losMs, 1 / stepS, { lightTime: 'none' });
  const last = out[out.length - 1];
  if (!last || last.tMs < pass.losMs) out.push(...trackingEphemeris(sat, station, pass.losMs, pass.losMs + 1, 1000, { lightTime: 'none' }).slice(0, 1));
  return out;
}

/**
 * Range and range rate between two satellites across a window, as LookSamples. azDeg and elDeg are 0: an
 * inter-satellite link has no elevation, and the channel model ignores them for direction 'inter-satellite'.
 * Samples where SGP4 fails are left out.
 */
export function interSatelliteLookSamples(a: CatalogEntry, b: CatalogEntry, window: Pick<InterSatelliteWindow, 'startMs' | 'endMs'>, stepS = 1): LookSample[] {
  const out: LookSample[] = [];
  const n = Math.max(1, Math.ceil((window.endMs - window.startMs) / (stepS * 1000)));
  for (let i = 0; i <= n; i++) {
    const t = Math.min(window.endMs, window.startMs + i * stepS * 1000);
    const pa = temeAt(a, t);
    const pb = temeAt(b, t);
    if (!pa || !pb) continue;
    const d = [pb.r[0] - pa.r[0], pb.r[1] - pa.r[1], pb.r[2] - pa.r[2]];
    const dv = [pb.v[0] - pa.v[0], pb.v[1] - pa.v[1], pb.v[2] - pa.v[2]];
    const range = Math.hypot(d[0], d[1], d[2]);
    out.push({ tMs: t, azDeg: 0, elDeg: 0, rangeKm: range, rangeRateKmS: (d[0] * dv[0] + d[1] * dv[1] + d[2] * dv[2]) / range });
  }
  return out;
}

/** `addYieldToPasses` with the look samples propagated from the catalogue; passes of unknown ids get no key. */
export function yieldForPredictedPasses<P extends Pass>(passes: readonly P[], satellites: readonly CatalogEntry[], stations: readonly Station[], terminal: YieldTerminal, opts: AddYieldOptions & { stepS?: number } = {}): Array<P & YieldFields> {
  const sats = new Map(satellites.map((s) => [s.noradId, s]));
  const sts = new Map(stations.map((s) => [s.id, s]));
  return addYieldToPasses(
    passes,
    (p) => {
      const sat = sats.get(p.satellite);
      const st = sts.get(p.station);
      return sat && st ? passLookSamples(sat, st, p, opts.stepS ?? 1) : [];
    },
    terminal,
    opts,
  );
}

export function yieldForInterSatelliteWindows<W extends InterSatelliteWindow>(windows: readonly W[], satellites: readonly CatalogEntry[], terminal: YieldTerminal, opts: AddYieldOptions & { stepS?: number } = {}): Array<W & YieldFields> {
  const sats = new Map(satellites.map((s) => [s.noradId, s]));
  return addYieldToInterSatelliteWindows(
    windows,
    (w) => {
      const a = sats.get(w.satelliteA);
      const b = sats.get(w.satelliteB);
      return a && b ? interSatelliteLookSamples(a, b, w, opts.stepS ?? 1) : [];
    },
    terminal,
    opts,
  );
}
