import { describe, expect, it } from 'vitest';
import type { Pass } from '../../planner/types.ts';
import { duePass, emptySchedule, markFinished, nextWakeMs, resolveConflicts, syncPlan } from './schedule.ts';

function pass(id: string, aosS: number, losS: number, maxElevationDeg = 40): Pass {
  return {
    id, satellite: id.split('@')[0], station: 'xinglong', aosMs: aosS * 1000, tcaMs: ((aosS + losS) / 2) * 1000, losMs: losS * 1000,
    maxElevationDeg, aosAzimuthDeg: 10, tcaAzimuthDeg: 100, losAzimuthDeg: 190, rangeAtTcaKm: 600,
    clippedStart: false, clippedEnd: false, usableWindows: [], sunlitAtTca: false,
  };
}

const opts = { leadMs: 120_000, minRemainingMs: 30_000 };

describe('schedule following', () => {
  it('orders passes and drops the ones that overlap (one pass per telescope)', () => {
    const a = pass('A@s@1', 1000, 1400);
    const b = pass('B@s@2', 1300, 1700); // overlaps A
    const c = pass('C@s@3', 1500, 1900); // clear of A once B is dropped
    const { plan, conflicts } = resolveConflicts([c, b, a], 60_000);
    expect(plan.map((p) => p.id)).toEqual(['A@s@1', 'C@s@3']);
    expect(conflicts).toEqual({ 'B@s@2': 'A@s@1' });
  });

  it('needs turnaround time between passes', () => {
    const { plan } = resolveConflicts([pass('A', 1000, 1400), pass('B', 1430, 1800)], 60_000);
    expect(plan.map((p) => p.id)).toEqual(['A']);
  });

  it('re-sync is idempotent and keeps finished passes finished', () => {
    const passes = [pass('A', 1000, 1400), pass('B', 2000, 2400)];
    const r1 = syncPlan(emptySchedule(), passes, 60_000);
    expect(r1).toMatchObject({ changed: true, added: ['A', 'B'], removed: [] });
    const done = markFinished(r1.schedule, 'A', 'completed', 'keys stored');
    const r2 = syncPlan(done, [...passes].reverse(), 60_000);
    expect(r2.changed).toBe(false);
    expect(r2.schedule).toBe(done);
    const r3 = syncPlan(done, [pass('A', 1000, 1400), pass('C', 3000, 3400)], 60_000);
    expect(r3).toMatchObject({ changed: true, added: ['C'], removed: ['B'] });
    expect(r3.schedule.finished.A?.outcome).toBe('completed');
    expect(duePass(r3.schedule, 1_100_000, opts).due).toBeNull(); // A is finished, never re-flown
  });

  it.each([
    { name: 'before the lead time', nowS: 870, due: null, missed: [] },
    { name: 'at the lead time', nowS: 880, due: 'A', missed: [] },
    { name: 'late join mid-pass', nowS: 1200, due: 'A', missed: [] },
    { name: 'too little left: missed, next not yet due', nowS: 1380, due: null, missed: ['A'] },
    { name: 'next pass due after a missed one', nowS: 1900, due: 'B', missed: ['A'] },
    { name: 'plan exhausted', nowS: 5000, due: null, missed: ['A', 'B'] },
  ])('due pass: $name', ({ nowS, due, missed }) => {
    const { schedule } = syncPlan(emptySchedule(), [pass('A', 1000, 1400), pass('B', 2000, 2400)], 60_000);
    const r = duePass(schedule, nowS * 1000, opts);
    expect(r.due?.id ?? null).toBe(due);
    expect(r.missed.map((p) => p.id)).toEqual(missed);
  });

  it('next wake time is the next lead time, or null', () => {
    const { schedule } = syncPlan(emptySchedule(), [pass('A', 1000, 1400)], 60_000);
    expect(nextWakeMs(schedule, 0, opts)).toBe(880_000);
    expect(nextWakeMs(schedule, 900_000, opts)).toBe(900_000);
    expect(nextWakeMs(markFinished(schedule, 'A', 'completed', ''), 0, opts)).toBeNull();
  });
});
