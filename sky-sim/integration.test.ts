/** createSimulatedPass with the planner's link model and protocol, through the ports, on both clock paces. */
import { describe, expect, it } from 'vitest';
import { channelTransmittance } from '../planner/link/channel.ts';
import { VirtualClock } from './clock/virtual-clock.ts';
import { createSimulatedPass } from './simulated-pass.ts';
import { syntheticPass } from './geometry/synthetic-pass.ts';
import { loadTerminal } from './testing/micius-link.ts';
import { drivePass } from './testing/drive.ts';
import { TELESCOPE_MOUNT } from './mount/profiles.ts';
import type { TelemetrySample } from './telemetry/types.ts';

const TCA = Date.UTC(2026, 10, 29, 16, 50);
const terminal = (() => {
  const r = loadTerminal();
  if (!r.ok) throw new Error(r.reason);
  return r.terminal;
})();
const looks = syntheticPass({ tcaMs: TCA, altitudeKm: 500, maxElevationDeg: 60, minElevationDeg: 15 });
const atTca = looks.find((l) => l.tMs === TCA)!;

function make(clock: VirtualClock, extra: Record<string, unknown> = {}) {
  const pass = createSimulatedPass({
    lookSamples: looks.filter((l) => Math.abs(l.tMs - TCA) <= 10_000),
    link: terminal.link,
    protocol: terminal.protocol,
    clock,
    seed: 21,
    // Parked near the pass on the turn of the cable wrap that holds all of it (this pass culminates at az 270°,
    // the +270° limit: the −90° turn avoids an unwind at TCA).
    config: { mount: { ...TELESCOPE_MOUNT, park: { azDeg: atTca.azDeg - 360, elDeg: atTca.elDeg } }, ...extra },
  });
  if (!pass.ok) throw new Error(pass.reason);
  return pass;
}

describe('createSimulatedPass with the Micius–Xinglong terminal', () => {
  it('takes rate, intensities and detector efficiency from the terminal, and the channel from the link model', async () => {
    const clock = new VirtualClock({ startMs: TCA - 10_000 });
    const pass = make(clock);
    const c = pass.simulation.config;
    expect(c.source.repetitionRateHz).toBe(terminal.protocol.sourceRateHz);
    expect(c.source.intensities).toEqual(terminal.protocol.intensities);
    expect(c.receiver.misalignmentErrorProbability).toBe(terminal.protocol.intrinsicQber);
    expect(Array.isArray(c.detectors) ? c.detectors[0].efficiency : c.detectors.efficiency).toBe(terminal.link.receiver.detectorEfficiency);
    const samples: TelemetrySample[] = [];
    pass.onTelemetry((e) => e.type === 'sample' && samples.push(e));
    await drivePass(pass, clock, { endMs: TCA + 10_000, recordFromMs: TCA - 8_000, onEvents: () => {} });
    // Mean link transmittance around TCA × detector efficiency = the planner's channel transmittance.
    const near = samples.filter((s) => Math.abs(s.tMs - TCA) < 2000);
    const simEta = near.reduce((a, s) => a + s.channel.linkTransmittance, 0) / near.length;
    const model = channelTransmittance(atTca, terminal.link).transmittance;
    expect(simEta * terminal.link.receiver.detectorEfficiency).toBeCloseTo(model, 5);
    // Fine pointing locks and the loss around TCA is the Micius figure for ~600 km minus the detectors' 3 dB.
    expect(near.every((s) => s.pointing.fineLoopClosed)).toBe(true);
    const lossDb = -10 * Math.log10(simEta * terminal.link.receiver.detectorEfficiency);
    expect(lossDb).toBeGreaterThan(27);
    expect(lossDb).toBeLessThan(33);
  });

  it('runs on a scaled clock (20× real time) behind the same ports', async () => {
    const clock = new VirtualClock({ startMs: TCA - 9_900, pace: { kind: 'scaled', speedUp: 20 } });
    const pass = make(clock);
    await pass.mount.connect();
    await pass.mount.unpark();
    await pass.tagger.start();
    const t0 = clock.nowMs();
    await clock.sleep(500); // 0.5 s of pass in ~25 ms of wall time
    const events = await pass.tagger.read();
    expect(clock.nowMs() - t0).toBeGreaterThanOrEqual(500);
    expect(events.length).toBeGreaterThan(1000);
    await pass.tagger.stop();
    expect(await pass.tagger.read()).toEqual([]);
  });

  it('the Mount port needs connect, refuses while parked, and says what kind it is', async () => {
    const clock = new VirtualClock({ startMs: TCA - 10_000 });
    const pass = make(clock);
    expect(pass.mount.kind).toBe('sky-sim:telescope');
    await expect(pass.mount.getStatus()).rejects.toThrow(/not connected/);
    await pass.mount.connect();
    expect((await pass.mount.getStatus()).parked).toBe(true);
    await expect(pass.mount.slewTo({ azDeg: 10, elDeg: 40 })).rejects.toThrow(/parked/);
    await pass.mount.unpark();
    await pass.mount.slewTo({ azDeg: 10, elDeg: 40 });
    await clock.advanceBy(200);
    expect((await pass.mount.getStatus()).slewing).toBe(true);
    await pass.mount.stop();
    await clock.advanceBy(5000);
    expect((await pass.mount.getStatus()).slewing).toBe(false);
    await pass.mount.close();
    await expect(pass.mount.getStatus()).rejects.toThrow(/not connected/);
  });

  it('bad configuration is an error value naming the field', () => {
    const r = createSimulatedPass({ lookSamples: looks, link: () => 1e-3, clock: new VirtualClock({ startMs: TCA }), config: { source: { intensityProbabilities: [0.5, 0.5, 0.5] } } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/source\.intensityProbabilities: intensityProbabilities must sum to 1/);
    const r2 = createSimulatedPass({ lookSamples: looks.slice(0, 1), link: () => 1e-3, clock: new VirtualClock({ startMs: TCA }) });
    expect(r2.ok).toBe(false);
  });
});

describe('sky background in the simulation', () => {
  it('uses the Sun and Moon at the configured site: extraneous rate = dark + background/4', async () => {
    const { backgroundRateHz, skyConditions } = await import('./channel/sky-background.ts');
    const site = { latDeg: 40.3958, lonDeg: 117.5775, heightM: 900 };
    const clock = new VirtualClock({ startMs: TCA - 10_000 });
    const pass = make(clock, { sky: { site, nightSkyRateHz: 80, fullMoonRateHz: 2000 } });
    const samples: TelemetrySample[] = [];
    pass.onTelemetry((e) => e.type === 'sample' && samples.push(e));
    await clock.advanceTo(TCA);
    await pass.beacon.read();
    const s = samples[samples.length - 1];
    const skyKeyMs = Math.floor((s.tMs - 100) / 10_000) * 10_000; // sky evaluated every 10 s
    const expected = 25 + backgroundRateHz({ nightSkyRateHz: 80, fullMoonRateHz: 2000 }, skyConditions(site, skyKeyMs), pass.simulation.track.at(s.tMs - 50)) / 4;
    expect(s.channel.extraneousRateHz).toBeCloseTo(expected, 1);
    expect(s.channel.extraneousRateHz).toBeGreaterThanOrEqual(25 + 80 / 4);
  });
});
