/**
 * Schedule following, pure: the plan a telescope flies, re-synced idempotently when the scheduler changes it, and
 * the choice of the pass to start now. One telescope flies one pass at a time: overlapping passes are resolved
 * here (earlier AOS wins, ties by higher max elevation) so the machine never sees two candidates at once.
 */
import type { Pass } from '../../planner/types.ts';
import type { UtcMs } from '../../planner/time.ts';

export type PassOutcome = 'completed' | 'aborted' | 'skipped';

export interface ScheduleState {
  /** The plan in AOS order, one entry per pass id, conflicts already removed. */
  plan: Pass[];
  /** Passes dropped because they overlap an earlier one on this telescope, with the id they lost to. */
  conflicts: Record<string, string>;
  /** Passes already flown or given up, by id (kept across re-syncs, so a re-sent plan never re-flies a pass). */
  finished: Record<string, { outcome: PassOutcome; reason: string }>;
}

export interface SyncResult {
  schedule: ScheduleState;
  added: string[];
  removed: string[];
  /** False when the new plan was the plan already followed (idempotent re-sync). */
  changed: boolean;
}

export const emptySchedule = (): ScheduleState => ({ plan: [], conflicts: {}, finished: {} });

/** Orders passes and drops those that overlap an earlier-chosen one (greedy by AOS: what a single mount can fly). */
export function resolveConflicts(passes: readonly Pass[], turnaroundMs: number): { plan: Pass[]; conflicts: Record<string, string> } {
  const byId = new Map<string, Pass>();
  for (const p of passes) if (!byId.has(p.id)) byId.set(p.id, p);
  const sorted = [...byId.values()].sort((a, b) => a.aosMs - b.aosMs || b.maxElevationDeg - a.maxElevationDeg || (a.id < b.id ? -1 : 1));
  const plan: Pass[] = [];
  const conflicts: Record<string, string> = {};
  for (const p of sorted) {
    const last = plan.at(-1);
    if (last && p.aosMs < last.losMs + turnaroundMs) conflicts[p.id] = last.id;
    else plan.push(p);
  }
  return { plan, conflicts };
}

/** Replaces the plan; passes already finished stay finished. Same input → same state, `changed: false`. */
export function syncPlan(s: ScheduleState, passes: readonly Pass[], turnaroundMs: number): SyncResult {
  const { plan, conflicts } = resolveConflicts(passes, turnaroundMs);
  const oldIds = new Set(s.plan.map((p) => p.id));
  const newIds = new Set(plan.map((p) => p.id));
  const added = plan.filter((p) => !oldIds.has(p.id)).map((p) => p.id);
  const removed = s.plan.filter((p) => !newIds.has(p.id)).map((p) => p.id);
  const changed = added.length > 0 || removed.length > 0 || JSON.stringify(plan) !== JSON.stringify(s.plan);
  if (!changed) return { schedule: s, added, removed, changed };
  return { schedule: { plan, conflicts, finished: s.finished }, added, removed, changed };
}

export function markFinished(s: ScheduleState, passId: string, outcome: PassOutcome, reason: string): ScheduleState {
  return { ...s, finished: { ...s.finished, [passId]: { outcome, reason } } };
}

export interface DueOptions {
  leadMs: number;
  minRemainingMs: number;
}

/**
 * The pass to start at `nowMs`: not finished, its lead time reached, and enough of it left to be worth joining
 * (late start joins mid-pass). Passes whose time ran out unflown come back in `missed` so they can be logged.
 */
export function duePass(s: ScheduleState, nowMs: UtcMs, o: DueOptions): { due: Pass | null; missed: Pass[] } {
  const missed: Pass[] = [];
  for (const p of s.plan) {
    if (s.finished[p.id]) continue;
    if (nowMs > p.losMs - o.minRemainingMs) {
      missed.push(p);
      continue;
    }
    if (nowMs >= p.aosMs - o.leadMs) return { due: p, missed };
    return { due: null, missed };
  }
  return { due: null, missed };
}

/** When the next pass will be due (for sleeping until then), or null when the plan is exhausted. */
export function nextWakeMs(s: ScheduleState, nowMs: UtcMs, o: DueOptions): UtcMs | null {
  for (const p of s.plan) {
    if (s.finished[p.id] || nowMs > p.losMs - o.minRemainingMs) continue;
    return Math.max(nowMs, p.aosMs - o.leadMs);
  }
  return null;
}
