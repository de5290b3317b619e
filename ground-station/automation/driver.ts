/**
 * The rxjs edge of pass automation. Everything that changes state goes through one queue (a Subject drained by
 * concatMap), so ticks, operator commands, plan changes and effect completions are applied one at a time to the
 * pure machine (machine.ts). Effects run in order on their own chain and report back as events; nothing long
 * (park, post-processing) blocks the queue. Time comes only from the injected Timebase, so a night of passes runs
 * on sky-sim's VirtualClock as fast as the CPU allows, and on the wall clock in the observatory.
 */
import { BehaviorSubject, Subject, concatMap, defer, type Subscription } from 'rxjs';
import type { AzEl, DetectionEvent, KeySink, MountStatus } from '../../planner/ports.ts';
import type { Pass } from '../../planner/types.ts';
import type { UtcMs } from '../../planner/time.ts';
import { silentLogger, type Logger } from '../../planner/log.ts';
import { separationDeg } from '../adapters/radec.ts';
import { step } from './machine.ts';
import { PointingAccumulator, type PassLogEntry, type PassSummary } from './pass-log.ts';
import { commandLeadOf, type EphemerisSource, type Interlock, type LiveQberEstimator, type PassRecords, type PostProcessOutput, type PostProcessor, type Rig, type RigProvider, type Timebase } from './ports.ts';
import { duePass, emptySchedule, markFinished, syncPlan, type ScheduleState, type SyncResult } from './schedule.ts';
import { EphemerisTrack, ZERO_CORRECTION, applyCorrection, updateCorrection, type Correction } from './tracking.ts';
import { DEFAULT_TIMING, TRACKING_PHASES, initialState, type AutomationEvent, type AutomationState, type AutomationTiming, type Effect, type OperatorCommand, type PassRef } from './types.ts';

export interface LoopOptions {
  /** Tracking loop rate: ephemeris commands, status, beacon and tagger reads per second (≥ 10 Hz). */
  rateHz: number;
  /**
   * Command the ephemeris this far ahead of now, to make up the mount's command latency. 0 for mounts that follow
   * a stream of positions with rate feed-forward (sky-sim's telescope, most servo controllers); an adapter's own
   * hint (MountHints.commandLeadMs, e.g. rotctld's) takes precedence.
   */
  commandLeadMs: number;
  /** Fraction of the beacon offset corrected per frame. */
  beaconGain: number;
  /** The mount is "at the AOS point" within this. */
  arrivedToleranceDeg: number;
  /** Minimum gap between two passes on this telescope (park, post-process, re-point). */
  turnaroundMs: number;
  /** Longest sleep while idle (plan changes and commands are handled at once regardless). */
  idleStepMs: number;
  interlockPeriodMs: number;
  parkTimeoutMs: number;
  /** Keep at most this many pass-log entries. */
  logLimit: number;
}

export const DEFAULT_LOOP: LoopOptions = {
  rateHz: 10,
  commandLeadMs: 0,
  beaconGain: 0.3,
  arrivedToleranceDeg: 0.5,
  turnaroundMs: 60_000,
  idleStepMs: 10_000,
  interlockPeriodMs: 1_000,
  parkTimeoutMs: 180_000,
  logLimit: 10_000,
};

export interface AutomationOptions {
  stationId: string;
  timebase: Timebase;
  /** Fixed hardware, or a provider that builds it per pass (sky-sim). */
  rig: Rig | RigProvider;
  ephemeris: EphemerisSource;
  postProcess: PostProcessor;
  keySink: KeySink;
  logger?: Logger;
  interlocks?: Interlock[];
  timing?: Partial<AutomationTiming>;
  loop?: Partial<LoopOptions>;
  liveQber?: LiveQberEstimator;
  /** Keeps the raw records of every pass (e.g. a time-tag file), before post-processing. */
  recordSink?: (records: PassRecords) => Promise<void>;
}

