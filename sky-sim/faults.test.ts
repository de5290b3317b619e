/** Faults appear when and where injected: in the events, the telemetry and the ports. */
import { describe, expect, it } from 'vitest';
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import type { DetectionEvent } from '../planner/ports.ts';
import { VirtualClock } from './clock/virtual-clock.ts';
import { createSimulatedPass } from './simulated-pass.ts';
import { drivePass, staticLook } from './testing/drive.ts';
import { SYNC_CHANNEL } from './simulation.ts';
import { TELESCOPE_MOUNT } from './mount/profiles.ts';
import type { FaultInput } from './faults/faults.ts';
import { parseFaults, randomFaults } from './faults/faults.ts';
import type { TelemetryEvent, TelemetrySample } from './telemetry/types.ts';
import { telemetry$ } from './telemetry/rx.ts';

const T0 = Date.UTC(2026, 10, 29, 17, 0, 0);
const REC = T0 + 1000;

function setup(faults: FaultInput[], extra: Record<string, unknown> = {}) {
  const clock = new VirtualClock({ startMs: T0 });
  const pass = createSimulatedPass({
    lookSamples: staticLook(T0, 60_000, { azDeg: 200, elDeg: 50, rangeKm: 900 }),
    link: () => 2e-3,
    clock,
    seed: 5,
    faults,
    config: {
      mount: { ...TELESCOPE_MOUNT, park: { azDeg: 200, elDeg: 50 } },
      detectors: { darkCountRateHz: 200, afterpulseProbability: 0 },
      ...extra,
    },
  });
  if (!pass.ok) throw new Error(pass.reason);
  const telemetry: TelemetryEvent[] = [];
  pass.onTelemetry((e) => telemetry.push(e));
  return { clock, pass, telemetry };
}

/** Tagger time → true UTC ms (no offset/drift configured; the tagger starts at REC). */
const tMsOf = (e: DetectionEvent) => REC + e.timePs / 1e9;
const inWindow = (events: DetectionEvent[], a: number, b: number) => events.filter((e) => tMsOf(e) >= a && tMsOf(e) < b);
const samples = (t: TelemetryEvent[]) => t.filter((e): e is TelemetrySample => e.type === 'sample');

