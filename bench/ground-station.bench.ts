/**
 * Ground-station figures: state-machine steps per second, INDI XML parsing throughput, and how much faster than
 * real time a whole pass flies through the automation on sky-sim (stepped virtual clock).
 */
import { step } from '../ground-station/automation/machine.ts';
import { DEFAULT_TIMING, initialState, type AutomationEvent } from '../ground-station/automation/types.ts';
import { XmlStreamParser } from '../ground-station/adapters/xml-stream.ts';
import { PassAutomation } from '../ground-station/automation/driver.ts';
import { skySimRig, syntheticPlannedPass } from '../ground-station/automation/testing/sky-sim-rig.ts';
import { VirtualClock } from '../sky-sim/clock/virtual-clock.ts';

function machineSteps(): void {
  const pass = { id: 'P', satellite: 'S', aosMs: 1_000_000, losMs: 1_300_000 };
  const events: AutomationEvent[] = [
    { type: 'passDue', tMs: 820_000, pass },
    { type: 'checksDone', tMs: 821_000, failures: [] },
    { type: 'slewDone', tMs: 850_000 },
    { type: 'tick', tMs: 1_000_000 },
    { type: 'beacon', tMs: 1_002_000, visible: true },
    ...Array.from({ length: 100 }, (_, i): AutomationEvent => ({ type: 'pointing', tMs: 1_003_000 + i * 100, errorDeg: 0.01 })),
    { type: 'tick', tMs: 1_300_000 },
    { type: 'parked', tMs: 1_310_000 },
    { type: 'postProcessed', tMs: 1_320_000, blocks: 1 },
    { type: 'stored', tMs: 1_321_000 },
  ];
  const rounds = 20_000;
  const t0 = performance.now();
  let s = initialState(0);
  for (let r = 0; r < rounds; r++) for (const e of events) s = step(s, e, DEFAULT_TIMING).state;
  const dt = (performance.now() - t0) / 1000;
  console.log(`state machine: ${((rounds * events.length) / dt / 1e6).toFixed(2)} M steps/s (final phase ${s.phase})`);
}

function xmlThroughput(): void {
  const one = `<setNumberVector device="Telescope Simulator" name="EQUATORIAL_EOD_COORD" state="Busy" timeout="60" timestamp="2026-11-29T11:04:59">
    <oneNumber name="RA">
      5.5
    </oneNumber>
    <oneNumber name="DEC">
-12.25
    </oneNumber>
</setNumberVector>
`;
  const chunk = one.repeat(1000);
  const p = new XmlStreamParser();
  const t0 = performance.now();
  let n = 0;
  for (let i = 0; i < 50; i++) for (let j = 0; j < chunk.length; j += 1460) n += p.push(chunk.slice(j, j + 1460)).length;
  const dt = (performance.now() - t0) / 1000;
  console.log(`INDI XML parser: ${((chunk.length * 50) / dt / 1e6).toFixed(1)} MB/s, ${(n / dt / 1e3).toFixed(0)} k vectors/s (TCP-sized chunks)`);
}

async function passOnSkySim(): Promise<void> {
  const T0 = Date.parse('2026-11-29T16:00:00Z');
  const p = syntheticPlannedPass('xinglong', T0 + 300_000, 60, 30, 15);
  const clock = new VirtualClock({ startMs: T0 });
  const automation = new PassAutomation({
    stationId: 'xinglong',
    timebase: clock,
    rig: skySimRig({ clock, seed: 1, preRollMs: 240_000, config: { simulation: { sliceMs: 10 } } }),
    timing: { leadMs: 180_000 },
    ephemeris: async () => p.ephemeris,
    postProcess: async () => ({ blocks: [] }),
    keySink: { put: async () => {} },
  });
  automation.start();
  await automation.setPlan([p.pass]);
  const t0 = performance.now();
  const endMs = p.pass.losMs + 120_000;
  await clock.advanceTo(endMs);
  const wallS = (performance.now() - t0) / 1000;
  await automation.close();
  const s = automation.passSummary(p.pass.id)!;
  console.log(`pass on sky-sim (10 ms grid): ${((endMs - T0) / 1000).toFixed(0)} s of station time in ${wallS.toFixed(1)} s wall = ${((endMs - T0) / 1000 / wallS).toFixed(0)}× real time; ` +
    `${s.status}, ${s.detections} detections, pointing RMS ${s.pointing.rmsBeaconErrorUrad.toFixed(0)} µrad (beacon), ${s.pointing.rmsMountErrorDeg.toFixed(4)}° (mount)`);
}

machineSteps();
xmlThroughput();
await passOnSkySim();
