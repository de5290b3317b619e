import { describe, expect, it } from 'vitest';
import type { KeyBlock } from '../../planner/ports.ts';
import type { Pass, LookSample } from '../../planner/types.ts';
import { VirtualClock } from '../../sky-sim/clock/virtual-clock.ts';
import type { FaultInput } from '../../sky-sim/faults/faults.ts';
import { PassAutomation } from './driver.ts';
import type { PassRecords, PostProcessor } from './ports.ts';
import { skySimRig, syntheticPlannedPass } from './testing/sky-sim-rig.ts';
import type { Phase } from './types.ts';

const T0 = Date.parse('2026-11-29T16:00:00Z');

/** A stand-in post-processor for these tests: it reports what it was given and makes one block per pass. */
function recordingPostProcessor(seen: PassRecords[]): PostProcessor {
  return async (r) => {
    seen.push(r);
    const block: KeyBlock = {
      blockId: `${r.pass.id}#0`,
      bits: 256,
      provenance: {
        passId: r.pass.id, stationId: r.stationId, satelliteId: r.pass.satellite, startMs: r.startMs, endMs: r.endMs, qber: 0.02,
        siftedBits: r.events.length, reconciliationLeakedBits: 0, authenticationKeyBits: 0, epsilonSec: 1e-10, epsilonCor: 1e-15,
        finiteKeyBoundBits: 256, protocol: 'test stand-in',
      },
    };
    return { blocks: [{ block, keyBytes: new Uint8Array(32) }], qber: 0.02 };
  };
}

interface RunOptions {
  passes: Array<{ pass: Pass; ephemeris: LookSample[] }>;
  startMs: number;
  faults?: (pass: Pass) => FaultInput[];
  interlocks?: ConstructorParameters<typeof PassAutomation>[0]['interlocks'];
  untilMs?: number;
}

async function run(o: RunOptions) {
  const clock = new VirtualClock({ startMs: o.startMs });
  const seen: PassRecords[] = [];
  const stored: KeyBlock[] = [];
  const ephemerides = new Map(o.passes.map((p) => [p.pass.id, p.ephemeris]));
  const automation = new PassAutomation({
    stationId: 'xinglong',
    timebase: clock,
    // A 10 ms world grid, a 10 MHz source and a sparse sync train keep a pass to a few seconds of CPU: the automation
    // sees the same geometry, pointing and faults, with a tenth of the detections to carry.
    rig: skySimRig({ clock, seed: 7, faults: o.faults, preRollMs: 90_000, config: { simulation: { sliceMs: 10 }, source: { repetitionRateHz: 10e6, syncPeriodPulses: 100_000 } } }),
    timing: { leadMs: 60_000 },
    ephemeris: async (p) => ephemerides.get(p.id)!,
    postProcess: recordingPostProcessor(seen),
    keySink: { put: async (b) => void stored.push(b) },
    interlocks: o.interlocks,
  });
  const phases: Phase[] = [];
  automation.state$.subscribe((s) => {
    if (phases.at(-1) !== s.phase) phases.push(s.phase);
  });
  automation.start();
  await automation.setPlan(o.passes.map((p) => p.pass));
  const lastLos = Math.max(...o.passes.map((p) => p.pass.losMs));
  await clock.advanceTo(o.untilMs ?? lastLos + 300_000);
  await automation.close();
  return { automation, seen, stored, phases };
}

