/**
 * `--yield [--terminal FILE]` for `passes` and `isl`: loads a terminal description (tle-data/terminals/) and
 * turns the planner's yield fields into output records. Kept out of bin/commands so it is not a command itself.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTerminalFile } from '../../planner/link/terminal-file.ts';
import type { YieldFields, YieldTerminal } from '../../planner/keyrate/add-yield.ts';
import { toIso } from '../../planner/time.ts';
import { UsageError, type CliIo } from '../command.ts';

const terminalsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tle-data', 'terminals');

/** The bundled default terminals: Micius → Xinglong for downlinks, an illustrative one for inter-satellite links. */
export const defaultDownlinkTerminal = join(terminalsDir, 'micius-xinglong.json');
export const defaultIslTerminal = join(terminalsDir, 'isl-illustrative.json');

/** A failure of an input file (not of the command line): every error line on stderr, then exit 1. */
export class TerminalFileError extends Error {}

export function loadTerminal(path: string | undefined, fallback: string, io: CliIo): YieldTerminal {
  const file = path ? resolve(io.cwd, path) : fallback;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--terminal: cannot read '${path ?? file}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const r = parseTerminalFile(text, path ?? file);
  if (!r.ok) throw new TerminalFileError(r.errors.join('\n'));
  return r.value;
}

/** `--yield [--terminal FILE]` of a command: the terminal to price with, or null without --yield. */
export function yieldTerminalFromFlags(values: Record<string, unknown>, fallback: string, io: CliIo): YieldTerminal | null {
  if (values.terminal !== undefined && !values.yield) throw new UsageError('--terminal goes with --yield');
  return values.yield ? loadTerminal(values.terminal as string | undefined, fallback, io) : null;
}

/** The yield fields as they appear in JSON/CSV output: instants as ISO strings, numbers rounded sensibly. */
export function yieldRecord(y: YieldFields): Record<string, unknown> {
  return {
    expectedSecretKeyBits: Math.round(y.expectedSecretKeyBits),
    meanLossDb: Math.round(y.meanLossDb * 1000) / 1000,
    minLossDb: Math.round(y.minLossDb * 1000) / 1000,
    expectedQber: Math.round(y.expectedQber * 1e6) / 1e6,
    keyWindow: y.keyWindow ? { start: toIso(y.keyWindow.startMs), end: toIso(y.keyWindow.endMs) } : null,
    keyProtocol: y.keyProtocol,
  };
}