export interface Telemetry {
  tMs: UtcMs;
  phase: AutomationState['phase'];
  passId: string | null;
  paused: boolean;
  ephemeris?: AzEl;
  commanded?: AzEl;
  achieved?: AzEl;
  /** Mount position vs where it should point now. */
  mountErrorDeg?: number;
  beaconVisible?: boolean;
  /** The real pointing residual seen by the tracking camera. */
  pointingErrorUrad?: number;
  /** Detections per second on channels 0..3 (H, V, D, A) over the last tracking step. */
  countRatesHz?: number[];
  liveQber?: number | null;
  detections?: number;
}

interface PassContext {
  pass: Pass;
  track: EphemerisTrack | null;
  rig: Rig | null;
  correction: Correction;
  onTrack: boolean;
  startTarget: AzEl | null;
  events: DetectionEvent[];
  recordStartMs: UtcMs | null;
  recordEndMs: UtcMs | null;
  pointing: PointingAccumulator;
  output: PostProcessOutput | null;
  lastInterlockMs: number;
  lastAchieved: MountStatus | null;
}

const isRigProvider = (r: Rig | RigProvider): r is RigProvider => typeof r === 'function';
const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class PassAutomation {
  readonly state$: BehaviorSubject<AutomationState>;
  readonly telemetry$ = new Subject<Telemetry>();
  readonly log$ = new Subject<PassLogEntry>();

  private readonly timing: AutomationTiming;
  private readonly loop: LoopOptions;
  private readonly logger: Logger;
  private readonly jobs = new Subject<() => Promise<void>>();
  private sub: Subscription | null = null;
  private running = false;
  private schedule: ScheduleState = emptySchedule();
  private ctx: PassContext | null = null;
  private effectChain: Promise<void> = Promise.resolve();
  private park: { startedMs: UtcMs; done: boolean; error: string | null } | null = null;
  private readonly connected = new WeakSet<object>();
  private readonly log: PassLogEntry[] = [];
  private readonly summaries = new Map<string, PassSummary>();
  private lastTelemetry: Telemetry | null = null;
  private loopDone: Promise<void> = Promise.resolve();

  constructor(private readonly o: AutomationOptions) {
    this.timing = { ...DEFAULT_TIMING, ...o.timing };
    this.loop = { ...DEFAULT_LOOP, ...o.loop };
    this.logger = (o.logger ?? silentLogger).child({ station: o.stationId });
    this.state$ = new BehaviorSubject(initialState(o.timebase.nowMs()));
  }

  get state(): AutomationState {
    return this.state$.value;
  }

  // ------------------------------------------------------------------ public API

  start(): void {
    if (this.running) return;
    this.running = true;
    this.sub = this.jobs.pipe(concatMap((job) => defer(() => job()))).subscribe({
      error: (err) => this.logger.error('automation.queue_failed', { error: errText(err) }),
    });
    this.loopDone = this.tickLoop();
  }

  /** Stops the loop (the mount is left as it is: call `command('park')` first for a safe stop). */
  async close(): Promise<void> {
    this.running = false;
    this.sub?.unsubscribe();
    this.telemetry$.complete();
    this.log$.complete();
    this.state$.complete();
  }

  /** Replaces the plan (idempotent: the same plan twice changes nothing). */
  setPlan(passes: readonly Pass[]): Promise<SyncResult> {
    return this.enqueue(async () => {
      const mine = passes.filter((p) => p.station === this.o.stationId || this.o.stationId === '*');
      const r = syncPlan(this.schedule, mine, this.loop.turnaroundMs);
      if (!r.changed) return r;
      this.schedule = r.schedule;
      const now = this.o.timebase.nowMs();
      this.note(now, null, 'schedule', `plan synced: ${r.schedule.plan.length} pass(es), +${r.added.length} −${r.removed.length}, ${Object.keys(r.schedule.conflicts).length} dropped as overlapping`);
      for (const [id, winner] of Object.entries(r.schedule.conflicts)) this.note(now, id, 'schedule', `not flown: overlaps ${winner} on this telescope`);
      const current = this.state.pass;
      if (current && r.removed.includes(current.id)) this.dispatch({ type: 'passCancelled', tMs: now, passId: current.id });
      return r;
    });
  }

  plan(): { passes: Pass[]; conflicts: Record<string, string>; finished: ScheduleState['finished'] } {
    return { passes: this.schedule.plan, conflicts: this.schedule.conflicts, finished: this.schedule.finished };
  }

  command(command: OperatorCommand, note?: string): Promise<AutomationState> {
    return this.enqueue(async () => {
      const tMs = this.o.timebase.nowMs();
      this.note(tMs, this.state.pass?.id ?? null, 'operator', `operator ${command}${note ? `: ${note}` : ''}`);
      this.dispatch({ type: 'operator', tMs, command, note });
      return this.state;
    });
  }

  passLog(sinceMs = -Infinity): PassLogEntry[] {
    return this.log.filter((e) => e.tMs >= sinceMs);
  }

  passSummaries(): PassSummary[] {
    return [...this.summaries.values()].map((s) => this.withLiveStats(s));
  }

  passSummary(passId: string): PassSummary | undefined {
    const s = this.summaries.get(passId);
    return s && this.withLiveStats(s);
  }

  latestTelemetry(): Telemetry | null {
    return this.lastTelemetry;
  }

  // ------------------------------------------------------------------ queue and loop

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.next(async () => {
        try {
          resolve(await job());
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  private async tickLoop(): Promise<void> {
    while (this.running) {
      await this.enqueue(() => this.onTick()).catch((err) => this.logger.error('automation.tick_failed', { error: errText(err) }));
      if (!this.running) break;
      await this.o.timebase.sleep(this.nextStepMs());
    }
  }

  private nextStepMs(): number {
    const s = this.state;
    if (s.phase !== 'idle') return 1000 / this.loop.rateHz;
    const now = this.o.timebase.nowMs();
    const next = this.schedule.plan.find((p) => !this.schedule.finished[p.id] && now <= p.losMs - this.timing.minRemainingMs);
    if (!next || s.paused) return this.loop.idleStepMs;
    return Math.min(this.loop.idleStepMs, Math.max(1, next.aosMs - this.timing.leadMs - now));
  }

  private dispatch(e: AutomationEvent): void {
    const r = step(this.state, e, this.timing);
    if (r.state === this.state) return;
    if (r.transition) {
      const { from, to, reason } = r.transition;
      this.note(e.tMs, r.state.pass?.id ?? this.state.pass?.id ?? null, 'transition', reason, from, to);
      this.logger.info('automation.transition', { from, to, reason, pass: r.state.pass?.id ?? this.state.pass?.id ?? null });
    }
    // Finishing is bookkeeping, done at once (and before anyone sees the new state) so the summary is final when
    // the phase reads idle and the next pass can never start before the last one is closed.
    for (const effect of r.effects) if (effect.kind === 'passFinished') this.finishPass(effect.passId, effect.outcome, effect.reason);
    this.state$.next(r.state);
    this.recordProgress(r.state);
    for (const effect of r.effects) if (effect.kind !== 'passFinished') this.effectChain = this.effectChain.then(() => this.execute(effect, e.tMs));
  }

  private recordProgress(s: AutomationState): void {
    if (!s.pass) return;
    const summary = this.summaries.get(s.pass.id);
    if (summary && (summary.lateJoin !== s.lateJoin || summary.trackingStartMs !== s.trackingStartMs || summary.acquiredMs !== s.acquiredMs)) {
      this.summaries.set(s.pass.id, { ...summary, lateJoin: s.lateJoin, trackingStartMs: s.trackingStartMs, acquiredMs: s.acquiredMs });
    }
  }

  private note(tMs: UtcMs, passId: string | null, kind: PassLogEntry['kind'], message: string, from?: PassLogEntry['from'], to?: PassLogEntry['to']): void {
    const entry: PassLogEntry = { tMs, passId, kind, message, ...(from ? { from, to } : {}) };
    this.log.push(entry);
    if (this.log.length > this.loop.logLimit) this.log.splice(0, this.log.length - this.loop.logLimit);
    if (kind !== 'transition') this.logger[kind === 'error' ? 'warn' : 'info'](`automation.${kind}`, { pass: passId, message });
    this.log$.next(entry);
  }

  // ------------------------------------------------------------------ ticks

  private async onTick(): Promise<void> {
    const t = this.o.timebase.nowMs();
    const phase = this.state.phase;
    let telemetry: Telemetry = { tMs: t, phase, passId: this.state.pass?.id ?? null, paused: this.state.paused };
    if (phase === 'idle') this.followSchedule(t);
    else if (phase === 'slewing') await this.checkSlew(t);
    else if (TRACKING_PHASES.includes(phase)) telemetry = { ...telemetry, ...(await this.trackStep(t)) };
    else if (phase === 'parking') await this.checkPark(t);
    this.dispatch({ type: 'tick', tMs: t });
    this.lastTelemetry = telemetry;
    this.telemetry$.next(telemetry);
  }

  private followSchedule(t: UtcMs): void {
    const { due, missed } = duePass(this.schedule, t, { leadMs: this.timing.leadMs, minRemainingMs: this.timing.minRemainingMs });
    for (const p of missed) {
      this.schedule = markFinished(this.schedule, p.id, 'skipped', this.state.paused ? 'automation paused' : 'too late to join');
      this.summaries.set(p.id, this.newSummary(p, 'skipped', this.state.paused ? 'automation paused' : 'too late to join'));
      this.note(t, p.id, 'schedule', `pass missed (${this.state.paused ? 'automation paused' : 'too late to join'})`);
    }
    if (!due || this.state.paused) return;
    this.ctx = {
      pass: due,
      track: null,
      rig: null,
      correction: ZERO_CORRECTION,
      onTrack: false,
      startTarget: null,
      events: [],
      recordStartMs: null,
      recordEndMs: null,
      pointing: new PointingAccumulator(),
      output: null,
      lastInterlockMs: -Infinity,
      lastAchieved: null,
    };
    this.summaries.set(due.id, this.newSummary(due, 'flying', 'in progress'));
    const ref: PassRef = { id: due.id, satellite: due.satellite, aosMs: due.aosMs, losMs: due.losMs };
    this.dispatch({ type: 'passDue', tMs: t, pass: ref });
  }

  private async status(t: UtcMs): Promise<MountStatus | null> {
    const mount = this.ctx?.rig?.mount;
    if (!mount) return null;
    try {
      const s = await mount.getStatus();
      if (s.fault) this.dispatch({ type: 'mountFault', tMs: t, message: s.fault });
      return s;
    } catch (err) {
      this.dispatch({ type: 'mountFault', tMs: t, message: `status unreadable: ${errText(err)}` });
      return null;
    }
  }

  private async checkSlew(t: UtcMs): Promise<void> {
    const target = this.ctx?.startTarget;
    if (!target) return;
    const s = await this.status(t);
    if (s && !s.slewing && separationDeg(s, target) <= this.loop.arrivedToleranceDeg) this.dispatch({ type: 'slewDone', tMs: t });
  }

  private async trackStep(t: UtcMs): Promise<Partial<Telemetry>> {
    const ctx = this.ctx;
    if (!ctx?.track || !ctx.rig) return {};
    const { mount, beacon, tagger } = ctx.rig;
    const stepMs = 1000 / this.loop.rateHz;
    const ephemeris = ctx.track.at(t);
    // Command where the satellite is now (plus the mount's command latency, when it has one to make up).
    const leadMs = commandLeadOf(mount) ?? this.loop.commandLeadMs;
    const commanded = applyCorrection(ctx.track.at(t + leadMs), ctx.correction);
    try {
      await mount.slewTo(commanded);
    } catch (err) {
      this.dispatch({ type: 'mountFault', tMs: t, message: `tracking command refused: ${errText(err)}` });
      return {};
    }
    const out: Partial<Telemetry> = { ephemeris, commanded };
    const s = await this.status(t);
    ctx.lastAchieved = s;
    if (s) {
      const mountErrorDeg = separationDeg(s, applyCorrection(ephemeris, ctx.correction));
      out.achieved = { azDeg: s.azDeg, elDeg: s.elDeg };
      out.mountErrorDeg = mountErrorDeg;
      // A mount joining mid-pass is still catching up: it is judged only once it has reached the track.
      if (!ctx.onTrack && mountErrorDeg <= this.timing.maxTrackingErrorDeg) ctx.onTrack = true;
      if (ctx.onTrack) {
        ctx.pointing.addMount(mountErrorDeg);
        this.dispatch({ type: 'pointing', tMs: t, errorDeg: mountErrorDeg });
      }
    }
    if (beacon) {
      try {
        const fix = await beacon.read();
        out.beaconVisible = fix.visible;
        if (fix.visible && fix.dxUrad !== undefined && fix.dyUrad !== undefined) {
          out.pointingErrorUrad = Math.hypot(fix.dxUrad, fix.dyUrad);
          ctx.pointing.addBeacon(out.pointingErrorUrad);
          if (s) ctx.correction = updateCorrection(ctx.correction, fix, s, ephemeris, this.loop.beaconGain);
        }
        this.dispatch({ type: 'beacon', tMs: t, visible: fix.visible });
      } catch (err) {
        this.note(t, ctx.pass.id, 'error', `beacon read failed: ${errText(err)}`);
        this.dispatch({ type: 'beacon', tMs: t, visible: false });
      }
    } else {
      // No tracking camera: open-loop only; acquisition is declared once the mount is on the track.
      this.dispatch({ type: 'beacon', tMs: t, visible: ctx.onTrack });
    }
    if (this.state.recording) {
      try {
        const events = await tagger.read();
        const rates = [0, 0, 0, 0];
        for (const ev of events) {
          ctx.events.push(ev);
          if (ev.channel >= 0 && ev.channel < 4) rates[ev.channel] += 1000 / stepMs;
        }
        out.countRatesHz = rates;
        out.detections = ctx.events.length;
        if (this.o.liveQber) out.liveQber = this.o.liveQber(ctx.events.slice(-20_000), ctx.pass);
      } catch (err) {
        this.note(t, ctx.pass.id, 'error', `time tagger read failed: ${errText(err)}`);
      }
    }
    if (t - ctx.lastInterlockMs >= this.loop.interlockPeriodMs) {
      ctx.lastInterlockMs = t;
      for (const il of this.o.interlocks ?? []) {
        const why = await il.check(t).catch((err) => `check failed: ${errText(err)}`);
        if (why) {
          this.dispatch({ type: 'interlock', tMs: t, name: il.name, detail: why });
          break;
        }
      }
    }
    return out;
  }

  private async checkPark(t: UtcMs): Promise<void> {
    const p = this.park;
    if (!p) return;
    if (p.error) {
      this.park = null;
      this.dispatch({ type: 'parkFailed', tMs: t, message: p.error });
      return;
    }
    if (t - p.startedMs > this.loop.parkTimeoutMs) {
      this.park = null;
      this.dispatch({ type: 'parkFailed', tMs: t, message: `not parked after ${this.loop.parkTimeoutMs / 1000} s` });
      return;
    }
    if (!p.done) return;
    const mount = this.ctx?.rig?.mount ?? this.fixedRig()?.mount;
    const s = mount ? await mount.getStatus().catch(() => null) : null;
    if (!mount || (s && (s.parked || !s.slewing))) {
      this.park = null;
      this.dispatch({ type: 'parked', tMs: t });
    }
  }

  // ------------------------------------------------------------------ effects

  private fixedRig(): Rig | null {
    return isRigProvider(this.o.rig) ? null : this.o.rig;
  }

  private async execute(effect: Effect, tMs: UtcMs): Promise<void> {
    const ctx = this.ctx;
    try {
      switch (effect.kind) {
        case 'runChecks':
          return await this.runChecks();
        case 'slewToStart': {
          if (!ctx?.track || !ctx.rig) return;
          ctx.startTarget = ctx.track.at(ctx.pass.aosMs);
          await ctx.rig.mount.slewTo(ctx.startTarget);
          return;
        }
        case 'startRecording':
          if (!ctx?.rig) return;
          await ctx.rig.tagger.start();
          ctx.recordStartMs = this.o.timebase.nowMs();
          return;
        case 'stopRecording': {
          if (!ctx?.rig) return;
          const last = await ctx.rig.tagger.read().catch(() => []);
          for (const ev of last) ctx.events.push(ev);
          await ctx.rig.tagger.stop();
          ctx.recordEndMs = this.o.timebase.nowMs();
          return;
        }
        case 'stopMount': {
          const mount = ctx?.rig?.mount ?? this.fixedRig()?.mount;
          await mount?.stop();
          return;
        }
        case 'park': {
          const mount = ctx?.rig?.mount ?? this.fixedRig()?.mount;
          const p = { startedMs: this.o.timebase.nowMs(), done: !mount, error: null as string | null };
          this.park = p;
          if (mount) {
            if (!this.connected.has(mount)) await this.connectMount(mount);
            mount.park().then(
              () => (p.done = true),
              (err) => (p.error = errText(err)),
            );
          }
          return;
        }
        case 'postProcess':
          return this.startPostProcess();
        case 'store':
          return await this.store();
        case 'passFinished':
          return; // handled in dispatch
      }
    } catch (err) {
      const message = `${effect.kind} failed: ${errText(err)}`;
      this.note(tMs, ctx?.pass.id ?? null, 'error', message);
      // A failed mount command in flight is a mount fault; a failed park is handled by the park watch.
      if (effect.kind === 'slewToStart' || effect.kind === 'stopMount') void this.enqueue(async () => this.dispatch({ type: 'mountFault', tMs: this.o.timebase.nowMs(), message }));
      if (effect.kind === 'park') void this.enqueue(async () => this.dispatch({ type: 'parkFailed', tMs: this.o.timebase.nowMs(), message }));
    }
  }

  private async connectMount(mount: Rig['mount']): Promise<void> {
    await mount.connect();
    this.connected.add(mount);
  }

  private async runChecks(): Promise<void> {
    const ctx = this.ctx;
    if (!ctx) return;
    const failures: string[] = [];
    try {
      const samples = await this.o.ephemeris(ctx.pass);
      ctx.track = new EphemerisTrack(samples);
      ctx.rig = isRigProvider(this.o.rig) ? await this.o.rig(ctx.pass, samples) : this.o.rig;
    } catch (err) {
      failures.push(`no tracking ephemeris or rig: ${errText(err)}`);
    }
    const mount = ctx.rig?.mount;
    if (mount) {
      try {
        if (!this.connected.has(mount)) await this.connectMount(mount);
        await mount.unpark();
        const s = await mount.getStatus();
        if (s.parked) failures.push('mount still parked after unpark');
        if (s.fault) failures.push(`mount fault: ${s.fault}`);
      } catch (err) {
        failures.push(`mount not ready: ${errText(err)}`);
      }
    }
    const t = this.o.timebase.nowMs();
    for (const il of this.o.interlocks ?? []) {
      const why = await il.check(Math.max(t, ctx.pass.aosMs)).catch((err) => `check failed: ${errText(err)}`);
      if (why) failures.push(`${il.name}: ${why}`);
    }
    await this.enqueue(async () => this.dispatch({ type: 'checksDone', tMs: this.o.timebase.nowMs(), failures }));
  }

  private startPostProcess(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const records: PassRecords = {
      pass: ctx.pass,
      stationId: this.o.stationId,
      startMs: ctx.recordStartMs ?? ctx.pass.aosMs,
      endMs: ctx.recordEndMs ?? ctx.recordStartMs ?? ctx.pass.aosMs,
      events: ctx.events,
      abortReason: this.state.abortReason,
    };
    const run = async () => {
      if (this.o.recordSink) await this.o.recordSink(records).catch((err) => this.note(this.o.timebase.nowMs(), ctx.pass.id, 'error', `keeping raw records failed: ${errText(err)}`));
      if (records.events.length === 0) return { blocks: [], note: 'no detections recorded' } satisfies PostProcessOutput;
      return this.o.postProcess(records);
    };
    run().then(
      (out) => {
        ctx.output = out;
        void this.enqueue(async () => this.dispatch({ type: 'postProcessed', tMs: this.o.timebase.nowMs(), blocks: out.blocks.length }));
      },
      (err) => void this.enqueue(async () => this.dispatch({ type: 'postProcessed', tMs: this.o.timebase.nowMs(), blocks: 0, error: errText(err) })),
    );
  }

  private async store(): Promise<void> {
    const ctx = this.ctx;
    const blocks = ctx?.output?.blocks ?? [];
    let error: string | undefined;
    for (const { block, keyBytes } of blocks) {
      try {
        await this.o.keySink.put(block, keyBytes);
      } catch (err) {
        error = `block ${block.blockId}: ${errText(err)}`;
        break;
      }
    }
    await this.enqueue(async () => this.dispatch({ type: 'stored', tMs: this.o.timebase.nowMs(), error }));
  }

  private finishPass(passId: string, outcome: 'completed' | 'aborted' | 'skipped', reason: string): void {
    const ctx = this.ctx;
    this.schedule = markFinished(this.schedule, passId, outcome, reason);
    const summary = this.summaries.get(passId);
    if (summary && ctx && ctx.pass.id === passId) {
      const blocks = ctx.output?.blocks ?? [];
      this.summaries.set(passId, {
        ...this.withLiveStats(summary),
        status: outcome,
        reason,
        keyBlocks: blocks.length,
        keyBits: blocks.reduce((a, b) => a + b.block.bits, 0),
        qber: ctx.output?.qber ?? null,
      });
      ctx.events = []; // the records went to post-processing (and the record sink); free them
      const rig = ctx.rig;
      if (rig?.release) this.effectChain = this.effectChain.then(() => rig.release!().catch(() => undefined));
      this.ctx = null;
    }
  }

  private newSummary(p: Pass, status: PassSummary['status'], reason: string): PassSummary {
    return {
      passId: p.id, satellite: p.satellite, aosMs: p.aosMs, losMs: p.losMs, status, reason, lateJoin: false,
      trackingStartMs: null, acquiredMs: null, recordStartMs: null, recordEndMs: null, detections: 0,
      pointing: new PointingAccumulator().stats(), keyBlocks: 0, keyBits: 0, qber: null,
    };
  }

  /** A summary with the fields that change while the pass flies filled from the live context. */
  private withLiveStats(s: PassSummary): PassSummary {
    const ctx = this.ctx;
    if (!ctx || ctx.pass.id !== s.passId) return s;
    return {
      ...s,
      recordStartMs: ctx.recordStartMs,
      recordEndMs: ctx.recordEndMs,
      detections: Math.max(s.detections, ctx.events.length),
      pointing: ctx.pointing.stats(),
    };
  }
}
