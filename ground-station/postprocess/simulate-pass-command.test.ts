import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../bin/command.ts';
import { UsageError } from '../../bin/command.ts';
import { command } from './simulate-pass-command.ts';

function io(): CliIo & { out: () => string } {
  let s = '';
  return {
    stdout: { write: (c: string) => ((s += c), true) } as never,
    stderr: { write: () => true } as never,
    stderrIsTty: false,
    env: {},
    cwd: process.cwd(),
    out: () => s,
  };
}

describe('simulate-pass command', () => {
  it('prints a JSON pass report with every required field', async () => {
    const x = io();
    const code = await command.run(['--format', 'json', '--seconds', '3', '--store', ':memory:'], x);
    expect(code).toBe(0);
    const r = JSON.parse(x.out());
    for (const f of ['siftedBits', 'qber', 'reconciliationLeakedBits', 'authenticationKeyBits', 'finalKeyBits', 'finiteKeyBoundBits']) expect(typeof r[f]).toBe('number');
    expect(r.finalKeyBits).toBe(r.finiteKeyBoundBits);
    expect(r.sync.chunksResolved).toBeGreaterThan(0);
    expect(r.reconciliationMethod).toBe('cascade');
  });

  it('reconciles with LDPC when asked: same report fields, a few exchanges', async () => {
    const x = io();
    expect(await command.run(['--format', 'json', '--seconds', '2', '--store', ':memory:', '--reconciliation', 'ldpc'], x)).toBe(0);
    const r = JSON.parse(x.out());
    expect(r.reconciliationMethod).toBe('ldpc');
    expect(r.verified).toBe(true);
    expect(r.reconciliationExchanges).toBeLessThanOrEqual(10);
    expect(r.finalKeyBits).toBe(r.finiteKeyBoundBits);
  });

  it.each([
    [['--format', 'xml'], /--format must be one of json\|text/],
    [['--seconds', '0'], /--seconds must be in/],
    [['--max-el', '10'], /--max-el must be in/],
    [['--tca', 'yesterday'], /--tca must be an ISO-8601 instant/],
    [['--bogus'], /Unknown option/],
    [['--reconciliation', 'turbo'], /--reconciliation must be one of cascade\|ldpc/],
  ])('refuses %j with a usage error', async (argv, message) => {
    await expect(command.run(argv as string[], io())).rejects.toThrow(UsageError);
    await expect(command.run(argv as string[], io())).rejects.toThrow(message);
  });
});
