/** The whole mission as one CZML document, from planner-agnostic inputs (tracks, sites, windows). */
import { backbonePackets } from './backbone.ts';
import { documentPacket, type DocumentOptions } from './document.ts';
import { islLinkPacket, passLinkPacket } from './links.ts';
import { satellitePacket, type SatelliteStyle } from './satellites.ts';
import { stationPackets } from './stations.ts';
import type { BackboneLinkLevels, BackboneNodeSite, CzmlPacket, IslLink, PassLink, SatelliteTrack, StationSite } from './types.ts';

export interface MissionCzmlInput {
  document: DocumentOptions;
  satellites: SatelliteTrack[];
  stations?: StationSite[];
  passes?: PassLink[];
  interSatellite?: IslLink[];
  backbone?: { nodes: BackboneNodeSite[]; links: BackboneLinkLevels[] };
  satelliteStyle?: SatelliteStyle;
}

/**
 * The whole mission as one CZML document. Links refer to satellites and stations by id, so a pass naming an
 * unknown satellite or station is a caller error (it would draw nothing): it throws, naming the pass.
 */
export function missionCzml(input: MissionCzmlInput): CzmlPacket[] {
  const sats = new Set(input.satellites.map((s) => s.id));
  const stations = new Set((input.stations ?? []).map((s) => s.id));
  const passes = input.passes ?? [];
  const bestKeyBits = passes.reduce((m, p) => Math.max(m, p.expectedSecretKeyBits ?? 0), 0);
  for (const p of passes) {
    if (!sats.has(p.satellite)) throw new RangeError(`pass ${p.id}: unknown satellite '${p.satellite}'`);
    if (!stations.has(p.station)) throw new RangeError(`pass ${p.id}: unknown station '${p.station}'`);
  }
  for (const w of input.interSatellite ?? []) {
    for (const s of [w.satelliteA, w.satelliteB]) if (!sats.has(s)) throw new RangeError(`inter-satellite window ${w.id}: unknown satellite '${s}'`);
  }
  return [
    documentPacket(input.document),
    ...(input.stations ?? []).flatMap((s) => stationPackets(s)),
    ...input.satellites.map((t) => satellitePacket(t, input.satelliteStyle)),
    ...passes.map((p) => passLinkPacket(p, bestKeyBits)),
    ...(input.interSatellite ?? []).map(islLinkPacket),
    ...(input.backbone ? backbonePackets(input.backbone.nodes, input.backbone.links) : []),
  ];
}
