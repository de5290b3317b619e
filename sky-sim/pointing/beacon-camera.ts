/**
 * The coarse tracking camera: it sees the satellite's beacon when the beacon is inside its field of view and
 * not blocked (cloud, link drop, lost-track fault, below the horizon), at its frame rate. The centroid it
 * reports is the coarse error plus atmospheric tip-tilt plus centroiding noise (photon and read noise, per axis).
 */
import type { BeaconFix } from '../../planner/ports.ts';
import type { UtcMs } from '../../planner/time.ts';
import type { Rng } from '../random/prng.ts';
import type { PointingState } from './fine-pointing.ts';

export interface BeaconCameraParams {
  /** Half-width of the (square) field of view. */
  halfFieldUrad: number;
  frameRateHz: number;
  centroidNoiseUrad: number;
}

/** True when the beacon falls in the camera's field (the gate on both axes). */
export function inCameraField(p: BeaconCameraParams, dxUrad: number, dyUrad: number): boolean {
  return Math.abs(dxUrad) <= p.halfFieldUrad && Math.abs(dyUrad) <= p.halfFieldUrad;
}

export function beaconFix(p: BeaconCameraParams, tMs: UtcMs, state: PointingState, beaconUnblocked: boolean, rng: Rng): BeaconFix {
  const frameMs = 1000 / p.frameRateHz;
  const frameTMs = Math.floor(tMs / frameMs) * frameMs;
  const dx = state.errorDxUrad + state.tipTiltDxUrad;
  const dy = state.errorDyUrad + state.tipTiltDyUrad;
  if (!beaconUnblocked || !inCameraField(p, dx, dy)) return { tMs: frameTMs, visible: false };
  return { tMs: frameTMs, visible: true, dxUrad: dx + p.centroidNoiseUrad * rng.normal(), dyUrad: dy + p.centroidNoiseUrad * rng.normal() };
}
