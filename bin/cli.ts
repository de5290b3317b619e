import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError, type CliCommand, type CliIo } from './command.ts';

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');

/** Every command is a file in bin/commands; adding a command touches no shared list. */
function commandNames(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function loadCommand(name: string): Promise<CliCommand | null> {
  if (!commandNames().includes(name)) return null;
  const mod = (await import(join(commandsDir, `${name}.ts`))) as { command: CliCommand };
  return mod.command;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stderrIsTty: Boolean(process.stderr.isTTY), env: process.env, cwd: process.cwd() };
}

async function usage(io: CliIo): Promise<void> {
  const lines = ['usage: satqkd <command> [options]   (satqkd <command> --help for its options)', '', 'commands:'];
  for (const name of commandNames()) {
    const cmd = await loadCommand(name);
    if (cmd) lines.push(`  ${name.padEnd(16)} ${cmd.summary}`);
  }
  io.stdout.write(lines.join('\n') + '\n');
}

/** Runs one command line; returns the exit status (0 ok, 1 failure, 2 bad arguments). */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await usage(io);
    return name ? 0 : 2;
  }
  const cmd = await loadCommand(name);
  if (!cmd) {
    io.stderr.write(`satqkd: unknown command '${name}' (try satqkd --help)\n`);
    return 2;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`satqkd ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
