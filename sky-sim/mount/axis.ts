/**
 * One mount axis: position and velocity under velocity and acceleration limits, stepped on a fixed grid.
 *
 * Control law (per step): desired velocity = feed-forward rate of a moving target + a correction toward the
 * target that is the smallest of the velocity limit, the braking curve sqrt(2·a·|error|) (so the axis stops on
 * the target instead of overshooting) and a proportional term (so it settles without chattering on the grid);
 * the velocity then moves toward it by at most a·dt. With an infinite acceleration the axis moves at constant
 * speed and stops dead, like Hamlib's dummy rotator.
 */
export interface AxisLimits {
  maxVelocityDegS: number;
  /** Infinity for an instantaneous (dummy rotator) axis. */
  maxAccelerationDegS2: number;
  minDeg: number;
  maxDeg: number;
}

/** Gain of the proportional term, 1/s: a 20 ms time constant near the target. */
const POSITION_GAIN_PER_S = 50;

export class Axis {
  posDeg: number;
  velDegS = 0;
  targetDeg: number;
  /** Rate of the target itself (from consecutive commands); 0 for a fixed target. */
  targetRateDegS = 0;
  stalled = false;

  constructor(
    readonly limits: AxisLimits,
    startDeg: number,
  ) {
    this.posDeg = startDeg;
    this.targetDeg = startDeg;
  }

  step(dtS: number): void {
    if (this.stalled) {
      this.velDegS = 0;
      return;
    }
    const { maxVelocityDegS: vMax, maxAccelerationDegS2: aMax } = this.limits;
    this.targetDeg = clamp(this.targetDeg + this.targetRateDegS * dtS, this.limits.minDeg, this.limits.maxDeg);
    if (this.targetDeg === this.limits.minDeg || this.targetDeg === this.limits.maxDeg) this.targetRateDegS = 0;
    const err = this.targetDeg - this.posDeg;
    if (!Number.isFinite(aMax)) {
      // Constant-speed axis: move at vMax (or less to land exactly on the target).
      const move = clamp(err, -vMax * dtS, vMax * dtS);
      this.velDegS = move / dtS;
      this.posDeg += move;
      return;
    }
    const correction = Math.sign(err) * Math.min(vMax, Math.sqrt(2 * aMax * Math.abs(err)), POSITION_GAIN_PER_S * Math.abs(err));
    const vWanted = clamp(this.targetRateDegS + correction, -vMax, vMax);
    this.velDegS += clamp(vWanted - this.velDegS, -aMax * dtS, aMax * dtS);
    this.posDeg = clamp(this.posDeg + this.velDegS * dtS, this.limits.minDeg, this.limits.maxDeg);
    if ((this.posDeg === this.limits.minDeg && this.velDegS < 0) || (this.posDeg === this.limits.maxDeg && this.velDegS > 0)) this.velDegS = 0;
  }

  /** Stops: the target becomes where the axis can stop from its present speed. */
  stop(): void {
    this.targetRateDegS = 0;
    const a = this.limits.maxAccelerationDegS2;
    this.targetDeg = Number.isFinite(a) ? this.posDeg + (this.velDegS * Math.abs(this.velDegS)) / (2 * a) : this.posDeg;
    if (!Number.isFinite(a)) this.velDegS = 0;
  }

  errorDeg(): number {
    return this.targetDeg - this.posDeg;
  }
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
