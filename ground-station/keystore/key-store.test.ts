import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeyProvenance } from '../../planner/ports.ts';
import { KeyStore } from './key-store.ts';

const dirs: string[] = [];
function tempDb(): string {
  const d = mkdtempSync(join(tmpdir(), 'keystore-'));
  dirs.push(d);
  return join(d, 'keys.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const prov: KeyProvenance = { passId: 'p1', stationId: 'XL', satelliteId: 'MICIUS', startMs: 0, endMs: 1000, qber: 0.02, siftedBits: 1000, reconciliationLeakedBits: 150, authenticationKeyBits: 640, epsilonSec: 1e-10, epsilonCor: 1e-15, finiteKeyBoundBits: 512, protocol: 'decoy-BB84 Lim2014 3-intensity' };

describe('KeyStore', () => {
  it('moves blocks available → reserved → delivered → consumed, each step once', async () => {
    const s = new KeyStore(tempDb());
    await s.put({ blockId: 'a', bits: 16, provenance: prov }, Uint8Array.of(1, 2));
    await s.put({ blockId: 'b', bits: 16, provenance: prov }, Uint8Array.of(3, 4));
    await expect(s.put({ blockId: 'a', bits: 16, provenance: prov }, Uint8Array.of(9, 9))).rejects.toThrow(/already stored/);
    expect(s.reserve('link-1', 1)).toEqual(['a']);
    expect(s.reserveById('a', 'link-2')).toEqual({ ok: false, reason: 'block a is reserved, not available' });
    expect(s.deliver('a', 'link-2').ok).toBe(false);
    const d = s.deliver('a', 'link-1');
    expect(d.ok && Array.from(d.keyBytes)).toEqual([1, 2]);
    expect(s.deliver('a', 'link-1').ok).toBe(false);
    expect(s.release('a').ok).toBe(false);
    expect(s.consume('a')).toEqual({ ok: true });
    expect(s.consume('a').ok).toBe(false);
    expect(s.get('a')).toMatchObject({ state: 'consumed', holder: 'link-1', provenance: prov });
    expect(s.summary().available).toEqual({ blocks: 1, bits: 16 });
    const ex = s.exportAvailable('backbone', 5);
    expect(ex.map((e) => [e.block.blockId, Array.from(e.keyBytes)])).toEqual([['b', [3, 4]]]);
    expect(s.list({ state: 'delivered' }).map((b) => b.blockId)).toEqual(['b']);
    expect(s.exportAvailable('backbone', 5)).toEqual([]);
    s.checkpoint();
    s.close();
  });

  it.each([
    ['a byte length that disagrees with the declared bits', { blockId: 'x', bits: 24, provenance: prov }, /24 bits declared, 8 given/],
    ['a block id the backbone would refuse', { blockId: 'pass/1', bits: 8, provenance: prov }, /blockId: must be/],
    ['a provenance without its QBER', { blockId: 'x', bits: 8, provenance: { ...prov, qber: Number.NaN } }, /provenance.qber/],
    ['a provenance with an unknown field', { blockId: 'x', bits: 8, provenance: { ...prov, extra: 1 } as KeyProvenance }, /provenance/],
  ])('rejects %s, naming the field, and stores nothing', async (_name, block, message) => {
    const s = new KeyStore(tempDb());
    await expect(s.put(block, Uint8Array.of(1))).rejects.toThrow(message);
    expect(s.list()).toEqual([]);
    s.close();
  });

  it('leaves no trace of consumed key bytes in the database file after a checkpoint', async () => {
    const path = tempDb();
    const s = new KeyStore(path);
    const secret = new Uint8Array(64).map((_, i) => (i * 97 + 13) & 255);
    await s.put({ blockId: 'secret', bits: 512, provenance: prov }, secret);
    s.reserve('app', 1);
    s.deliver('secret', 'app');
    s.consume('secret');
    s.checkpoint();
    s.close();
    const file = readFileSync(path);
    expect(file.indexOf(Buffer.from(secret))).toBe(-1);
  });

  it('stays consistent when the writing process is killed mid-write (no key lost, none delivered twice)', async () => {
    const db = tempDb();
    const here = dirname(fileURLToPath(import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'crash-writer.ts'), db], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    // Let it write for a while, then kill it without warning.
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const s = new KeyStore(db);
    const all = s.list();
    expect(all.length).toBeGreaterThan(3);
    // Every block committed is present exactly once, with its bytes intact unless consumed; ids are gapless.
    all.forEach((b, i) => {
      expect(b.blockId).toBe(`b${i}`);
      expect(['available', 'delivered', 'consumed']).toContain(b.state);
    });
    // Delivered/consumed blocks are exactly those the writer exported; they never come back as available.
    const before = s.summary();
    const again = s.exportAvailable('after-crash', 1_000_000);
    expect(again.length).toBe(before.available.blocks);
    expect(again.every((e) => !all.find((b) => b.blockId === e.block.blockId && b.state !== 'available'))).toBe(true);
    for (const e of again) expect(Array.from(e.keyBytes).every((v) => v === Number(e.block.blockId.slice(1)) % 256)).toBe(true);
    s.close();
  });
});
