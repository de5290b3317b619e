/**
 * The mission's one configuration file (satqkd.config.json in the working directory, or --config FILE).
 * Every field has a default, so `npm start` needs no file at all; every field is validated at start and a bad one
 * is reported by file and field. Documented in docs/configuration.md.
 */
import { readFileSync, existsSync } from 'node:fs';
import { resolve, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const isoInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, 'an ISO-8601 instant with a zone, like 2026-11-29T12:00:00Z');

export const missionConfigSchema = z
  .object({
    /** Where the web view and the APIs listen (loopback by default: the demo's certificates are test ones). */
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    /** State that survives a restart: key stores, KME pools, the test PKI, the mission clock. */
    dataDir: z.string().min(1).default('var'),
    scenario: z.string().min(1).default(join(root, 'tle-data/scenarios/china-europe-qkd.json')),
    topology: z.string().min(1).default(join(root, 'tle-data/backbones/beijing-shanghai.json')),
    /** The mission's first instant (virtual time); the planning horizon starts here. */
    start: isoInstant.default('2026-11-29T12:00:00Z'),
    /** Planning horizon. */
    durationHours: z.number().positive().max(24 * 14).default(24),
    /** Virtual seconds per wall second while a pass flies. */
    speedUp: z.number().positive().max(100_000).default(20),
    /** Between passes the virtual clock jumps to the next pass's wake-up instead of waiting (a night in a minute). */
    skipIdle: z.boolean().default(true),
    /** Seed of the simulated world (sky-sim, terrestrial QKD): the same seed flies the same mission. */
    seed: z.number().int().min(0).default(1),
    /** Seconds of key exchange recorded per pass around its best part (post-processing cost grows with it). */
    recordSeconds: z.number().positive().max(900).default(30),
    /**
     * The demo applications, as [master, slave] SAE pairs of the topology: the master fetches keys (enc_keys) and
     * encrypts, the slave fetches the same keys by id (dec_keys) and decrypts. The default pairs cross the
     * Beijing–Shanghai fibre backbone and, through the satellite link Xinglong–Nanshan, reach Ürümqi.
     */
    demoPairs: z
      .array(z.tuple([z.string().min(1), z.string().min(1)]))
      .default([
        ['SAE-BJ-BANK', 'SAE-SH-BANK'],
        ['SAE-BJ-GRID', 'SAE-UR-GOV'],
      ]),
    /** How often the demo SAEs encrypt a message (wall seconds). */
    demoIntervalS: z.number().positive().max(3600).default(5),
    /** Fly only these scenario stations (default: every station the plan gives a pass). */
    stations: z.array(z.string().min(1)).optional(),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  })
  .strict();

export type MissionConfig = z.infer<typeof missionConfigSchema>;

export type ConfigResult = { ok: true; config: MissionConfig; source: string } | { ok: false; errors: string[] };

/** Reads and validates the configuration; environment PORT overrides the port (the README's `PORT=… npm start`). */
export function loadMissionConfig(opts: { path?: string; cwd: string; env: NodeJS.ProcessEnv; overrides?: Record<string, unknown> }): ConfigResult {
  const explicit = opts.path !== undefined;
  const file = resolve(opts.cwd, opts.path ?? 'satqkd.config.json');
  let raw: Record<string, unknown> = {};
  let source = 'defaults';
  if (existsSync(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      return { ok: false, errors: [`${file}: cannot read: ${(err as Error).message}`] };
    }
    try {
      raw = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      return { ok: false, errors: [`${file}: invalid JSON: ${(err as Error).message}`] };
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, errors: [`${file}: must be a JSON object`] };
    source = file;
  } else if (explicit) {
    return { ok: false, errors: [`${file}: no such file`] };
  }
  const merged: Record<string, unknown> = { ...raw, ...(opts.overrides ?? {}) };
  if (opts.env.PORT !== undefined && opts.overrides?.port === undefined) {
    const p = Number(opts.env.PORT);
    if (!Number.isInteger(p) || p < 0 || p > 65535) return { ok: false, errors: [`environment PORT: must be a port number, got '${opts.env.PORT}'`] };
    merged.port = p;
  }
  const r = missionConfigSchema.safeParse(merged);
  if (!r.success) return { ok: false, errors: r.error.issues.map((i) => `${source === 'defaults' ? 'configuration' : source}: ${i.path.join('.') || '(root)'}: ${i.message}`) };
  const config = r.data;
  // Relative paths in the file are relative to the file; from the command line, to the working directory.
  const base = source === 'defaults' ? opts.cwd : dirname(file);
  return { ok: true, source, config: { ...config, dataDir: resolve(base, config.dataDir), scenario: resolve(base, config.scenario), topology: resolve(base, config.topology) } };
}
