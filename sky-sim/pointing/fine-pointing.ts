/**
 * From the mount's coarse pointing to the fraction of light that reaches the detectors.
 *
 * The beacon's apparent direction = the satellite's direction + atmospheric tip-tilt (angle-of-arrival jitter,
 * a Gauss–Markov process per axis with a site-dependent rms and correlation time). The receiver has a fast
 * steering mirror (FSM) in a closed loop on a fine camera: it engages when the beacon is seen and the coarse
 * error is inside its range; then the residual is the tip-tilt not rejected by the loop (fraction
 * 1 − rejection, i.e. the loop's error transfer at the tip-tilt bandwidth) plus the loop's sensor noise. With
 * the loop open the residual is the whole coarse error plus tip-tilt. The residual θ turns into coupling loss
 * into the detectors' field stop of half-angle θ_c: exp(−2θ²/θ_c²) (Gaussian spot on a field stop, the same
 * form as the transmitter's pointing loss in the field notes).
 */
import { Ar1 } from '../random/ar1.ts';
import type { Rng } from '../random/prng.ts';

export interface FinePointingParams {
  tipTiltRmsUrad: number;
  tipTiltCorrelationMs: number;
  fsmRangeUrad: number;
  /** Fraction of the tip-tilt the closed loop removes (0..1). */
  fsmRejection: number;
  /** rms noise of the closed loop, per axis. */
  fsmNoiseUrad: number;
  /** Half-angle of the detectors' field stop, the scale of the coupling loss. */
  couplingHalfAngleUrad: number;
}

export interface PointingState {
  /** Coarse error of the mount, satellite minus boresight. */
  errorDxUrad: number;
  errorDyUrad: number;
  tipTiltDxUrad: number;
  tipTiltDyUrad: number;
  fineLoopClosed: boolean;
  residualUrad: number;
  coupling: number;
}

export class FinePointing {
  private readonly tx: Ar1;
  private readonly ty: Ar1;

  constructor(
    private readonly p: FinePointingParams,
    private readonly rng: Rng,
  ) {
    this.tx = new Ar1(rng.fork('tip-tilt-x'), p.tipTiltRmsUrad, p.tipTiltCorrelationMs);
    this.ty = new Ar1(rng.fork('tip-tilt-y'), p.tipTiltRmsUrad, p.tipTiltCorrelationMs);
  }

  /**
   * One grid step. `beaconSeen`: the tracking camera sees the beacon (not clouded, not lost, in its field).
   */
  step(dtMs: number, errorDxUrad: number, errorDyUrad: number, beaconSeen: boolean): PointingState {
    const ttx = this.p.tipTiltRmsUrad > 0 ? this.tx.step(dtMs) : 0;
    const tty = this.p.tipTiltRmsUrad > 0 ? this.ty.step(dtMs) : 0;
    const closed = beaconSeen && Math.hypot(errorDxUrad, errorDyUrad) < this.p.fsmRangeUrad;
    let rx: number, ry: number;
    if (closed) {
      const leak = 1 - this.p.fsmRejection;
      const n = this.p.fsmNoiseUrad;
      rx = leak * ttx + (n ? n * this.rng.normal() : 0);
      ry = leak * tty + (n ? n * this.rng.normal() : 0);
    } else {
      rx = errorDxUrad + ttx;
      ry = errorDyUrad + tty;
    }
    const residual = Math.hypot(rx, ry);
    const c = this.p.couplingHalfAngleUrad;
    return {
      errorDxUrad,
      errorDyUrad,
      tipTiltDxUrad: ttx,
      tipTiltDyUrad: tty,
      fineLoopClosed: closed,
      residualUrad: residual,
      coupling: Math.exp((-2 * residual * residual) / (c * c)),
    };
  }
}
