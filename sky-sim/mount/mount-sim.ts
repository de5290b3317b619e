/**
 * The simulated alt-az mount's physics and controller, stepped on the simulation's fixed grid. Commands act at
 * the simulation's current instant; the `Mount` port adapter (mount-port.ts) brings the simulation up to the
 * clock's "now" before each command, so the outcome depends only on command times, never on polling.
 */
import type { AzEl, MountStatus } from '../../planner/ports.ts';
import type { UtcMs } from '../../planner/time.ts';
import type { Rng } from '../random/prng.ts';
import { norm360, wrap180 } from '../geometry/look-track.ts';
import { Axis } from './axis.ts';
import type { MountModel } from './profiles.ts';

export type CommandResult = { ok: true } | { ok: false; reason: string };

export class MountSim {
  readonly az: Axis;
  readonly el: Axis;
  private parked: boolean;
  private parking = false;
  private fault: string | undefined;
  private stallActive = false;
  private lastCommand: { tMs: UtcMs; azDeg: number; skyAzDeg: number; elDeg: number } | null = null;
  private settle: { pending: boolean; arrivedMs: UtcMs | null } = { pending: false, arrivedMs: null };
  private nowMs: UtcMs;

  constructor(
    readonly model: MountModel,
    startMs: UtcMs,
    private readonly noise: Rng,
  ) {
    const inf = (a: number) => (model.kind === 'rotctld-dummy' ? Infinity : a);
    this.az = new Axis({ maxVelocityDegS: model.azMaxVelocityDegS, maxAccelerationDegS2: inf(model.azMaxAccelerationDegS2), minDeg: model.azMinDeg, maxDeg: model.azMaxDeg }, model.park.azDeg);
    this.el = new Axis({ maxVelocityDegS: model.elMaxVelocityDegS, maxAccelerationDegS2: inf(model.elMaxAccelerationDegS2), minDeg: Math.min(model.elMinDeg, model.park.elDeg), maxDeg: model.elMaxDeg }, model.park.elDeg);
    this.parked = true;
    this.nowMs = startMs;
  }

  /** Advances the dynamics by one grid step ending at `tMs`. */
  step(tMs: UtcMs, dtS: number): void {
    this.nowMs = tMs;
    this.az.step(dtS);
    this.el.step(dtS);
    const onTarget = this.onTarget();
    if (this.settle.pending && onTarget && this.settle.arrivedMs === null) this.settle.arrivedMs = tMs;
    if (this.parking && onTarget) {
      this.parking = false;
      this.parked = true;
    }
    if (this.stallActive && !onTarget && !this.fault) this.fault = 'stall: the axes do not follow the command';
  }

  setStall(active: boolean): void {
    this.stallActive = active;
    this.az.stalled = active;
    this.el.stalled = active;
  }

  unpark(): void {
    this.parked = false;
    this.parking = false;
  }

  slewTo(target: AzEl): CommandResult {
    if (this.parked) return { ok: false, reason: 'mount is parked (unpark first)' };
    if (!Number.isFinite(target.azDeg) || !Number.isFinite(target.elDeg)) return { ok: false, reason: 'target is not finite' };
    const m = this.model;
    if (target.elDeg < m.elMinDeg || target.elDeg > m.elMaxDeg) return { ok: false, reason: `elevation ${target.elDeg}° outside ${m.elMinDeg}…${m.elMaxDeg}°` };
    let azAxisDeg: number;
    if (m.kind === 'rotctld-dummy') {
      if (target.azDeg < m.azMinDeg || target.azDeg > m.azMaxDeg) return { ok: false, reason: `azimuth ${target.azDeg}° outside ${m.azMinDeg}…${m.azMaxDeg}°` };
      azAxisDeg = target.azDeg;
    } else {
      azAxisDeg = this.chooseWrap(target.azDeg);
    }
    if (this.stallActive) {
      this.fault = 'stall: the axes do not follow the command';
      return { ok: false, reason: this.fault };
    }
    this.fault = undefined;
    this.parking = false;
    // Rate feed-forward: consecutive commands close in time sample a moving target.
    const prev = this.lastCommand;
    const dtMs = prev ? this.nowMs - prev.tMs : Infinity;
    // The rate from the sky azimuths (wrap-safe); none when the axis must unwind to another turn.
    const skyStepDeg = prev ? wrap180(target.azDeg - prev.skyAzDeg) : 0;
    const sameTurn = prev ? Math.abs(azAxisDeg - prev.azDeg - skyStepDeg) < 1e-6 : false;
    if (prev && sameTurn && dtMs > 0 && dtMs <= m.feedForwardWindowMs) {
      this.az.targetRateDegS = skyStepDeg / (dtMs / 1000);
      this.el.targetRateDegS = (target.elDeg - prev.elDeg) / (dtMs / 1000);
    } else {
      this.az.targetRateDegS = 0;
      this.el.targetRateDegS = 0;
    }
    const bigSlew = Math.hypot(azAxisDeg - this.az.posDeg, target.elDeg - this.el.posDeg) > m.settleAfterSlewDeg;
    if (bigSlew && m.settleMs > 0) this.settle = { pending: true, arrivedMs: null };
    this.az.targetDeg = azAxisDeg;
    this.el.targetDeg = target.elDeg;
    this.lastCommand = { tMs: this.nowMs, azDeg: azAxisDeg, skyAzDeg: target.azDeg, elDeg: target.elDeg };
    return { ok: true };
  }

