import { describe, expect, it } from 'vitest';
import { Rng } from '../random/prng.ts';
import { pointingSchema } from '../config.ts';
import { FinePointing } from './fine-pointing.ts';
import { beaconFix } from './beacon-camera.ts';

const params = pointingSchema.parse({ tipTiltRmsUrad: 5, fsmRejection: 0.9, fsmNoiseUrad: 0.5, couplingHalfAngleUrad: 50 });

function rms(xs: number[]): number {
  return Math.sqrt(xs.reduce((a, b) => a + b * b, 0) / xs.length);
}

describe('fine pointing', () => {
  it('closed loop: the residual is the unrejected tip-tilt plus loop noise, and coupling stays near 1', () => {
    const fp = new FinePointing(params, new Rng(1));
    const res: number[] = [], coup: number[] = [];
    for (let i = 0; i < 50_000; i++) {
      const s = fp.step(1, 300, -200, true);
      expect(s.fineLoopClosed).toBe(true);
      res.push(s.residualUrad);
      coup.push(s.coupling);
    }
    // Per axis: 0.1 × 5 µrad ⊕ 0.5 µrad ≈ 0.71 µrad; the 2-D rms is √2 times that.
    expect(rms(res)).toBeCloseTo(Math.SQRT2 * Math.hypot(0.5, 0.5), 1);
    expect(Math.min(...coup)).toBeGreaterThan(0.99);
  });

  it('open loop (beacon not seen, or outside the FSM range): the coarse error reaches the detectors', () => {
    const fp = new FinePointing(params, new Rng(2));
    const notSeen = fp.step(1, 30, 0, false);
    expect(notSeen.fineLoopClosed).toBe(false);
    expect(Math.abs(notSeen.residualUrad - 30)).toBeLessThan(30);
    expect(fp.step(1, 2000, 0, true).fineLoopClosed).toBe(false); // beyond the 1 mrad FSM range
    const far = fp.step(1, 2000, 0, true);
    expect(far.coupling).toBeLessThan(1e-100);
  });

  it.each([
    [10, 0.9231],
    [25, 0.6065],
    [50, 0.1353],
  ])('coupling exp(-2θ²/θc²) at a static %d µrad error', (errUrad, expected) => {
    const fp = new FinePointing({ ...params, tipTiltRmsUrad: 0 }, new Rng(3));
    expect(fp.step(1, errUrad, 0, false).coupling).toBeCloseTo(expected, 4);
  });
});

describe('beacon camera', () => {
  const cam = params.camera;
  const state = (dx: number, dy: number) => ({ errorDxUrad: dx, errorDyUrad: dy, tipTiltDxUrad: 0, tipTiltDyUrad: 0, fineLoopClosed: false, residualUrad: 0, coupling: 0 });

  it.each([
    [0, 0, true, true],
    [4900, -4900, true, true],
    [5100, 0, true, false],
    [0, 0, false, false],
  ])('error (%d, %d) µrad, unblocked %s → visible %s', (dx, dy, unblocked, visible) => {
    expect(beaconFix(cam, 1000, state(dx, dy), unblocked, new Rng(1)).visible).toBe(visible);
  });

  it('reports the offset with centroid noise, on the frame grid', () => {
    const rng = new Rng(4);
    const fixes = Array.from({ length: 5000 }, () => beaconFix(cam, 1_000_012.3, state(100, -50), true, rng));
    expect(fixes[0].tMs).toBe(1_000_010); // 100 Hz frames
    const mx = fixes.reduce((a, f) => a + f.dxUrad!, 0) / fixes.length;
    const sx = rms(fixes.map((f) => f.dxUrad! - 100));
    expect(mx).toBeCloseTo(100, 0);
    expect(sx).toBeCloseTo(cam.centroidNoiseUrad, 1);
  });
});
