/** Loads a terminal file (default: the Micius–Xinglong one in tle-data/terminals) for benches, tests and the CLI. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTerminalFile, type TerminalFile } from '../../planner/link/terminal-file.ts';
import type { LinkParams } from '../../planner/link/params.ts';

export const MICIUS_TERMINAL_PATH = join(dirname(fileURLToPath(import.meta.url)), '../../tle-data/terminals/micius-xinglong.json');

export type LoadTerminalResult = { ok: true; terminal: TerminalFile } | { ok: false; reason: string };

export function loadTerminal(path = MICIUS_TERMINAL_PATH): LoadTerminalResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, reason: `${path}: ${(err as Error).message}` };
  }
  const r = parseTerminalFile(text, path);
  return r.ok ? { ok: true, terminal: r.value } : { ok: false, reason: r.errors.join('; ') };
}

export function loadTerminalLink(path?: string): LinkParams {
  const r = loadTerminal(path);
  if (!r.ok) throw new Error(r.reason);
  return r.terminal.link;
}
