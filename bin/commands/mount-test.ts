/** `satqkd mount-test --mount URL`: the operator's self-test of a mount (ground-station/adapters/self-test.ts). */
import { UsageError, choiceFlag, numberFlag, parseFlags, required, type CliCommand } from '../command.ts';
import { openMount } from '../../ground-station/adapters/open-mount.ts';
import { parseMountUrl } from '../../ground-station/adapters/mount-url.ts';
import { runMountSelfTest, type SelfTestReport } from '../../ground-station/adapters/self-test.ts';
import { wallTimebase, type Timebase } from '../../ground-station/automation/ports.ts';
import { VirtualClock } from '../../sky-sim/clock/virtual-clock.ts';

const usage = `usage: satqkd mount-test --mount URL [--format json|text] [--lat DEG --lon DEG --height M] [--track-seconds S] [--timeout-ms MS]

Connects, unparks, slews to three positions, follows ${30} s of a Micius-like pass at 10 Hz and parks, reporting
each commanded and achieved position with its error. Exit status 0 when every step passed, 1 otherwise.

  --mount URL        rotctld://host:port | indi://host:port[?device=NAME] | sim
  --format           json (default) prints {"ok":…,"steps":[…]}; text prints one line per step
  --lat/--lon/--height  the site (INDI converts az/el to RA/Dec of date for it); default Xinglong
  --track-seconds    length of the tracking run (default 30)
  --speed-up         sim only: virtual-time speed-up (default 5)
  --timeout-ms       per-command timeout (default 5000)`;

function text(r: SelfTestReport): string {
  const lines = r.steps.map((s) => {
    const pos = s.commanded ? ` cmd ${s.commanded.azDeg.toFixed(3)}/${s.commanded.elDeg.toFixed(3)}` : '';
    const got = s.achieved ? ` got ${s.achieved.azDeg.toFixed(3)}/${s.achieved.elDeg.toFixed(3)}` : '';
    const err = s.rmsErrorDeg !== undefined ? ` rms ${s.rmsErrorDeg.toFixed(4)}° max ${s.maxErrorDeg!.toFixed(4)}°` : s.errorDeg !== undefined ? ` err ${s.errorDeg.toFixed(4)}°` : '';
    return `${s.ok ? 'ok  ' : 'FAIL'} ${s.step.padEnd(12)}${pos}${got}${err} (${(s.durationMs / 1000).toFixed(1)} s)${s.message ? ` — ${s.message}` : ''}`;
  });
  return [`mount ${r.mount}: ${r.ok ? 'PASS' : 'FAIL'}`, ...lines].join('\n') + '\n';
}

export const command: CliCommand = {
  name: 'mount-test',
  summary: 'self-test a mount: connect, unpark, three slews, 30 s of tracking, park',
  usage,
  async run(argv, io) {
    const v = parseFlags(
      argv,
      {
        mount: { type: 'string' },
        format: { type: 'string' },
        lat: { type: 'string' },
        lon: { type: 'string' },
        height: { type: 'string' },
        'track-seconds': { type: 'string' },
        'speed-up': { type: 'string' },
        'timeout-ms': { type: 'string' },
      },
      { usage },
      io,
    );
    if (!v) return 0;
    const url = parseMountUrl(required(v, 'mount'));
    if (!url.ok) throw new UsageError(`--mount: ${url.reason}`);
    const format = choiceFlag(v, 'format', ['json', 'text'] as const, 'json');
    const site = { latDeg: numberFlag(v, 'lat', 40.3958)!, lonDeg: numberFlag(v, 'lon', 117.5775)!, heightM: numberFlag(v, 'height', 900)! };
    if (Math.abs(site.latDeg) > 90) throw new UsageError(`--lat must be within ±90°, got ${site.latDeg}`);
    const trackSeconds = numberFlag(v, 'track-seconds', 30)!;
    if (!(trackSeconds > 0 && trackSeconds <= 600)) throw new UsageError(`--track-seconds must be in (0, 600], got ${trackSeconds}`);
    const speedUp = numberFlag(v, 'speed-up', 5)!;
    if (!(speedUp > 0)) throw new UsageError(`--speed-up must be > 0, got ${speedUp}`);
    const timeoutMs = numberFlag(v, 'timeout-ms', 5000)!;
    const clock: Timebase = url.mount.kind === 'sim' ? new VirtualClock({ startMs: Date.now(), pace: { kind: 'scaled', speedUp } }) : wallTimebase;
    let report: SelfTestReport;
    try {
      const mount = openMount(url.mount, { clock, site, timeoutMs });
      report = await runMountSelfTest(mount, clock, { trackSeconds });
    } catch (err) {
      report = { ok: false, mount: url.mount.kind, steps: [{ step: 'open', ok: false, durationMs: 0, message: (err as Error).message }] };
    }
    io.stdout.write(format === 'json' ? JSON.stringify(report) + '\n' : text(report));
    return report.ok ? 0 : 1;
  },
};
