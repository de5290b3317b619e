/**
 * Satellites as CZML: a sampled Earth-fixed position (Lagrange-interpolated by Cesium), a point, a label and a short
 * orbit trail. Samples are written relative to one epoch in seconds, which keeps a 500-satellite day compact.
 */
import { toIso } from '../time.ts';
import { czmlInterval } from './interval.ts';
import { shortLabel, type CzmlPacket, type SatelliteTrack } from './types.ts';

export interface SatelliteStyle {
  /**
   * Trail behind and ahead of the satellite, seconds (about a quarter orbit reads well for LEO). 0 and 0 draw no
   * path: the trails are most of Cesium's per-frame work for hundreds of satellites (bench/web.bench.ts).
   */
  trailS?: number;
  leadS?: number;
  pixelSize?: number;
  /** Labels cost a texture each; turned off for large constellations. */
  labels?: boolean;
}

export function satellitePacketId(satelliteId: string): string {
  return `sat/${satelliteId}`;
}

export function satellitePacket(track: SatelliteTrack, style: SatelliteStyle = {}): CzmlPacket {
  const s = track.samples;
  if (s.length < 2) throw new RangeError(`satellite ${track.id}: at least 2 position samples are needed, got ${s.length}`);
  const epochMs = s[0].tMs;
  const cartesian: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && !(s[i].tMs > s[i - 1].tMs)) throw new RangeError(`satellite ${track.id}: sample ${i} is not after sample ${i - 1}`);
    const [x, y, z] = s[i].positionEcefM;
    // Millimetre rounding: a 30 % smaller document with no visible effect.
    cartesian.push((s[i].tMs - epochMs) / 1000, Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000, Math.round(z * 1000) / 1000);
  }
  const labels = style.labels ?? true;
  return {
    id: satellitePacketId(track.id),
    name: track.name ?? track.id,
    availability: czmlInterval(epochMs, s[s.length - 1].tMs),
    properties: { kind: 'satellite', satqkdId: track.id },
    position: {
      epoch: toIso(epochMs),
      referenceFrame: 'FIXED',
      interpolationAlgorithm: 'LAGRANGE',
      interpolationDegree: 5,
      cartesian,
    },
    // Camera offset when the satellite is followed (east, north, up of the entity, metres): far enough to see the
    // ground track and the station, not the blur of level-2 imagery a few km below.
    viewFrom: { cartesian: [0, -1_800_000, 1_200_000] },
    point: { pixelSize: style.pixelSize ?? 7, color: { rgba: [255, 255, 255, 255] }, outlineColor: { rgba: [30, 90, 200, 255] }, outlineWidth: 2 },
    ...(labels
      ? {
          label: {
            text: shortLabel(track.name ?? track.id),
            font: '12px sans-serif',
            pixelOffset: { cartesian2: [10, -10] },
            horizontalOrigin: 'LEFT',
            fillColor: { rgba: [230, 240, 255, 255] },
            showBackground: true,
            backgroundColor: { rgba: [0, 0, 0, 120] },
          },
        }
      : {}),
    ...((style.trailS ?? 1500) > 0 || (style.leadS ?? 0) > 0
      ? {
          path: {
            leadTime: style.leadS ?? 0,
            trailTime: style.trailS ?? 1500,
            width: 1.5,
            resolution: 60,
            material: { solidColor: { color: { rgba: [120, 180, 255, 160] } } },
          },
        }
      : {}),
  };
}
