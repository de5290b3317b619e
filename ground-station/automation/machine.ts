/**
 * Pass automation as a pure state machine: step(state, event, timing) → { state, effects, transition }.
 * No I/O, no clock: time arrives inside events. The rxjs driver (driver.ts) turns the world into events and
 * carries out the effects. Every phase change carries a human-readable reason, so the pass log explains itself.
 */
import {
  ACTIVE_PHASES,
  TRACKING_PHASES,
  type AutomationEvent,
  type AutomationState,
  type AutomationTiming,
  type Effect,
  type Phase,
  type StepResult,
} from './types.ts';

function go(state: AutomationState, to: Phase, tMs: number, reason: string, effects: Effect[], patch: Partial<AutomationState> = {}): StepResult {
  const next: AutomationState = { ...state, ...patch, phase: to, sinceMs: tMs, reason };
  return { state: next, effects, transition: { from: state.phase, to, reason } };
}

function stay(state: AutomationState, patch: Partial<AutomationState> = {}, effects: Effect[] = []): StepResult {
  return { state: Object.keys(patch).length ? { ...state, ...patch } : state, effects };
}

/** Ends the pass in hand safely: stop recording, stop the mount, park; records are kept for post-processing. */
function abort(state: AutomationState, tMs: number, reason: string): StepResult {
  const effects: Effect[] = [];
  if (state.recording) effects.push({ kind: 'stopRecording' });
  effects.push({ kind: 'stopMount' }, { kind: 'park' });
  return go(state, 'parking', tMs, `abort: ${reason}`, effects, { abortReason: reason, recording: false });
}

const isActive = (p: Phase) => ACTIVE_PHASES.includes(p);
const isTracking = (p: Phase) => TRACKING_PHASES.includes(p);

function onTick(s: AutomationState, tMs: number, timing: AutomationTiming): StepResult {
  if (s.phase === 'fault' && tMs - s.sinceMs >= timing.parkRetryMs) return go(s, 'parking', tMs, 'retrying park after fault', [{ kind: 'park' }]);
  const pass = s.pass;
  if (!pass) return stay(s);
  switch (s.phase) {
    case 'prechecks':
    case 'slewing':
    case 'waiting':
      if (tMs >= pass.losMs - timing.minRemainingMs) return abort(s, tMs, 'pass over before tracking could start');
      if (s.phase === 'slewing' && tMs - s.sinceMs > timing.slewTimeoutMs) return abort(s, tMs, `slew to AOS point not done after ${timing.slewTimeoutMs / 1000} s (stall)`);
      if (s.phase === 'waiting' && tMs >= pass.aosMs) return go(s, 'tracking', tMs, 'AOS: following the tracking ephemeris', [], { trackingStartMs: tMs });
      return stay(s);
    case 'tracking':
    case 'keyExchange': {
      if (tMs >= pass.losMs) {
        const effects: Effect[] = s.recording ? [{ kind: 'stopRecording' }] : [];
        effects.push({ kind: 'park' });
        return go(s, 'parking', tMs, 'LOS', effects, { recording: false });
      }
      if (s.phase === 'tracking' && tMs - (s.trackingStartMs ?? tMs) > timing.acquisitionTimeoutMs) {
        return abort(s, tMs, `beacon not acquired within ${timing.acquisitionTimeoutMs / 1000} s of tracking`);
      }
      if (s.phase === 'keyExchange' && s.beaconLostSinceMs !== null && tMs - s.beaconLostSinceMs > timing.lostTrackTimeoutMs) {
        return abort(s, tMs, `lost track: beacon unseen for more than ${timing.lostTrackTimeoutMs / 1000} s`);
      }
      if (s.offTrackSinceMs !== null && tMs - s.offTrackSinceMs > timing.lostTrackTimeoutMs) {
        return abort(s, tMs, `mount cannot follow: pointing error above ${timing.maxTrackingErrorDeg}° for more than ${timing.lostTrackTimeoutMs / 1000} s (stall)`);
      }
      return stay(s);
    }
    default:
      return stay(s);
  }
}