  stop(): void {
    this.az.stop();
    this.el.stop();
    this.parking = false;
    this.lastCommand = null;
  }

  park(): CommandResult {
    if (this.parked) return { ok: true };
    const r = this.slewTo(this.model.park);
    if (!r.ok && !this.parked) {
      // Park is allowed below the operating elevation limit (a horizon park): command the axes directly.
      if (this.stallActive) return r;
      this.az.targetDeg = this.chooseWrap(this.model.park.azDeg);
      this.el.targetDeg = this.model.park.elDeg;
    }
    this.az.targetRateDegS = 0;
    this.el.targetRateDegS = 0;
    this.lastCommand = null;
    this.parking = true;
    return { ok: true };
  }

  /** Where the optical axis really points (axis positions plus settle ringing), degrees. */
  truePointing(): AzEl {
    const ring = this.ringingDeg();
    return { azDeg: norm360(this.az.posDeg + ring), elDeg: this.el.posDeg + ring };
  }

  status(): MountStatus {
    const p = this.truePointing();
    const n = this.model.encoderNoiseDeg;
    // rotctld reports the azimuth axis as it is (−180…450°); a telescope reports the sky azimuth.
    const az = this.model.kind === 'rotctld-dummy' ? this.az.posDeg : norm360(p.azDeg + (n ? n * this.noise.normal() : 0));
    const s: MountStatus = {
      azDeg: az,
      elDeg: p.elDeg + (n ? n * this.noise.normal() : 0),
      slewing: !this.parked && (!this.onTarget() || this.settling()),
      parked: this.parked,
    };
    if (this.fault) s.fault = this.fault;
    return s;
  }

  private onTarget(): boolean {
    const tol = this.model.onTargetToleranceDeg;
    // A moving target counts as reached when the axis follows it within tolerance.
    return Math.abs(this.az.errorDeg()) < tol && Math.abs(this.el.errorDeg()) < tol;
  }

  private settling(): boolean {
    const a = this.settle.arrivedMs;
    return this.settle.pending && (a === null || this.nowMs - a < this.model.settleMs);
  }

  private ringingDeg(): number {
    const a = this.settle.arrivedMs;
    if (!this.settle.pending || a === null) return 0;
    const tauMs = this.nowMs - a;
    if (tauMs >= this.model.settleMs) {
      this.settle.pending = false;
      return 0;
    }
    return this.model.settleAmplitudeDeg * Math.exp((-3 * tauMs) / this.model.settleMs) * Math.cos((2 * Math.PI * this.model.settleFrequencyHz * tauMs) / 1000);
  }

  /**
   * The azimuth axis angle for a sky azimuth: the turn nearest the present axis position within the cable wrap.
   * A target just past a wrap limit means a long unwind, as on a real mount: pass automation avoids it by
   * starting the pass on the right turn.
   */
  private chooseWrap(azDeg: number): number {
    const base = this.az.posDeg + wrap180(azDeg - this.az.posDeg);
    const candidates = [base, base - 360, base + 360].filter((c) => c >= this.model.azMinDeg && c <= this.model.azMaxDeg);
    candidates.sort((x, y) => Math.abs(x - this.az.posDeg) - Math.abs(y - this.az.posDeg));
    return candidates[0] ?? base;
  }
}