describe('faults', () => {
  it('link drop: no signal and no sync while it lasts (after the light already in flight), dark counts go on', async () => {
    const { clock, pass, telemetry } = setup([{ kind: 'link-drop', startMs: T0 + 2000, durationMs: 500 }]);
    const events = await drivePass(pass, clock, { recordFromMs: REC, endMs: T0 + 4000 });
    const delayMs = pass.simulation.delayPsAt(T0) / 1e9;
    const during = inWindow(events, T0 + 2000 + delayMs + 1, T0 + 2500 + delayMs - 1);
    const before = inWindow(events, T0 + 1400, T0 + 1900);
    expect(during.filter((e) => e.channel === SYNC_CHANNEL)).toHaveLength(0);
    // Only dark counts: 4 × 200 Hz × 0.5 s ≈ 400, against ~10^4 before.
    expect(during.length).toBeLessThan(600);
    expect(before.length).toBeGreaterThan(5000);
    expect(telemetry.filter((e) => e.type === 'fault')).toEqual([
      { type: 'fault', tMs: T0 + 2000, kind: 'link-drop', phase: 'start' },
      { type: 'fault', tMs: T0 + 2500, kind: 'link-drop', phase: 'end' },
    ]);
    const s = samples(telemetry).find((x) => x.tMs === T0 + 2300);
    expect(s?.channel.transmittance).toBe(0);
  });

  it('tagger gap: nothing at all is recorded inside it', async () => {
    const { clock, pass } = setup([{ kind: 'tagger-gap', startMs: T0 + 2000, durationMs: 300 }]);
    const events = await drivePass(pass, clock, { recordFromMs: REC, endMs: T0 + 3000 });
    expect(inWindow(events, T0 + 2000, T0 + 2300)).toHaveLength(0);
    expect(inWindow(events, T0 + 2300, T0 + 2600).length).toBeGreaterThan(1000);
  });

  it('clock jump: tags after it are shifted by the jump, seen in the sync period', async () => {
    const jumpPs = 123_456;
    const { clock, pass } = setup([{ kind: 'clock-jump', startMs: T0 + 2000, jumpPs }]);
    const events = await drivePass(pass, clock, { recordFromMs: REC, endMs: T0 + 3000 });
    const sync = events.filter((e) => e.channel === SYNC_CHANNEL);
    // Residual of each sync tag against the 100 µs grid: a step of jumpPs at the jump.
    const residual = (e: DetectionEvent) => ((((e.timePs - sync[0].timePs) % 1e8) + 1.5e8) % 1e8) - 0.5e8;
    const beforeJ = sync.filter((e) => e.timePs < 0.9e12).map(residual);
    const afterJ = sync.filter((e) => e.timePs > 1.1e12).map(residual);
    const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
    expect(Math.abs(median(afterJ) - median(beforeJ) - jumpPs)).toBeLessThan(500);
  });

  it('cloud: the channel is attenuated by its transmittance, the beacon lost below 5 %', async () => {
    const { clock, pass, telemetry } = setup([{ kind: 'cloud', startMs: T0 + 2000, durationMs: 1000, transmittance: 0.2 }]);
    await drivePass(pass, clock, { recordFromMs: REC, endMs: T0 + 3500 });
    const at = (t: number) => samples(telemetry).find((x) => x.tMs === t)!;
    expect(at(T0 + 2500).channel.cloudTransmittance).toBe(0.2);
    expect(at(T0 + 2500).channel.transmittance).toBeCloseTo(0.2 * at(T0 + 1500).channel.transmittance, 3);
    const sig = (s: TelemetrySample) => s.counts[0] + s.counts[1] + s.counts[2] + s.counts[3];
    // Counts in a 100 ms period that fully lies in the cloud: ~20 % (±5σ) of those before it.
    const ratio = sig(at(T0 + 2600)) / sig(at(T0 + 1600));
    expect(ratio).toBeGreaterThan(0.12);
    expect(ratio).toBeLessThan(0.3);
    expect(at(T0 + 2600).pointing.beaconVisible).toBe(true);
  });

  it('detector saturation: stray light drives the chosen detectors to their dead-time-limited rate', async () => {
    const strayRateHz = 2e6;
    const { clock, pass, telemetry } = setup([{ kind: 'detector-saturation', startMs: T0 + 2000, durationMs: 200, strayRateHz, channels: [1] }]);
    await drivePass(pass, clock, { recordFromMs: REC, endMs: T0 + 2500 });
    const s = samples(telemetry).find((x) => x.tMs === T0 + 2100)!;
    const tau = 50e-9;
    const expected = (strayRateHz / (1 + strayRateHz * tau)) * 0.1; // non-paralysable dead time
    expect(Math.abs(s.counts[1] - expected)).toBeLessThan(0.02 * expected);
    expect(s.counts[0]).toBeLessThan(s.counts[1] / 20);
    expect(s.channel.saturated).toBe(true);
  });

  it('lost track: the beacon disappears, the fine loop opens and coupling collapses', async () => {
    const { clock, pass, telemetry } = setup([{ kind: 'lost-track', startMs: T0 + 2000, durationMs: 500 }], { pointing: { tipTiltRmsUrad: 40 } });
    const fixes: boolean[] = [];
    await pass.mount.connect();
    await pass.mount.unpark();
    for (const t of [T0 + 1500, T0 + 2200, T0 + 2800]) {
      await clock.advanceTo(t);
      fixes.push((await pass.beacon.read()).visible);
    }
    expect(fixes).toEqual([true, false, true]);
    const at = (t: number) => samples(telemetry).find((x) => x.tMs === t)!;
    expect(at(T0 + 2200).pointing.fineLoopClosed).toBe(false);
    expect(at(T0 + 1500).pointing.fineLoopClosed).toBe(true);
    expect(at(T0 + 1500).pointing.coupling).toBeGreaterThan(0.9);
    // Open loop: the residual is the whole 40 µrad rms tip-tilt against a 50 µrad field stop.
    const open = samples(telemetry).filter((x) => x.tMs > T0 + 2000 && x.tMs <= T0 + 2500).map((x) => x.pointing.coupling);
    expect(open.reduce((a, b) => a + b, 0) / open.length).toBeLessThan(0.75);
  });

  it('mount stall: commands are refused with the reason, the status carries the fault, both clear afterwards', async () => {
    const { clock, pass } = setup([{ kind: 'mount-stall', startMs: T0 + 2000, durationMs: 1000 }]);
    await pass.mount.connect();
    await pass.mount.unpark();
    await clock.advanceTo(T0 + 2500);
    await expect(pass.mount.slewTo({ azDeg: 210, elDeg: 50 })).rejects.toThrow(/stall/);
    expect((await pass.mount.getStatus()).fault).toMatch(/stall/);
    await clock.advanceTo(T0 + 3100);
    await pass.mount.slewTo({ azDeg: 210, elDeg: 50 });
    expect((await pass.mount.getStatus()).fault).toBeUndefined();
  });

  it('telemetry$ is an Observable of the same stream', async () => {
    const { clock, pass } = setup([{ kind: 'link-drop', startMs: T0 + 500, durationMs: 100 }]);
    const faults = firstValueFrom(telemetry$(pass).pipe(filter((e) => e.type === 'fault'), take(2), toArray()));
    await clock.advanceTo(T0 + 1000);
    await pass.beacon.read();
    expect((await faults).map((e) => e.type === 'fault' && e.phase)).toEqual(['start', 'end']);
  });
});

describe('fault lists', () => {
  it('random faults are deterministic for a seed and within the window', () => {
    const spec = { seed: 9, startMs: T0, endMs: T0 + 3_600_000, ratePerHour: { cloud: 5, 'clock-jump': 2, 'link-drop': 3 }, meanDurationMs: 20_000 };
    const a = randomFaults(spec);
    expect(randomFaults(spec)).toEqual(a);
    expect(randomFaults({ ...spec, seed: 10 })).not.toEqual(a);
    expect(a.length).toBeGreaterThan(3);
    for (const f of a) expect(f.startMs >= T0 && f.startMs < T0 + 3_600_000).toBe(true);
  });

  it.each([
    [[{ kind: 'cloud', startMs: 0, durationMs: -1 }], /faults: 0\.durationMs/],
    [[{ kind: 'volcano', startMs: 0 }], /faults: 0\.kind/],
    [[{ kind: 'clock-jump', startMs: 0, jumpPs: 0 }], /jumpPs/],
  ])('parseFaults names the bad entry and field (%#)', (input, reason) => {
    const r = parseFaults(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});
