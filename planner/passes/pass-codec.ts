/**
 * Compact transfer of passes between threads: one Float64Array (transferred, not copied) instead of structured
 * cloning ~10^5 small objects, which cost more CPU than a tenth of the prediction itself. Ids are rebuilt on arrival.
 */
import { toIso } from '../time.ts';
import type { Pass } from '../types.ts';

const FIXED = 12;

export function encodePasses(passes: readonly Pass[], satelliteIndex: ReadonlyMap<string, number>, stationIndex: ReadonlyMap<string, number>): Float64Array {
  let n = 0;
  for (const p of passes) n += FIXED + 2 * p.usableWindows.length;
  const buf = new Float64Array(n);
  let k = 0;
  for (const p of passes) {
    buf[k++] = satelliteIndex.get(p.satellite)!;
    buf[k++] = stationIndex.get(p.station)!;
    buf[k++] = p.aosMs;
    buf[k++] = p.tcaMs;
    buf[k++] = p.losMs;
    buf[k++] = p.maxElevationDeg;
    buf[k++] = p.aosAzimuthDeg;
    buf[k++] = p.tcaAzimuthDeg;
    buf[k++] = p.losAzimuthDeg;
    buf[k++] = p.rangeAtTcaKm;
    buf[k++] = (p.clippedStart ? 1 : 0) | (p.clippedEnd ? 2 : 0) | (p.sunlitAtTca ? 4 : 0);
    buf[k++] = p.usableWindows.length;
    for (const w of p.usableWindows) {
      buf[k++] = w.startMs;
      buf[k++] = w.endMs;
    }
  }
  return buf;
}

export function decodePasses(buf: Float64Array, satelliteIds: readonly string[], stationIds: readonly string[], into: Pass[]): void {
  let k = 0;
  while (k < buf.length) {
    const satellite = satelliteIds[buf[k++]!]!;
    const station = stationIds[buf[k++]!]!;
    const aosMs = buf[k++]!;
    const tcaMs = buf[k++]!;
    const losMs = buf[k++]!;
    const maxElevationDeg = buf[k++]!;
    const aosAzimuthDeg = buf[k++]!;
    const tcaAzimuthDeg = buf[k++]!;
    const losAzimuthDeg = buf[k++]!;
    const rangeAtTcaKm = buf[k++]!;
    const flags = buf[k++]!;
    const nw = buf[k++]!;
    const usableWindows = [];
    for (let i = 0; i < nw; i++) usableWindows.push({ startMs: buf[k++]!, endMs: buf[k++]! });
    into.push({
      id: `${satellite}@${station}@${toIso(aosMs)}`,
      satellite,
      station,
      aosMs,
      tcaMs,
      losMs,
      maxElevationDeg,
      aosAzimuthDeg,
      tcaAzimuthDeg,
      losAzimuthDeg,
      rangeAtTcaKm,
      clippedStart: (flags & 1) !== 0,
      clippedEnd: (flags & 2) !== 0,
      usableWindows,
      sunlitAtTca: (flags & 4) !== 0,
    });
  }
}
