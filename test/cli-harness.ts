/** Runs one `satqkd` command line in-process with captured streams, as the CLI tests need. */
import { PassThrough } from 'node:stream';
import { main } from '../bin/cli.ts';

export async function runCli(argv: string[], cwd = process.cwd()): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await main(argv, { stdout, stderr, stderrIsTty: false, env: {}, cwd });
  return { code, out, err };
}
