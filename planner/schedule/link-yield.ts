/**
 * The production key yield: look samples along the pass (planner/passes trackingEphemeris, the propagator that found
 * the pass) → channel loss (planner/link) → finite-key length (planner/keyrate expectedPassKey), restricted to the
 * pass's usable windows. Each station's telescope aperture replaces the terminal file's receiver aperture (the
 * central obscuration scales with it), so a 1.5 m telescope earns its larger collection area.
 */
import type { CatalogEntry } from '../catalog/types.ts';
import { expectedPassKey } from '../keyrate/pass-yield.ts';
import type { TerminalFile } from '../link/terminal-file.ts';
import type { LinkParams } from '../link/params.ts';
import { temeAt } from '../passes/propagator.ts';
import { trackingEphemeris } from '../passes/track.ts';
import type { Station } from '../stations/types.ts';
import type { LookSample } from '../types.ts';
import type { IslYield, PassYield } from './candidates.ts';
import type { ScenarioStation } from './scenario.ts';

export function stationLink(link: LinkParams, station: ScenarioStation): LinkParams {
  const apertureM = Math.max(...station.telescopes.map((t) => t.apertureM));
  const ratio = link.receiver.obscurationDiameterM / link.receiver.apertureDiameterM;
  return { ...link, receiver: { ...link.receiver, apertureDiameterM: apertureM, obscurationDiameterM: ratio * apertureM } };
}

export function plannerStation(s: ScenarioStation): Station {
  return { id: s.id, name: s.name ?? s.id, latDeg: s.latDeg, lonDeg: s.lonDeg, heightM: s.heightM, minElevationDeg: s.minElevationDeg, telescope: { apertureM: Math.max(...s.telescopes.map((t) => t.apertureM)) } };
}

export function terminalPassYield(terminal: TerminalFile, satellites: ReadonlyMap<string, CatalogEntry>, sampleStepS: number): PassYield {
  const links = new Map<string, LinkParams>();
  return (pass, station) => {
    const sat = satellites.get(pass.satellite);
    if (!sat || pass.usableWindows.length === 0) return 0;
    const link = links.get(station.id) ?? stationLink(terminal.link, station);
    links.set(station.id, link);
    const samples = trackingEphemeris(sat, plannerStation(station), pass.aosMs, pass.losMs + sampleStepS * 1000, 1 / sampleStepS, { lightTime: 'none' });
    const y = expectedPassKey(samples, link, terminal.protocol, { slotDurationS: terminal.planning.slotDurationS, usableWindows: pass.usableWindows });
    return y.expectedSecretKeyBits;
  };
}

/** Range and range rate between two satellites (an inter-satellite link has no elevation: it is set to 90°). */
function islSamples(a: CatalogEntry, b: CatalogEntry, startMs: number, endMs: number, stepS: number): LookSample[] {
  const out: LookSample[] = [];
  for (let t = startMs; t <= endMs; t += stepS * 1000) {
    const pa = temeAt(a, t);
    const pb = temeAt(b, t);
    if (!pa || !pb) continue;
    const d = [pb.r[0] - pa.r[0], pb.r[1] - pa.r[1], pb.r[2] - pa.r[2]];
    const rangeKm = Math.hypot(d[0], d[1], d[2]);
    const dv = [pb.v[0] - pa.v[0], pb.v[1] - pa.v[1], pb.v[2] - pa.v[2]];
    out.push({ tMs: t, azDeg: 0, elDeg: 90, rangeKm, rangeRateKmS: (d[0] * dv[0] + d[1] * dv[1] + d[2] * dv[2]) / rangeKm });
  }
  return out;
}

export function terminalIslYield(terminal: TerminalFile, satellites: ReadonlyMap<string, CatalogEntry>, sampleStepS: number): IslYield {
  return (w) => {
    const a = satellites.get(w.satelliteA);
    const b = satellites.get(w.satelliteB);
    if (!a || !b) return 0;
    const samples = islSamples(a, b, w.startMs, w.endMs, sampleStepS);
    if (samples.length < 2) return 0;
    return expectedPassKey(samples, terminal.link, terminal.protocol, { slotDurationS: terminal.planning.slotDurationS }).expectedSecretKeyBits;
  };
}
