import { describe, expect, it } from 'vitest';
import { step } from './machine.ts';
import { DEFAULT_TIMING, initialState, type AutomationEvent, type AutomationState, type Effect, type Phase, type PassRef } from './types.ts';

const T = DEFAULT_TIMING;
const pass: PassRef = { id: 'MICIUS@xinglong@2026-11-29T16:50:00.000Z', satellite: 'MICIUS', aosMs: 1_000_000, losMs: 1_300_000 };

function at(phase: Phase, patch: Partial<AutomationState> = {}): AutomationState {
  const base = initialState(0);
  const withPass = phase === 'idle' ? {} : { pass };
  return { ...base, ...withPass, phase, sinceMs: 900_000, ...patch };
}

const kinds = (effects: Effect[]) => effects.map((e) => e.kind);

interface Row {
  name: string;
  from: AutomationState;
  event: AutomationEvent;
  to: Phase;
  effects: string[];
  reason?: RegExp;
  check?: (s: AutomationState) => void;
}

const rows: Row[] = [
  { name: 'idle + pass due → prechecks', from: at('idle'), event: { type: 'passDue', tMs: 820_000, pass }, to: 'prechecks', effects: ['runChecks'], check: (s) => expect(s.lateJoin).toBe(false) },
  { name: 'idle + pass due after AOS → late join', from: at('idle'), event: { type: 'passDue', tMs: 1_060_000, pass }, to: 'prechecks', effects: ['runChecks'], reason: /late join, 60 s after AOS/, check: (s) => expect(s.lateJoin).toBe(true) },
  { name: 'paused automation starts no pass', from: at('idle', { paused: true }), event: { type: 'passDue', tMs: 820_000, pass }, to: 'idle', effects: [] },
  { name: 'busy telescope ignores a second pass', from: at('tracking'), event: { type: 'passDue', tMs: 1_100_000, pass: { ...pass, id: 'other' } }, to: 'tracking', effects: [], check: (s) => expect(s.pass?.id).toBe(pass.id) },
  { name: 'checks pass before AOS → slew', from: at('prechecks'), event: { type: 'checksDone', tMs: 830_000, failures: [] }, to: 'slewing', effects: ['slewToStart'] },
  { name: 'checks pass after AOS → track at once', from: at('prechecks'), event: { type: 'checksDone', tMs: 1_010_000, failures: [] }, to: 'tracking', effects: [], check: (s) => expect(s.trackingStartMs).toBe(1_010_000) },
  { name: 'checks fail → park, reason kept', from: at('prechecks'), event: { type: 'checksDone', tMs: 830_000, failures: ['sun elevation -5.0° above -12°'] }, to: 'parking', effects: ['stopMount', 'park'], reason: /pre-pass checks failed: sun/ },
  { name: 'slew done before AOS → wait', from: at('slewing'), event: { type: 'slewDone', tMs: 900_000 }, to: 'waiting', effects: [] },
  { name: 'slew done after AOS → track', from: at('slewing'), event: { type: 'slewDone', tMs: 1_000_500 }, to: 'tracking', effects: [] },
  { name: 'slew stalls → abort to park', from: at('slewing', { sinceMs: 800_000 }), event: { type: 'tick', tMs: 800_000 + T.slewTimeoutMs + 1 }, to: 'parking', effects: ['stopMount', 'park'], reason: /stall/ },
  { name: 'waiting, before AOS → stay', from: at('waiting'), event: { type: 'tick', tMs: 999_999 }, to: 'waiting', effects: [] },
  { name: 'waiting, AOS → tracking', from: at('waiting'), event: { type: 'tick', tMs: 1_000_000 }, to: 'tracking', effects: [], reason: /AOS/ },
  { name: 'pass nearly over while waiting → abort', from: at('waiting'), event: { type: 'tick', tMs: pass.losMs - T.minRemainingMs }, to: 'parking', effects: ['stopMount', 'park'] },
  { name: 'beacon seen → key exchange, record', from: at('tracking', { trackingStartMs: 1_000_000 }), event: { type: 'beacon', tMs: 1_005_000, visible: true }, to: 'keyExchange', effects: ['startRecording'], check: (s) => expect(s.recording).toBe(true) },
  { name: 'no beacon in time → abort', from: at('tracking', { trackingStartMs: 1_000_000 }), event: { type: 'tick', tMs: 1_000_000 + T.acquisitionTimeoutMs + 1 }, to: 'parking', effects: ['stopMount', 'park'], reason: /not acquired/ },
  { name: 'beacon lost starts the lost-track timer', from: at('keyExchange', { recording: true }), event: { type: 'beacon', tMs: 1_100_000, visible: false }, to: 'keyExchange', effects: [], check: (s) => expect(s.beaconLostSinceMs).toBe(1_100_000) },
  { name: 'beacon back clears the timer', from: at('keyExchange', { recording: true, beaconLostSinceMs: 1_100_000 }), event: { type: 'beacon', tMs: 1_103_000, visible: true }, to: 'keyExchange', effects: [], check: (s) => expect(s.beaconLostSinceMs).toBeNull() },
  { name: 'beacon lost too long → abort, recording stopped', from: at('keyExchange', { recording: true, beaconLostSinceMs: 1_100_000 }), event: { type: 'tick', tMs: 1_100_000 + T.lostTrackTimeoutMs + 1 }, to: 'parking', effects: ['stopRecording', 'stopMount', 'park'], reason: /lost track/ },
  { name: 'large pointing error starts the off-track timer', from: at('keyExchange', { recording: true }), event: { type: 'pointing', tMs: 1_100_000, errorDeg: 3 }, to: 'keyExchange', effects: [], check: (s) => expect(s.offTrackSinceMs).toBe(1_100_000) },
  { name: 'off track too long (stall) → abort', from: at('keyExchange', { recording: true, offTrackSinceMs: 1_100_000 }), event: { type: 'tick', tMs: 1_100_000 + T.lostTrackTimeoutMs + 1 }, to: 'parking', effects: ['stopRecording', 'stopMount', 'park'], reason: /cannot follow/ },
  { name: 'LOS → park, stop recording', from: at('keyExchange', { recording: true }), event: { type: 'tick', tMs: pass.losMs }, to: 'parking', effects: ['stopRecording', 'park'], reason: /^LOS$/ },
  { name: 'mount fault while tracking → abort', from: at('keyExchange', { recording: true }), event: { type: 'mountFault', tMs: 1_100_000, message: 'azimuth stall' }, to: 'parking', effects: ['stopRecording', 'stopMount', 'park'], reason: /mount fault: azimuth stall/ },
  { name: 'clouds → abort', from: at('keyExchange', { recording: true }), event: { type: 'interlock', tMs: 1_100_000, name: 'weather', detail: 'cloud cover 0.9' }, to: 'parking', effects: ['stopRecording', 'stopMount', 'park'], reason: /interlock weather/ },
  { name: 'operator abort while waiting', from: at('waiting'), event: { type: 'operator', tMs: 950_000, command: 'abort', note: 'dome' }, to: 'parking', effects: ['stopMount', 'park'], reason: /operator abort \(dome\)/ },
  { name: 'operator abort when idle does nothing', from: at('idle'), event: { type: 'operator', tMs: 950_000, command: 'abort' }, to: 'idle', effects: [] },
  { name: 'operator park when idle → parking without a pass', from: at('idle'), event: { type: 'operator', tMs: 950_000, command: 'park' }, to: 'parking', effects: ['stopMount', 'park'] },
  { name: 'operator pause keeps the pass flying', from: at('keyExchange', { recording: true }), event: { type: 'operator', tMs: 1_100_000, command: 'pause' }, to: 'keyExchange', effects: [], check: (s) => expect(s.paused).toBe(true) },
  { name: 'resume', from: at('idle', { paused: true }), event: { type: 'operator', tMs: 1_100_000, command: 'resume' }, to: 'idle', effects: [], check: (s) => expect(s.paused).toBe(false) },
  { name: 'parked after a pass → post-process', from: at('parking'), event: { type: 'parked', tMs: 1_320_000 }, to: 'postProcessing', effects: ['postProcess'] },
  { name: 'parked after an operator park → idle', from: at('parking', { pass: null }), event: { type: 'parked', tMs: 1_320_000 }, to: 'idle', effects: [] },
  { name: 'park failed → fault (operator needed)', from: at('parking'), event: { type: 'parkFailed', tMs: 1_320_000, message: 'timeout' }, to: 'fault', effects: ['stopMount'], reason: /operator needed/ },
  { name: 'fault + operator park → try again', from: at('fault', { pass: null }), event: { type: 'operator', tMs: 1_400_000, command: 'park' }, to: 'parking', effects: ['stopMount', 'park'] },
  { name: 'fault retries park after a while, keeping the pass', from: at('fault', { sinceMs: 1_320_000, abortReason: 'mount fault: stall' }), event: { type: 'tick', tMs: 1_320_000 + T.parkRetryMs }, to: 'parking', effects: ['park'], check: (s) => expect(s.pass?.id).toBe(pass.id) },
  { name: 'fault waits before retrying', from: at('fault', { sinceMs: 1_320_000 }), event: { type: 'tick', tMs: 1_320_000 + T.parkRetryMs - 1 }, to: 'fault', effects: [] },
  { name: 'key blocks → store', from: at('postProcessing'), event: { type: 'postProcessed', tMs: 1_330_000, blocks: 3 }, to: 'storing', effects: ['store'] },
  { name: 'no key → idle, pass completed', from: at('postProcessing'), event: { type: 'postProcessed', tMs: 1_330_000, blocks: 0 }, to: 'idle', effects: ['passFinished'], reason: /completed: post-processing gave no key/ },
  { name: 'stored → idle', from: at('storing'), event: { type: 'stored', tMs: 1_340_000 }, to: 'idle', effects: ['passFinished'], check: (s) => expect(s.pass).toBeNull() },
  { name: 'aborted pass finishes as aborted', from: at('storing', { abortReason: 'operator abort' }), event: { type: 'stored', tMs: 1_340_000 }, to: 'idle', effects: ['passFinished'], reason: /aborted/ },
  { name: 'pass removed from the plan before AOS → park', from: at('waiting'), event: { type: 'passCancelled', tMs: 950_000, passId: pass.id }, to: 'parking', effects: ['stopMount', 'park'], reason: /removed from the plan/ },
  { name: 'pass removed from the plan while tracking → keep flying', from: at('tracking'), event: { type: 'passCancelled', tMs: 1_050_000, passId: pass.id }, to: 'tracking', effects: [] },
  { name: 'stale events are ignored (slewDone when idle)', from: at('idle'), event: { type: 'slewDone', tMs: 1 }, to: 'idle', effects: [] },
];

