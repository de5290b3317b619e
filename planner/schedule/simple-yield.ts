/**
 * A deterministic stand-in key yield: secret bits = rate at zenith × usable seconds × sin²(max elevation). The
 * sin² follows the free-space loss ∝ range² (range ≈ h / sin el for a LEO pass). Used by tests and when no link
 * model is configured; production plans use the finite-key yield of planner/keyrate (see bin/commands/schedule.ts).
 */
import { MS_PER_S } from '../time.ts';
import type { Pass } from '../types.ts';
import type { IslYield, PassYield } from './candidates.ts';

export function simplePassYield(bitsPerSecondAtZenith: number): PassYield {
  return (pass: Pass) => {
    const usableS = pass.usableWindows.reduce((s, w) => s + (w.endMs - w.startMs) / MS_PER_S, 0);
    const sinEl = Math.sin((pass.maxElevationDeg * Math.PI) / 180);
    return bitsPerSecondAtZenith * usableS * sinEl * sinEl;
  };
}

export function simpleIslYield(bitsPerSecond: number): IslYield {
  return (w) => (bitsPerSecond * (w.endMs - w.startMs)) / MS_PER_S;
}
