import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.ts';

const root = new URL('..', import.meta.url).pathname;
const profile = 'tle-data/terminals/keyrate-examples/micius-pass-70deg.csv';
const params = 'tle-data/terminals/keyrate-examples/micius-params.json';

const run = (argv: string[], cwd = root) => runCli(argv, cwd);

const tmp = mkdtempSync(join(tmpdir(), 'satqkd-keyrate-'));
function file(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

describe('satqkd keyrate', () => {
  it('reports the key of a Micius-like pass as JSON with the required fields', async () => {
    const r = await run(['keyrate', '--loss-profile', profile, '--params', params, '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    for (const f of ['secretKeyBits', 'siftedKeyBits', 'qber', 'singlePhotonEvents', 'phaseErrorRate', 'errorCorrectionLeakageBits', 'params']) expect(j).toHaveProperty(f);
    expect(j.secretKeyBits).toBeGreaterThan(100_000);
    expect(j.params.intensities).toEqual([0.8, 0.1, 0]);
    expect(j.optimized).toBe(false);
  });

  it('--optimize reports the optimised parameters and more key', async () => {
    const plain = JSON.parse((await run(['keyrate', '--loss-profile', profile, '--params', params, '--format', 'json'])).out);
    const r = await run(['keyrate', '--loss-profile', profile, '--params', params, '--optimize', '--format', 'json']);
    const j = JSON.parse(r.out);
    expect(j.optimized).toBe(true);
    expect(j.secretKeyBits).toBeGreaterThan(plain.secretKeyBits);
    expect(j.params.intensities).not.toEqual([0.8, 0.1, 0]);
    expect(j.window.endS - j.window.startS).toBeLessThan(441);
    expect(j.window.startS).toBeLessThan(0);
    expect(j.window.endS).toBeGreaterThan(0);
  });

  it('a window half-width restricts the profile around time 0', async () => {
    const p = JSON.parse(readFileSync(join(root, params), 'utf8'));
    const narrow = file('narrow.json', JSON.stringify({ ...p, windowHalfWidthS: 30 }));
    const j = JSON.parse((await run(['keyrate', '--loss-profile', profile, '--params', narrow, '--format', 'json'])).out);
    expect(j.window.startS).toBe(-30);
    expect(j.window.endS).toBe(30);
    expect(j.window.slots).toBeCloseTo(60, 9);
  });

  it('passes accumulated into one block give more key per pass', async () => {
    const p = JSON.parse(readFileSync(join(root, params), 'utf8'));
    const lossy = { ...p, excessLossDb: 6 };
    const one = JSON.parse((await run(['keyrate', '--loss-profile', profile, '--params', file('one.json', JSON.stringify(lossy)), '--format', 'json'])).out);
    const ten = JSON.parse((await run(['keyrate', '--loss-profile', profile, '--params', file('ten.json', JSON.stringify({ ...lossy, passes: 10 })), '--format', 'json'])).out);
    expect(ten.secretKeyBits).toBeGreaterThan(one.secretKeyBits);
    expect(ten.block.passes).toBe(10);
  });

  it.each([
    ['a bad row', 'timeS,lossDb\n0,30\n1,abc\n', /bad\.csv:3: lossDb/],
    ['a wrong header', 'time,loss\n0,30\n', /bad\.csv:1: header/],
    ['uneven slots', 'timeS,lossDb\n0,30\n1,30\n3,30\n', /bad\.csv:4: rows must be evenly spaced/],
    ['time going back', 'timeS,lossDb\n0,30\n-1,30\n', /bad\.csv:3: timeS must increase/],
  ])('names the file and line of %s (exit 1)', async (_n, csv, msg) => {
    const r = await run(['keyrate', '--loss-profile', file('bad.csv', csv), '--params', params]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(msg);
  });

  it('names the field of a bad params file', async () => {
    const p = JSON.parse(readFileSync(join(root, params), 'utf8'));
    const r = await run(['keyrate', '--loss-profile', profile, '--params', file('badp.json', JSON.stringify({ ...p, intensities: [0.1, 0.2, 0] }))]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/badp\.json: intensities\.0: μ1 must exceed μ2 \+ μ3/);
  });

  it.each([
    [['keyrate', '--params', params], /missing --loss-profile/],
    [['keyrate', '--loss-profile', profile, '--params', params, '--format', 'xml'], /--format must be one of/],
    [['keyrate', '--loss-profile', profile, '--params', params, '--bogus'], /bogus/],
  ])('bad arguments exit 2 with one line: %j', async (argv, msg) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('a missing file exits 1 naming it', async () => {
    const r = await run(['keyrate', '--loss-profile', 'nope.csv', '--params', params]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot read nope\.csv: ENOENT/);
  });
});

describe('satqkd pass-report', () => {
  it('writes an SVG with the four panels from a loss profile', async () => {
    const out = join(tmp, 'report.svg');
    const r = await run(['pass-report', '--out', out, '--loss-profile', profile, '--params', params, '--format', 'json']);
    expect(r.code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    for (const label of ['channel loss', 'detections', 'QBER', 'accumulated secret key']) expect(svg).toContain(label);
    expect(svg.match(/<path /g)).toHaveLength(4);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(JSON.parse(r.out).secretKeyBits).toBeGreaterThan(0);
  });

  it('writes a report of a synthetic pass from a terminal file', async () => {
    const out = join(tmp, 'synthetic.svg');
    const r = await run(['pass-report', '--out', out, '--terminal', 'tle-data/terminals/micius-xinglong.json', '--synthetic-max-elevation', '60', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).expectedSecretKeyBits).toBeGreaterThan(0);
    expect(existsSync(out)).toBe(true);
  });

  it('--loss-csv writes the pass as a keyrate loss profile that reproduces the pass key', async () => {
    const csv = join(tmp, 'pass.csv');
    const r = await run(['pass-report', '--out', join(tmp, 'p.svg'), '--loss-csv', csv, '--terminal', 'tle-data/terminals/micius-xinglong.json', '--synthetic-max-elevation', '55', '--format', 'json']);
    expect(r.code).toBe(0);
    const fromPass = JSON.parse(r.out).expectedSecretKeyBits;
    const terminal = JSON.parse(readFileSync(join(root, 'tle-data/terminals/micius-xinglong.json'), 'utf8'));
    const k = JSON.parse((await run(['keyrate', '--loss-profile', csv, '--params', file('tp.json', JSON.stringify(terminal.protocol)), '--format', 'json'])).out);
    expect(fromPass).toBeGreaterThan(0);
    expect(Math.abs(k.secretKeyBits - fromPass) / fromPass).toBeLessThan(1e-3);
  });

  it('--loss-csv needs a geometric source', async () => {
    const r = await run(['pass-report', '--out', join(tmp, 'q.svg'), '--loss-csv', join(tmp, 'q.csv'), '--loss-profile', profile, '--params', params]);
    expect(r.code).toBe(2);
  });

  it('needs exactly one source', async () => {
    const r = await run(['pass-report', '--out', join(tmp, 'x.svg')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/exactly one source/);
  });

  it('an invalid terminal file exits 1 and writes nothing', async () => {
    const out = join(tmp, 'never.svg');
    const r = await run(['pass-report', '--out', out, '--terminal', file('t.json', '{"name": "x"}'), '--synthetic-max-elevation', '50']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/t\.json: link: /);
    expect(existsSync(out)).toBe(false);
  });
});
