/** Builds the Mount a `--mount` URL names. */
import type { Mount } from '../../planner/ports.ts';
import type { Clock } from '../../planner/time.ts';
import { createSimulatedPass } from '../../sky-sim/simulated-pass.ts';
import { staticLook } from '../../sky-sim/testing/drive.ts';
import { loadTerminalLink } from '../../sky-sim/testing/micius-link.ts';
import { IndiMount } from './indi.ts';
import type { MountUrl } from './mount-url.ts';
import type { Site } from './radec.ts';
import { RotctldMount } from './rotctld.ts';

export interface OpenMountOptions {
  /** Real time for rotctld and INDI; sky-sim's clock for `sim`. */
  clock: Clock;
  /** The site (INDI converts az/el to RA/Dec of date for it). */
  site: Site;
  timeoutMs?: number;
}

export function openMount(url: MountUrl, o: OpenMountOptions): Mount {
  switch (url.kind) {
    case 'rotctld':
      return new RotctldMount({ host: url.host, port: url.port, timeoutMs: o.timeoutMs });
    case 'indi':
      return new IndiMount({ host: url.host, port: url.port, device: url.device, site: o.site, clock: o.clock, timeoutMs: o.timeoutMs });
    case 'sim': {
      // A simulated telescope mount alone: the sky behind it does not matter for a mount test.
      const r = createSimulatedPass({ lookSamples: staticLook(o.clock.nowMs(), 6 * 3_600_000, { azDeg: 90, elDeg: 45, rangeKm: 800 }), link: loadTerminalLink(), clock: o.clock, seed: 1 });
      if (!r.ok) throw new Error(`sky-sim: ${r.reason}`);
      return r.mount;
    }
  }
}
