/**
 * The one time representation of satqkd: a UTC instant as milliseconds since the Unix epoch (a plain number,
 * fractional milliseconds allowed). UT1 = UTC throughout (|DUT1| < 0.9 s moves a LEO ground track by < 0.4 km
 * of Earth rotation at the equator; documented in docs/time.md).
 * Pure code never reads the wall clock: it is handed a `Clock`.
 */
export type UtcMs = number;

export const MS_PER_S = 1000;
export const MS_PER_DAY = 86_400_000;

/** ISO-8601 UTC with milliseconds, the format of every file and API of satqkd: 2026-11-29T18:00:00.000Z. */
export function toIso(t: UtcMs): string {
  return new Date(Math.round(t)).toISOString();
}

/** Strict ISO-8601 instant (a zone is required) → UtcMs, or null. */
export function parseIso(s: string): UtcMs | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) return null;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : null;
}

/** An injected source of "now". Real time at the edges, a virtual clock in simulations and tests. */
export interface Clock {
  nowMs(): UtcMs;
}

/** A half-open time interval [startMs, endMs). */
export interface Interval {
  startMs: UtcMs;
  endMs: UtcMs;
}