describe('pass automation state machine', () => {
  it.each(rows)('$name', (row) => {
    const r = step(row.from, row.event, T);
    expect(r.state.phase).toBe(row.to);
    expect(kinds(r.effects)).toEqual(row.effects);
    if (row.to !== row.from.phase) {
      expect(r.transition).toEqual({ from: row.from.phase, to: row.to, reason: r.state.reason });
      expect(r.state.reason.length).toBeGreaterThan(0);
    } else {
      expect(r.transition).toBeUndefined();
    }
    if (row.reason) expect(r.state.reason).toMatch(row.reason);
    row.check?.(r.state);
  });

  it('is pure: the input state is never mutated', () => {
    const s = at('keyExchange', { recording: true });
    const copy = structuredClone(s);
    step(s, { type: 'mountFault', tMs: 1, message: 'x' }, T);
    expect(s).toEqual(copy);
  });

  it('a full nominal pass walks every phase in order and finishes completed', () => {
    const events: AutomationEvent[] = [
      { type: 'passDue', tMs: 820_000, pass },
      { type: 'checksDone', tMs: 821_000, failures: [] },
      { type: 'slewDone', tMs: 850_000 },
      { type: 'tick', tMs: 1_000_000 },
      { type: 'beacon', tMs: 1_002_000, visible: true },
      { type: 'tick', tMs: 1_300_000 },
      { type: 'parked', tMs: 1_310_000 },
      { type: 'postProcessed', tMs: 1_320_000, blocks: 1 },
      { type: 'stored', tMs: 1_321_000 },
    ];
    let s = initialState(0);
    const phases: Phase[] = [];
    const effects: Effect[] = [];
    for (const e of events) {
      const r = step(s, e, T);
      s = r.state;
      phases.push(s.phase);
      effects.push(...r.effects);
    }
    expect(phases).toEqual(['prechecks', 'slewing', 'waiting', 'tracking', 'keyExchange', 'parking', 'postProcessing', 'storing', 'idle']);
    expect(effects.at(-1)).toEqual({ kind: 'passFinished', passId: pass.id, outcome: 'completed', reason: 'keys stored' });
  });
});