export function step(s: AutomationState, e: AutomationEvent, timing: AutomationTiming): StepResult {
  switch (e.type) {
    case 'tick':
      return onTick(s, e.tMs, timing);

    case 'passDue': {
      if (s.phase !== 'idle') return stay(s); // one pass per telescope: a busy telescope ignores the next one
      if (s.paused) return stay(s);
      const late = e.tMs >= e.pass.aosMs;
      return go(s, 'prechecks', e.tMs, late ? `pass ${e.pass.id} due (late join, ${Math.round((e.tMs - e.pass.aosMs) / 1000)} s after AOS)` : `pass ${e.pass.id} due`, [{ kind: 'runChecks' }], {
        pass: e.pass,
        lateJoin: late,
        abortReason: null,
        trackingStartMs: null,
        acquiredMs: null,
        recording: false,
        beaconLostSinceMs: null,
        offTrackSinceMs: null,
      });
    }

    case 'passCancelled':
      if (!s.pass || s.pass.id !== e.passId) return stay(s);
      if (s.phase === 'prechecks' || s.phase === 'slewing' || s.phase === 'waiting') return abort(s, e.tMs, 'pass removed from the plan');
      return stay(s); // a pass already tracking is finished: its photons are worth more than the plan change

    case 'checksDone':
      if (s.phase !== 'prechecks' || !s.pass) return stay(s);
      if (e.failures.length) return abort(s, e.tMs, `pre-pass checks failed: ${e.failures.join('; ')}`);
      if (e.tMs >= s.pass.aosMs) return go(s, 'tracking', e.tMs, 'checks passed; joining the pass mid-way, tracking at once', [], { trackingStartMs: e.tMs });
      return go(s, 'slewing', e.tMs, 'checks passed; slewing to the AOS point', [{ kind: 'slewToStart' }]);

    case 'slewDone':
      if (s.phase !== 'slewing' || !s.pass) return stay(s);
      if (e.tMs >= s.pass.aosMs) return go(s, 'tracking', e.tMs, 'at the AOS point after AOS: tracking', [], { trackingStartMs: e.tMs });
      return go(s, 'waiting', e.tMs, 'at the AOS point, waiting for AOS', []);

    case 'beacon':
      if (s.phase === 'tracking' && e.visible) {
        return go(s, 'keyExchange', e.tMs, 'beacon acquired: closed loop, recording detections', [{ kind: 'startRecording' }], { acquiredMs: e.tMs, recording: true, beaconLostSinceMs: null });
      }
      if (s.phase === 'keyExchange') {
        if (e.visible) return s.beaconLostSinceMs === null ? stay(s) : stay(s, { beaconLostSinceMs: null });
        return s.beaconLostSinceMs === null ? stay(s, { beaconLostSinceMs: e.tMs }) : stay(s);
      }
      return stay(s);

    case 'pointing':
      if (!isTracking(s.phase)) return stay(s);
      if (e.errorDeg > timing.maxTrackingErrorDeg) return s.offTrackSinceMs === null ? stay(s, { offTrackSinceMs: e.tMs }) : stay(s);
      return s.offTrackSinceMs === null ? stay(s) : stay(s, { offTrackSinceMs: null });

    case 'mountFault':
      if (isActive(s.phase)) return abort(s, e.tMs, `mount fault: ${e.message}`);
      if (s.phase === 'parking') return go(s, 'fault', e.tMs, `mount fault while parking: ${e.message}`, [{ kind: 'stopMount' }]);
      return stay(s);

    case 'interlock':
      if (isActive(s.phase)) return abort(s, e.tMs, `interlock ${e.name}: ${e.detail}`);
      return stay(s);

    case 'operator': {
      const note = e.note ? ` (${e.note})` : '';
      switch (e.command) {
        case 'pause':
          return s.paused ? stay(s) : stay(s, { paused: true, reason: `automation paused by operator${note}` });
        case 'resume':
          return s.paused ? stay(s, { paused: false, reason: `automation resumed by operator${note}` }) : stay(s);
        case 'abort':
          return isActive(s.phase) ? abort(s, e.tMs, `operator abort${note}`) : stay(s);
        case 'park':
          if (isActive(s.phase)) return abort(s, e.tMs, `operator park${note}`);
          if (s.phase === 'idle') return go(s, 'parking', e.tMs, `operator park${note}`, [{ kind: 'stopMount' }, { kind: 'park' }], { pass: null });
          if (s.phase === 'fault') return go(s, 'parking', e.tMs, `operator park${note}`, [{ kind: 'stopMount' }, { kind: 'park' }]);
          return stay(s);
      }
      return stay(s);
    }

    case 'parked':
      if (s.phase !== 'parking') return stay(s);
      if (!s.pass) return go(s, 'idle', e.tMs, 'parked', []);
      return go(s, 'postProcessing', e.tMs, s.abortReason ? 'parked after abort; post-processing the records kept' : 'parked; post-processing', [{ kind: 'postProcess' }]);

    case 'parkFailed':
      if (s.phase !== 'parking') return stay(s);
      return go(s, 'fault', e.tMs, `park failed: ${e.message}; mount stopped, operator needed`, [{ kind: 'stopMount' }]);

    case 'postProcessed': {
      if (s.phase !== 'postProcessing' || !s.pass) return stay(s);
      if (e.blocks > 0) return go(s, 'storing', e.tMs, `post-processing gave ${e.blocks} key block(s); storing`, [{ kind: 'store' }]);
      const why = e.error ? `post-processing failed: ${e.error}` : 'post-processing gave no key';
      return finish(s, e.tMs, why);
    }

    case 'stored':
      if (s.phase !== 'storing' || !s.pass) return stay(s);
      return finish(s, e.tMs, e.error ? `storing keys failed: ${e.error}` : 'keys stored');
  }
}

function finish(s: AutomationState, tMs: number, why: string): StepResult {
  const pass = s.pass!;
  const outcome = s.abortReason ? 'aborted' : 'completed';
  const reason = s.abortReason ? `${s.abortReason}; ${why}` : why;
  return go(s, 'idle', tMs, `pass ${pass.id} ${outcome}: ${why}`, [{ kind: 'passFinished', passId: pass.id, outcome, reason }], {
    pass: null,
    recording: false,
  });
}
