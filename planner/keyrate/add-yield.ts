/**
 * `passes --yield [--terminal FILE]`: the expected key of every pass (and inter-satellite window). The pass list
 * comes from planner/passes; the look samples of each pass are supplied by the caller (the same propagator that
 * found the pass), so this module does not depend on how passes are predicted.
 *
 * Integrator's wiring (bin/commands/passes.ts):
 *   const terminal = parseTerminalFile(readFileSync(file, 'utf8'), file)          // planner/link/terminal-file.ts
 *   const withYield = addYieldToPasses(passes, (p) => lookSamplesFor(p, 1000), terminal.value, { optimize: true })
 * `lookSamplesFor` must return samples from AOS to LOS at ≤ 1 s … 10 s spacing (the loss is interpolated per slot).
 */
import type { Interval } from '../time.ts';
import type { InterSatelliteWindow, LookSample, Pass } from '../types.ts';
import type { LinkParams } from '../link/params.ts';
import { expectedPassKey, type PassYield } from './pass-yield.ts';
import type { DecoyProtocolParams } from './types.ts';

export interface YieldTerminal {
  link: LinkParams;
  protocol: DecoyProtocolParams;
  planning?: { slotDurationS: number };
}

/** The fields `passes --yield` adds to a pass or window. */
export interface YieldFields {
  expectedSecretKeyBits: number;
  meanLossDb: number;
  minLossDb: number;
  expectedQber: number;
  /** The transmission window chosen for key exchange; null when the pass gives no key. */
  keyWindow: Interval | null;
  /** The protocol the expectation assumes (optimised with `optimize`). */
  keyProtocol: Pick<DecoyProtocolParams, 'intensities' | 'intensityProbabilities' | 'keyBasisProbability'>;
}

export interface AddYieldOptions {
  optimize?: boolean;
}

function fields(y: PassYield): YieldFields {
  return {
    expectedSecretKeyBits: y.expectedSecretKeyBits,
    meanLossDb: y.meanLossDb,
    minLossDb: y.minLossDb,
    expectedQber: y.expectedQber,
    keyWindow: y.expectedSecretKeyBits > 0 ? { startMs: y.windowStartMs, endMs: y.windowEndMs } : null,
    keyProtocol: { intensities: y.protocol.intensities, intensityProbabilities: y.protocol.intensityProbabilities, keyBasisProbability: y.protocol.keyBasisProbability },
  };
}

/** Each pass with its expected key, restricted to the pass's usable windows (night, elevation, …). */
export function addYieldToPasses<P extends Pass>(passes: readonly P[], lookSamples: (pass: P) => readonly LookSample[], terminal: YieldTerminal, opts: AddYieldOptions = {}): Array<P & YieldFields> {
  return passes.map((p) => {
    const y = expectedPassKey(lookSamples(p), terminal.link, terminal.protocol, {
      optimize: Boolean(opts.optimize),
      slotDurationS: terminal.planning?.slotDurationS ?? 1,
      usableWindows: p.usableWindows,
    });
    return { ...p, ...fields(y) };
  });
}

/** The same for inter-satellite windows; the terminal's link should have direction 'inter-satellite'. */
export function addYieldToInterSatelliteWindows<W extends InterSatelliteWindow>(windows: readonly W[], lookSamples: (w: W) => readonly LookSample[], terminal: YieldTerminal, opts: AddYieldOptions = {}): Array<W & YieldFields> {
  return windows.map((w) => {
    const y = expectedPassKey(lookSamples(w), terminal.link, terminal.protocol, { optimize: Boolean(opts.optimize), slotDurationS: terminal.planning?.slotDurationS ?? 1 });
    return { ...w, ...fields(y) };
  });
}
