/**
 * Gantt layout of a plan: one row per station, one bar per pass, x in 0..1 of the shown span. Pure, so the maths is
 * tested in node and the DOM code only places boxes.
 */
import type { ViewPass } from './passes.ts';

export interface GanttBar {
  pass: ViewPass;
  row: number;
  /** Sub-lane within the row: passes over one station that overlap (two satellites minutes apart) stack. */
  lane: number;
  x0: number;
  x1: number;
  /** Usable sub-windows, same x scale, for the darker inner bars. */
  usable: { x0: number; x1: number }[];
}

export interface GanttLayout {
  rows: string[];
  /** Lanes per row (at least 1). */
  lanes: number[];
  startMs: number;
  endMs: number;
  bars: GanttBar[];
  /** Ticks at round hours (or days for long spans), x and label. */
  ticks: { x: number; label: string }[];
}

/** Bars narrower than this (fraction of the span) are widened so a 5-minute pass stays clickable on a week's plan. */
export const MIN_BAR_WIDTH = 0.004;

export function ganttLayout(passes: ViewPass[], span?: { startMs: number; endMs: number }, stationOrder?: string[]): GanttLayout {
  const startMs = span?.startMs ?? Math.min(...passes.map((p) => p.aosMs));
  const endMs = span?.endMs ?? Math.max(...passes.map((p) => p.losMs));
  const rows = stationOrder ?? [...new Set(passes.map((p) => p.station))].sort();
  if (passes.length === 0 || !(endMs > startMs)) return { rows, lanes: rows.map(() => 1), startMs: startMs || 0, endMs: endMs || 0, bars: [], ticks: [] };
  const width = endMs - startMs;
  const x = (t: number) => Math.min(1, Math.max(0, (t - startMs) / width));
  const bars: GanttBar[] = [];
  for (const p of passes) {
    const row = rows.indexOf(p.station);
    if (row < 0 || p.losMs < startMs || p.aosMs > endMs) continue;
    let x0 = x(p.aosMs);
    let x1 = x(p.losMs);
    if (x1 - x0 < MIN_BAR_WIDTH) {
      const mid = (x0 + x1) / 2;
      x0 = Math.max(0, mid - MIN_BAR_WIDTH / 2);
      x1 = Math.min(1, x0 + MIN_BAR_WIDTH);
    }
    const usable = (p.usableWindows ?? [{ start: p.aos, end: p.los }]).map((w) => ({ x0: x(Date.parse(w.start)), x1: x(Date.parse(w.end)) }));
    bars.push({ pass: p, row, lane: 0, x0, x1, usable });
  }
  const lanes = assignLanes(bars, rows.length);
  return { rows, lanes, startMs, endMs, bars, ticks: ticks(startMs, endMs) };
}

/** Greedy interval colouring by start: each bar takes the first lane of its row that is free at its start. */
function assignLanes(bars: GanttBar[], rowCount: number): number[] {
  const laneEnds: number[][] = Array.from({ length: rowCount }, () => []);
  for (const b of [...bars].sort((a, c) => a.x0 - c.x0)) {
    const ends = laneEnds[b.row];
    let lane = ends.findIndex((end) => end <= b.x0);
    if (lane < 0) lane = ends.push(0) - 1;
    ends[lane] = b.x1;
    b.lane = lane;
  }
  return laneEnds.map((e) => Math.max(1, e.length));
}

const HOUR_MS = 3_600_000;

function ticks(startMs: number, endMs: number): { x: number; label: string }[] {
  const width = endMs - startMs;
  // Aim for ≤ 12 ticks at a round step.
  const steps = [1, 2, 3, 6, 12, 24, 48, 168].map((h) => h * HOUR_MS);
  const step = steps.find((s) => width / s <= 12) ?? steps[steps.length - 1];
  const out: { x: number; label: string }[] = [];
  for (let t = Math.ceil(startMs / step) * step; t <= endMs; t += step) {
    const iso = new Date(t).toISOString();
    out.push({ x: (t - startMs) / width, label: step >= 24 * HOUR_MS ? iso.slice(5, 10) : iso.slice(11, 16) });
  }
  return out;
}
