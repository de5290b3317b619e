/** CZML time strings: ISO instants and `start/end` intervals (availability, clock). */
import { toIso, type UtcMs, type Interval } from '../time.ts';

export function czmlInterval(startMs: UtcMs, endMs: UtcMs): string {
  return `${toIso(startMs)}/${toIso(endMs)}`;
}

/** Availability of several disjoint windows; CZML accepts an array of interval strings. */
export function czmlAvailability(windows: Interval[]): string | string[] {
  const valid = windows.filter((w) => w.endMs > w.startMs);
  return valid.length === 1 ? czmlInterval(valid[0].startMs, valid[0].endMs) : valid.map((w) => czmlInterval(w.startMs, w.endMs));
}
