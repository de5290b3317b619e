/**
 * `satqkd mission` (what `npm start` runs): the whole chain on the bundled scenario — plan, fly passes on sky-sim,
 * post-process into station stores, relay over the backbone, serve keys through ETSI 014, show it all on the web.
 */
import { createJsonLogger, type LogLevel } from '../../planner/log.ts';
import { parseFlags, UsageError, type CliCommand } from '../command.ts';
import { loadMissionConfig } from '../mission/config.ts';
import { startMission } from '../mission/run.ts';

const usage = `usage: satqkd mission [--config FILE] [--port N] [--data DIR] [--speed-up N]

Runs the whole mission in one process (see docs/configuration.md for every option of the configuration file):
  planner and scheduler on the bundled scenario → a station daemon per planned station on sky-sim, with a virtual
  clock at --speed-up (idle time between passes is skipped) → post-processing into each station's SQLite key store →
  satellite keys merged into the Beijing–Shanghai backbone (the satellite as trusted relay) → ETSI GS QKD 014 with
  mutual TLS → two demo application pairs encrypting with AES-256-GCM and a one-time pad → the web view.

  --config FILE   configuration (default ./satqkd.config.json when present, else built-in defaults)
  --port N        web view and APIs (default 8080, or $PORT)
  --data DIR      state directory (default ./var); a restart resumes from it
  --speed-up N    virtual seconds per wall second during passes (default 20)
Logs: one JSON object per line on stderr. Ctrl-C stops everything cleanly.`;

export const command: CliCommand = {
  name: 'mission',
  summary: 'the whole mission: plan, fly on sky-sim, post-process, relay, serve keys and the web view (npm start)',
  usage,
  async run(argv, io) {
    const v = parseFlags(argv, { config: { type: 'string' }, port: { type: 'string' }, data: { type: 'string' }, 'speed-up': { type: 'string' } }, { usage }, io);
    if (!v) return 0;
    const overrides: Record<string, unknown> = {};
    if (v.port !== undefined) {
      const p = Number(v.port);
      if (!Number.isInteger(p) || p < 0 || p > 65535) throw new UsageError(`--port must be a port number, got '${v.port}'`);
      overrides.port = p;
    }
    if (v['speed-up'] !== undefined) {
      const s = Number(v['speed-up']);
      if (!(s > 0)) throw new UsageError(`--speed-up must be a positive number, got '${v['speed-up']}'`);
      overrides.speedUp = s;
    }
    if (typeof v.data === 'string') overrides.dataDir = v.data;
    const c = loadMissionConfig({ path: v.config as string | undefined, cwd: io.cwd, env: io.env, overrides });
    if (!c.ok) {
      for (const e of c.errors) io.stderr.write(`satqkd mission: ${e}\n`);
      return 1;
    }
    const cfg = c.config;
    const log = createJsonLogger({ write: (l) => io.stderr.write(l), level: cfg.logLevel as LogLevel, nowMs: () => Date.now(), base: { app: 'satqkd' } });
    io.stdout.write(`satqkd: planning ${cfg.durationHours} h from ${cfg.start} on ${cfg.scenario} …\n`);
    const r = await startMission(cfg, log);
    if (!r.ok) {
      io.stderr.write(`satqkd mission: ${r.error}\n`);
      return 1;
    }
    const m = r.mission;
    const flying = [...m.stations.values()].map((s) => `${s.id} (${s.passes.length} passes)`).join(', ');
    io.stdout.write(
      [
        `satqkd mission running (configuration: ${c.source})`,
        `  web view      ${m.url}`,
        `  data          ${m.dataDir}  (SQLite key stores, KME pools, test PKI; a restart resumes from here)`,
        `  plan          ${m.plan.assignments.length} assignments, ${m.plan.start} → ${m.plan.end}`,
        `  stations      ${flying}`,
        `  clock         virtual, ${cfg.speedUp}× during passes${cfg.skipIdle ? ', idle time skipped' : ''}`,
        `  demo SAEs     ${cfg.demoPairs.map(([a, b]) => `${a} → ${b}`).join(', ')} (files under ${m.dataDir}/demo)`,
        'Ctrl-C stops.',
        '',
      ].join('\n'),
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    io.stdout.write('satqkd: stopping …\n');
    const stoppedAt = m.clock.nowMs();
    await m.stopClock();
    const l = m.ledger();
    await m.close();
    io.stdout.write(`satqkd: stopped at virtual ${new Date(stoppedAt).toISOString()}; produced ${Object.values(l.producedBits).reduce((a, b) => a + b, 0)} bits, merged ${l.relay.mergedBits} into the backbone, served ${l.demo.reduce((a, d) => a + d.keyBitsServed, 0)} to the demo SAEs\n`);
    return 0;
  },
};
