/**
 * Pass links (satellite–station) and inter-satellite links as CZML polylines between the two entities' positions
 * (by reference, so the line follows both ends), shown only during their windows.
 */
import { czmlAvailability, czmlInterval } from './interval.ts';
import { keyColour } from './colour.ts';
import { satellitePacketId } from './satellites.ts';
import { stationPacketId } from './stations.ts';
import type { CzmlPacket, IslLink, PassLink } from './types.ts';

export function passLinkPacket(pass: PassLink, bestKeyBits: number): CzmlPacket {
  const windows = pass.usableWindows ?? [{ startMs: pass.aosMs, endMs: pass.losMs }];
  const usable = windows.filter((w) => w.endMs > w.startMs);
  const colour = keyColour(pass.expectedSecretKeyBits, bestKeyBits);
  return {
    id: `pass/${pass.id}`,
    name: `${pass.satellite} → ${pass.station}`,
    properties: { kind: 'pass', satqkdId: pass.id, expectedSecretKeyBits: pass.expectedSecretKeyBits ?? null },
    // A pass cut entirely by its constraints has nothing to draw; an empty availability hides it.
    availability: usable.length > 0 ? czmlAvailability(usable) : czmlInterval(pass.aosMs, pass.aosMs),
    polyline: {
      positions: { references: [`${satellitePacketId(pass.satellite)}#position`, `${stationPacketId(pass.station)}#position`] },
      arcType: 'NONE',
      width: 3,
      material: { polylineGlow: { color: { rgba: colour }, glowPower: 0.2 } },
    },
  };
}

export function islLinkPacket(w: IslLink): CzmlPacket {
  return {
    id: `isl/${w.id}`,
    name: `${w.satelliteA} ↔ ${w.satelliteB}`,
    properties: { kind: 'isl', satqkdId: w.id },
    availability: czmlInterval(w.startMs, w.endMs),
    polyline: {
      positions: { references: [`${satellitePacketId(w.satelliteA)}#position`, `${satellitePacketId(w.satelliteB)}#position`] },
      arcType: 'NONE',
      width: 2,
      material: { polylineDash: { color: { rgba: [200, 120, 255, 220] }, dashLength: 16 } },
    },
  };
}
