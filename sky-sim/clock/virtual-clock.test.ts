import { describe, expect, it } from 'vitest';
import { VirtualClock, type WallClock } from './virtual-clock.ts';

const T0 = Date.UTC(2026, 10, 29, 18, 0, 0);

describe('VirtualClock, stepped pace', () => {
  it('stands still until advanced', async () => {
    const c = new VirtualClock({ startMs: T0 });
    expect(c.nowMs()).toBe(T0);
    await c.advanceBy(1500);
    expect(c.nowMs()).toBe(T0 + 1500);
  });

  it('fires timers in time order, at their own instants, and runs the async work they start', async () => {
    const c = new VirtualClock({ startMs: T0 });
    const seen: [string, number][] = [];
    c.at(T0 + 300, () => seen.push(['b', c.nowMs()]));
    c.at(T0 + 100, () => seen.push(['a', c.nowMs()]));
    // An async loop that sleeps 250 ms three times: each wake-up must land exactly on the virtual grid.
    const loop = (async () => {
      for (let i = 0; i < 3; i++) {
        await c.sleep(250);
        seen.push([`loop${i}`, c.nowMs() - T0]);
      }
    })();
    await c.advanceTo(T0 + 1000);
    await loop;
    expect(seen).toEqual([
      ['a', T0 + 100],
      ['loop0', 250],
      ['b', T0 + 300],
      ['loop1', 500],
      ['loop2', 750],
    ]);
    expect(c.nowMs()).toBe(T0 + 1000);
    expect(c.pendingTimers()).toBe(0);
  });

  it('cancelled timers never fire; time never goes back', async () => {
    const c = new VirtualClock({ startMs: T0 });
    let fired = false;
    const cancel = c.at(T0 + 10, () => (fired = true));
    cancel();
    await c.advanceBy(20);
    expect(fired).toBe(false);
    await expect(c.advanceTo(T0)).rejects.toThrow(/back in time/);
  });
});

describe('VirtualClock, scaled pace', () => {
  it('flows at speedUp × the wall clock and stays continuous when the pace changes', () => {
    let wall = 1000;
    const w: WallClock = { nowMs: () => wall };
    const c = new VirtualClock({ startMs: T0, pace: { kind: 'scaled', speedUp: 10 }, wall: w });
    wall += 50;
    expect(c.nowMs()).toBe(T0 + 500);
    c.setPace({ kind: 'scaled', speedUp: 1 });
    wall += 50;
    expect(c.nowMs()).toBe(T0 + 550);
    c.setPace({ kind: 'stepped' });
    wall += 1e6;
    expect(c.nowMs()).toBe(T0 + 550);
  });

  it('rejects a non-positive speed-up', () => {
    expect(() => new VirtualClock({ startMs: T0, pace: { kind: 'scaled', speedUp: 0 } })).toThrow(/speedUp/);
  });

  it('turns virtual delays into shortened real timers', async () => {
    const c = new VirtualClock({ startMs: T0, pace: { kind: 'scaled', speedUp: 1000 } });
    const before = c.nowMs();
    await c.sleep(200); // 0.2 s of wall time at 1000×
    expect(c.nowMs() - before).toBeGreaterThanOrEqual(199);
  });
});
