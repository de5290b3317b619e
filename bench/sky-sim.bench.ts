/**
 * sky-sim bench: a 10-minute Micius-like pass at 100 MHz simulated at event level (every detection, sync pulse,
 * dark count and afterpulse placed in time), driven like pass automation drives it (10 Hz mount commands,
 * tagger read every 100 ms) on a stepped virtual clock. Prints the speed-up over real time (goal ≥ 100×) and
 * events per second; a second run without sync pulses shows their share.
 */
import { VirtualClock } from '../sky-sim/clock/virtual-clock.ts';
import { createSimulatedPass } from '../sky-sim/simulated-pass.ts';
import { syntheticPass } from '../sky-sim/geometry/synthetic-pass.ts';
import { drivePass } from '../sky-sim/testing/drive.ts';
import { loadTerminalLink } from '../sky-sim/testing/micius-link.ts';

console.log(`load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores`);

async function run(label: string, syncPeriodPulses: number): Promise<void> {
  const tcaMs = Date.UTC(2026, 10, 29, 16, 50, 0);
  // Micius-like: 500 km, culminating at 60°; ±300 s around TCA = a 10-minute pass (elevation down to ~10°).
  const looks = syntheticPass({ tcaMs, altitudeKm: 500, maxElevationDeg: 60, minElevationDeg: 5, sampleRateHz: 1 }).filter((l) => Math.abs(l.tMs - tcaMs) <= 300_000 + 1000);
  const link = loadTerminalLink();
  const startMs = looks[0].tMs;
  const clock = new VirtualClock({ startMs });
  const pass = createSimulatedPass({ lookSamples: looks, link, clock, seed: 1, config: { source: { syncPeriodPulses }, tagger: { offsetPs: 123_456_789, driftPpb: 40 } } });
  if (!pass.ok) throw new Error(pass.reason);
  const endMs = startMs + 600_000;
  let events = 0;
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  await drivePass(pass, clock, { endMs, recordFromMs: startMs, onEvents: (e) => (events += e.length) });
  const wallS = (performance.now() - wall0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const simS = (endMs - startMs) / 1000;
  const k = pass.simulation.clickCountsByKind;
  console.log(
    `${label}: ${simS.toFixed(0)} s of pass at ${(pass.simulation.config.source.repetitionRateHz / 1e6).toFixed(0)} MHz in ${wallS.toFixed(2)} s → ` +
      `speed-up ${(simS / wallS).toFixed(0)}× real time (${(simS / cpuS).toFixed(0)}× per CPU-second, ${cpuS.toFixed(2)} s CPU; ` +
      `the two differ when the machine is shared); ${events.toLocaleString('en')} tagged events, ${(events / wallS / 1e6).toFixed(2)} M events/s wall, ` +
      `${(events / cpuS / 1e6).toFixed(2)} M/s CPU ` +
      `(signal ${k[0]}, extraneous ${k[1]}, afterpulse ${k[2]}, sync ${k[3]}; pulses ${(6e10).toExponential(1)})`,
  );
}

await run('micius-like pass, 10 kHz sync', 10_000);
await run('micius-like pass, no sync    ', 0);
