import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What a CLI command sees of the outside world; tests pass their own streams. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** True when stderr is a terminal: only then do long runs draw progress. */
  stderrIsTty: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** One `satqkd <name>` command. Each lives in bin/commands/<name>.ts and exports `command`. */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** A bad command line: reported as one clear line, exit status 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses flags strictly (unknown flags and stray positionals are usage errors) and adds `--help`.
 * Returns null when help was asked for and printed.
 */
export function parseFlags<O extends Options>(
  argv: string[],
  options: O,
  cmd: Pick<CliCommand, 'usage'>,
  io: CliIo,
): ReturnType<typeof parseArgs<{ options: O & { help: { type: 'boolean' } }; strict: true; allowPositionals: false }>>['values'] | null {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' as const } }, strict: true, allowPositionals: false });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout.write(cmd.usage.trimEnd() + '\n');
    return null;
  }
  return parsed.values as never;
}

/** A required string flag, or a usage error naming it. */
export function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`missing --${name}`);
  return v;
}

/** A finite number flag, or a usage error naming the flag and the bad value. */
export function numberFlag(values: Record<string, unknown>, name: string, fallback?: number): number | undefined {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${String(v)}'`);
  return n;
}

/** An ISO-8601 UTC instant flag as epoch milliseconds, or a usage error. */
export function instantFlag(values: Record<string, unknown>, name: string): number {
  const s = required(values, name);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) {
    throw new UsageError(`--${name} must be an ISO-8601 instant with a zone, like 2026-11-29T18:00:00Z; got '${s}'`);
  }
  const ms = Date.parse(s);
  if (!Number.isFinite(ms)) throw new UsageError(`--${name} is not a valid instant: '${s}'`);
  return ms;
}

/** One of a fixed set of choices, or a usage error listing them. */
export function choiceFlag<T extends string>(values: Record<string, unknown>, name: string, choices: readonly T[], fallback: T): T {
  const v = values[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    throw new UsageError(`--${name} must be one of ${choices.join('|')}, got '${String(v)}'`);
  }
  return v as T;
}
