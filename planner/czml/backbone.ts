/**
 * The trusted-relay backbone as CZML: nodes on the ground and links coloured by their key-pool fill level, which
 * may be sampled over time so the colour follows the Cesium clock.
 */
import { toIso } from '../time.ts';
import { rampColour } from './colour.ts';
import { geodeticToEcefM } from './geodesy.ts';
import type { BackboneLinkLevels, BackboneNodeSite, CzmlPacket } from './types.ts';

export function backboneNodePacketId(nodeId: string): string {
  return `node/${nodeId}`;
}

export function backbonePackets(nodes: BackboneNodeSite[], links: BackboneLinkLevels[]): CzmlPacket[] {
  const known = new Set(nodes.map((n) => n.id));
  const out: CzmlPacket[] = nodes.map((n) => ({
    id: backboneNodePacketId(n.id),
    name: n.name ?? n.id,
    properties: { kind: 'node', satqkdId: n.id },
    position: { cartesian: geodeticToEcefM(n.latDeg, n.lonDeg, 0) },
    point: { pixelSize: 6, color: { rgba: [90, 220, 220, 255] }, outlineColor: { rgba: [0, 0, 0, 255] }, outlineWidth: 1 },
  }));
  for (const l of links) {
    for (const end of [l.a, l.b]) if (!known.has(end)) throw new RangeError(`backbone link ${l.id}: unknown node '${end}'`);
    out.push({
      id: `link/${l.id}`,
      name: `${l.a} – ${l.b}`,
      properties: { kind: 'backbone-link', satqkdId: l.id },
      polyline: {
        positions: { references: [`${backboneNodePacketId(l.a)}#position`, `${backboneNodePacketId(l.b)}#position`] },
        // Fibre follows the ground: geodesic arcs clamped to the surface.
        arcType: 'GEODESIC',
        clampToGround: false,
        width: 4,
        material: { solidColor: { color: levelColour(l) } },
      },
    });
  }
  return out;
}

/** Level unknown: a neutral blue-grey, distinct from every ramp colour. */
const UNKNOWN_LEVEL_RGBA = [140, 160, 190, 220];

/** Constant colour for one sample; time-tagged samples (interpolated linearly between polls, held outside). */
function levelColour(l: BackboneLinkLevels): unknown {
  const levels = l.levels ?? [];
  if (levels.length === 0) return { rgba: UNKNOWN_LEVEL_RGBA };
  if (levels.length === 1) return { rgba: rampColour(levels[0].fillFraction) };
  const epochMs = levels[0].tMs;
  const rgba: number[] = [];
  for (const s of levels) rgba.push((s.tMs - epochMs) / 1000, ...rampColour(s.fillFraction));
  return { epoch: toIso(epochMs), interpolationAlgorithm: 'LINEAR', interpolationDegree: 1, forwardExtrapolationType: 'HOLD', backwardExtrapolationType: 'HOLD', rgba };
}