describe('pass automation on sky-sim (virtual clock, as fast as possible)', () => {
  it('flies a whole pass: every phase, detections recorded, key stored, telescope parked, pointing measured', async () => {
    const p = syntheticPlannedPass('xinglong', T0 + 600_000, 60, 30, 25);
    const { automation, seen, stored, phases } = await run({ passes: [p], startMs: T0 });
    expect(phases).toEqual(['idle', 'prechecks', 'slewing', 'waiting', 'tracking', 'keyExchange', 'parking', 'postProcessing', 'storing', 'idle']);
    const summary = automation.passSummary(p.pass.id)!;
    expect(summary.status).toBe('completed');
    expect(summary.lateJoin).toBe(false);
    expect(summary.detections).toBeGreaterThan(1000);
    expect(seen).toHaveLength(1);
    expect(seen[0].abortReason).toBeNull();
    expect(seen[0].events.length).toBe(summary.detections);
    expect(stored.map((b) => b.provenance.passId)).toEqual([p.pass.id]);
    expect(summary.keyBits).toBe(256);
    // Closed-loop tracking on the sky-sim telescope mount: the camera residual stays in the tens of µrad.
    expect(summary.pointing.beaconSamples).toBeGreaterThan(1000); // 10 Hz over the whole key exchange
    expect(summary.pointing.rmsBeaconErrorUrad).toBeLessThan(200);
    expect(summary.pointing.rmsMountErrorDeg).toBeLessThan(0.1);
    process.stdout.write(`pointing during simulated tracking: ${JSON.stringify(summary.pointing)}\n`);
    const log = automation.passLog().filter((e) => e.kind === 'transition');
    expect(log.every((e) => e.message.length > 0)).toBe(true);
    expect(log.map((e) => e.to)).toContain('keyExchange');
  });

  it('joins a pass already under way (late start)', async () => {
    const p = syntheticPlannedPass('xinglong', T0 + 600_000, 60, 30, 30);
    const { automation, phases } = await run({ passes: [p], startMs: p.pass.aosMs + 30_000 });
    const summary = automation.passSummary(p.pass.id)!;
    expect(summary.lateJoin).toBe(true);
    expect(summary.status).toBe('completed');
    expect(phases).not.toContain('slewing');
    expect(summary.detections).toBeGreaterThan(1000);
  });

  it.each([
    { fault: 'mount-stall', reason: /stall|cannot follow|mount fault/ },
    { fault: 'lost-track', reason: /lost track/ },
    { fault: 'cloud', reason: /lost track/ },
  ] as const)('a $fault fault mid-pass ends parked, records kept and post-processed', async ({ fault, reason }) => {
    const p = syntheticPlannedPass('xinglong', T0 + 600_000, 60, 30, 30);
    const faults = (pass: Pass): FaultInput[] => [{ kind: fault, startMs: pass.tcaMs - 30_000, durationMs: 120_000 } as FaultInput];
    const { automation, seen } = await run({ passes: [p], startMs: T0, faults });
    const summary = automation.passSummary(p.pass.id)!;
    expect(summary.status).toBe('aborted');
    expect(summary.reason).toMatch(reason);
    expect(automation.state.phase).toBe('idle');
    expect(seen).toHaveLength(1);
    expect(seen[0].abortReason).toMatch(reason);
    expect(seen[0].events.length).toBeGreaterThan(0);
    const transitions = automation.passLog().filter((e) => e.kind === 'transition');
    const abortAt = transitions.findIndex((e) => e.message.startsWith('abort'));
    const ppAt = transitions.findIndex((e) => e.to === 'postProcessing');
    expect(transitions[abortAt].to).toBe('parking');
    // Between the abort and post-processing the telescope only parks (a stalled mount refuses park: it waits in
    // `fault` and retries); post-processing starts only once it is parked.
    expect(transitions.slice(abortAt, ppAt).every((e) => e.to === 'parking' || e.to === 'fault')).toBe(true);
    expect(transitions[ppAt].from).toBe('parking');
  });

  it('a failed interlock at pre-pass checks skips the pass safely', async () => {
    const p = syntheticPlannedPass('xinglong', T0 + 600_000);
    const { automation, seen, phases } = await run({
      passes: [p],
      startMs: T0,
      interlocks: [{ name: 'weather', check: async () => 'cloud cover 0.9 over the station' }],
    });
    expect(phases.slice(0, 3)).toEqual(['idle', 'prechecks', 'parking']);
    const summary = automation.passSummary(p.pass.id)!;
    expect(summary.status).toBe('aborted');
    expect(summary.reason).toMatch(/weather: cloud cover/);
    expect(seen).toHaveLength(0); // nothing recorded, nothing to post-process
  });

  it('a night of passes: flies them in order, one at a time, skipping the one that overlaps', async () => {
    const a = syntheticPlannedPass('xinglong', T0 + 600_000, 60, 30, 30);
    const overlapping = syntheticPlannedPass('xinglong', T0 + 680_000, 50, 120, 30);
    const b = syntheticPlannedPass('xinglong', T0 + 2_400_000, 55, 200, 30);
    const { automation, stored } = await run({ passes: [b, overlapping, a], startMs: T0 });
    expect(automation.plan().conflicts).toEqual({ [overlapping.pass.id]: a.pass.id });
    const flown = automation.passSummaries().map((s) => [s.passId, s.status]);
    expect(flown).toEqual([[a.pass.id, 'completed'], [b.pass.id, 'completed']]);
    expect(stored).toHaveLength(2);
  });
});
