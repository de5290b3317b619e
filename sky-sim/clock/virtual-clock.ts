/**
 * The virtual clock the whole stack can run on (implements planner's `Clock`).
 *
 * Paces:
 * - `stepped`: time stands still until `advanceTo`/`advanceBy` moves it; timers fire in time order and the
 *   microtask/IO queue is drained between them, so async code (pass automation awaiting `sleep`) runs as fast as
 *   the CPU allows and deterministically. This is "as fast as possible" and what tests use.
 * - `scaled`: time flows with a wall clock multiplied by `speedUp` (1 = real time). Timers become real timers of
 *   (virtual delay / speedUp). Used for demonstrations and operator consoles.
 * The pace may change at run time (`setPace`); virtual time is continuous across the change.
 */
import type { Clock, UtcMs } from '../../planner/time.ts';

export type ClockPace = { kind: 'stepped' } | { kind: 'scaled'; speedUp: number };

/** A monotonic wall clock in milliseconds (performance.now by default; injected in tests). */
export interface WallClock {
  nowMs(): number;
}

interface Timer {
  id: number;
  atMs: UtcMs;
  fire: () => void;
  handle?: ReturnType<typeof setTimeout>;
}

const performanceWall: WallClock = { nowMs: () => performance.now() };

/** Lets pending promise chains and I/O callbacks run before the next timer fires. */
function drainQueues(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class VirtualClock implements Clock {
  private pace: ClockPace;
  private anchorVirtualMs: UtcMs;
  private anchorWallMs: number;
  private readonly wall: WallClock;
  private timers: Timer[] = [];
  private nextId = 1;
  private advancing = false;

  constructor(opts: { startMs: UtcMs; pace?: ClockPace; wall?: WallClock }) {
    if (!Number.isFinite(opts.startMs)) throw new Error(`VirtualClock startMs must be finite, got ${opts.startMs}`);
    this.pace = opts.pace ?? { kind: 'stepped' };
    checkPace(this.pace);
    this.wall = opts.wall ?? performanceWall;
    this.anchorVirtualMs = opts.startMs;
    this.anchorWallMs = this.wall.nowMs();
  }

  nowMs(): UtcMs {
    if (this.pace.kind === 'stepped') return this.anchorVirtualMs;
    return this.anchorVirtualMs + (this.wall.nowMs() - this.anchorWallMs) * this.pace.speedUp;
  }

  getPace(): ClockPace {
    return this.pace;
  }

  setPace(pace: ClockPace): void {
    checkPace(pace);
    this.anchorVirtualMs = this.nowMs();
    this.anchorWallMs = this.wall.nowMs();
    this.pace = pace;
    for (const t of this.timers) this.arm(t);
  }

  /** Calls `fire` once virtual time reaches `atMs` (at once, on the next step, if it already has). Returns a cancel. */
  at(atMs: UtcMs, fire: () => void): () => void {
    const t: Timer = { id: this.nextId++, atMs, fire };
    this.timers.push(t);
    this.arm(t);
    return () => this.cancel(t);
  }

  /** Resolves when virtual time has advanced by `ms`. */
  sleep(ms: number): Promise<void> {
    const due = this.nowMs() + Math.max(0, ms);
    return new Promise((resolve) => this.at(due, resolve));
  }

  /** Number of timers not yet fired (lets a driver stop stepping when the stack is idle). */
  pendingTimers(): number {
    return this.timers.length;
  }

  /** Time of the earliest pending timer, or null. */
  nextTimerMs(): UtcMs | null {
    let best: number | null = null;
    for (const t of this.timers) if (best === null || t.atMs < best) best = t.atMs;
    return best;
  }

  /**
   * Stepped pace only: moves virtual time to `targetMs`, firing every timer due on the way in time order (ties in
   * creation order) and letting the async work they trigger run before the next one.
   */
  async advanceTo(targetMs: UtcMs): Promise<void> {
    if (this.pace.kind !== 'stepped') throw new Error('advanceTo needs the stepped pace (the scaled clock moves by itself)');
    if (this.advancing) throw new Error('advanceTo is already running (await the previous call)');
    if (targetMs < this.anchorVirtualMs) throw new Error(`cannot go back in time: ${targetMs} < ${this.anchorVirtualMs}`);
    this.advancing = true;
    try {
      await drainQueues();
      for (;;) {
        const next = this.earliestDue(targetMs);
        if (!next) break;
        this.anchorVirtualMs = Math.max(this.anchorVirtualMs, next.atMs);
        this.remove(next);
        next.fire();
        await drainQueues();
      }
      this.anchorVirtualMs = targetMs;
      await drainQueues();
    } finally {
      this.advancing = false;
    }
  }

  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.nowMs() + ms);
  }

  private earliestDue(limitMs: UtcMs): Timer | null {
    let best: Timer | null = null;
    for (const t of this.timers) {
      if (t.atMs > limitMs) continue;
      if (!best || t.atMs < best.atMs || (t.atMs === best.atMs && t.id < best.id)) best = t;
    }
    return best;
  }

  private arm(t: Timer): void {
    if (t.handle) clearTimeout(t.handle);
    t.handle = undefined;
    if (this.pace.kind !== 'scaled') return;
    const delayWallMs = Math.max(0, (t.atMs - this.nowMs()) / this.pace.speedUp);
    t.handle = setTimeout(() => {
      this.remove(t);
      t.fire();
    }, delayWallMs);
  }

  private cancel(t: Timer): void {
    if (t.handle) clearTimeout(t.handle);
    this.remove(t);
  }

  private remove(t: Timer): void {
    const i = this.timers.indexOf(t);
    if (i >= 0) this.timers.splice(i, 1);
  }
}

function checkPace(p: ClockPace): void {
  if (p.kind === 'scaled' && !(p.speedUp > 0 && Number.isFinite(p.speedUp))) throw new Error(`speedUp must be > 0, got ${p.speedUp}`);
}
