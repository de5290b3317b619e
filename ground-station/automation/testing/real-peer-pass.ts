/**
 * A pass flown by the automation on the real protocol peers, in real time: Hamlib's dummy rotctld and the INDI
 * telescope simulator behind indiserver, each started here on a free loopback port. A short, high segment of a
 * Micius-like pass (~15 s above 44.8°, culminating at 45° in the east) keeps each run under a minute and spares the
 * German-mount simulator a meridian flip. The time tagger replays a file (adapters/timetag-file.ts), as a station
 * post-processing recorded data would; there is no tracking camera, so acquisition is the mount on the track.
 */
import type { DetectionEvent, Mount } from '../../../planner/ports.ts';
import { FileTimeTagger } from '../../adapters/timetag-file.ts';
import { PassAutomation } from '../driver.ts';
import { wallTimebase, type PassRecords } from '../ports.ts';
import { syntheticPlannedPass } from './sky-sim-rig.ts';
import type { Phase } from '../types.ts';

export const site = { latDeg: 40.3958, lonDeg: 117.5775, heightM: 900 };

// 2 kHz of detections on four channels for 60 s: what the replayed tagger hands out while recording.
const recorded: DetectionEvent[] = Array.from({ length: 120_000 }, (_, i) => ({ timePs: i * 500_000_000, channel: i % 4 }));

export async function flyOnRealPeer(mount: Mount) {
  const now = Date.now();
  const { pass, ephemeris } = syntheticPlannedPass('xinglong', now + 25_000, 45, 180, 44.8);
  const seen: PassRecords[] = [];
  const automation = new PassAutomation({
    stationId: 'xinglong',
    timebase: wallTimebase,
    rig: { mount, tagger: new FileTimeTagger({ meta: {}, startUtcMs: null, events: recorded }, wallTimebase) },
    ephemeris: async () => ephemeris,
    postProcess: async (r) => {
      seen.push(r);
      return { blocks: [] };
    },
    keySink: { put: async () => {} },
    timing: { leadMs: 18_000, minRemainingMs: 3_000, slewTimeoutMs: 60_000, acquisitionTimeoutMs: 20_000 },
    loop: { parkTimeoutMs: 60_000 },
  });
  const phases: Phase[] = [];
  automation.state$.subscribe((s) => {
    if (phases.at(-1) !== s.phase) phases.push(s.phase);
  });
  automation.start();
  await automation.setPlan([pass]);
  const done = new Promise<void>((resolve) => {
    automation.state$.subscribe((s) => {
      if (s.phase === 'idle' && automation.passSummary(pass.id)?.status !== 'flying' && automation.passSummary(pass.id)) resolve();
    });
  });
  await done;
  await automation.close();
  const status = await mount.getStatus();
  await mount.close();
  return { automation, pass, phases, seen, status };
}

