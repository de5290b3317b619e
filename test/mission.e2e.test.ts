/**
 * The whole mission, end to end, on a virtual clock stepped as fast as the CPU allows: the bundled scenario is
 * planned, Xinglong's and Nanshan's passes fly on sky-sim, post-processing fills the station stores, the satellite
 * relays key between the two stations into the backbone's satellite link, and two SAE pairs use keys through
 * ETSI GS QKD 014 with mutual TLS — one across the fibre backbone, one across the satellite link to Ürümqi.
 * Then the invariants: each pass delivered exactly its finite-key bound, every key bit is accounted for, no key is
 * served twice, what was encrypted decrypts, and a restart resumes without flying a pass twice.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EtsiClient } from '../backbone/etsi/client.ts';
import { accountingReport } from '../backbone/operator/api.ts';
import { missionConfigSchema, type MissionConfig } from '../bin/mission/config.ts';
import { startMission, type RunningMission } from '../bin/mission/run.ts';
import { silentLogger } from '../planner/log.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'satqkd-mission-'));
const cfg: MissionConfig = missionConfigSchema.parse({
  dataDir,
  stations: ['xinglong', 'nanshan'],
  durationHours: 12,
  recordSeconds: 30,
  port: 0,
});
const BLOCK_BITS = 2048;

let mission: RunningMission;

afterAll(async () => {
  await mission?.close().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start, end to end (a simulated half-day)', () => {
  it('flies the planned passes and stores what each pass’s finite-key bound allows', async () => {
    const r = await startMission(cfg, silentLogger, { pace: 'stepped', listen: false });
    if (!r.ok) throw new Error(r.error);
    mission = r.mission;
    const planned = [...mission.stations.values()].reduce((n, s) => n + s.passes.length, 0);
    expect(planned).toBeGreaterThanOrEqual(3);
    await mission.runUntil(Date.parse(mission.plan.end));
    const l = mission.ledger();
    expect(l.passes.length).toBe(planned);
    const keyed = l.passes.filter((p) => p.report?.ok && p.report.finalKeyBits > 0);
    expect(keyed.length, JSON.stringify(l.passes.map((p) => [p.passId, p.error ?? p.report?.qber]))).toBeGreaterThanOrEqual(2);
    for (const p of l.passes) {
      if (!p.report?.ok) continue;
      // The final key is exactly the finite-key bound computed from the pass's own observed counts.
      expect(p.report.finalKeyBits).toBe(p.report.finiteKeyBoundBits);
      // Final key = stored blocks + authentication refill + the tail shorter than one block (never stored, never used).
      const tail = p.report.finalKeyBits - p.report.storedKeyBits - p.report.authPoolRefillBits;
      expect(tail).toBeGreaterThanOrEqual(0);
      expect(tail).toBeLessThan(BLOCK_BITS);
    }
    for (const [id, s] of mission.stations) {
      const sum = l.passes.filter((p) => p.station === id && p.report?.ok).reduce((a, p) => a + p.report!.storedKeyBits, 0);
      const store = l.stationStores[id]!;
      expect(store.available.bits + store.reserved.bits + store.delivered.bits + store.consumed.bits, `station ${id}`).toBe(sum);
      expect(s.running.automation.state.phase).toBe('idle');
    }
  }, 1_500_000);

  it('relays satellite key between Xinglong and Nanshan into the backbone, every bit accounted', () => {
    const l = mission.ledger();
    expect(l.relay.mergedBits).toBeGreaterThan(0);
    const consumed = l.stationStores.xinglong!.consumed.bits + l.stationStores.nanshan!.consumed.bits;
    // Each relayed bit spends one bit at each station; the longer block's surplus is wasted, never reused.
    expect(consumed).toBe(2 * l.relay.mergedBits + l.relay.wastedBits);
    const link = mission.backbone.kmes.get('GS-XINGLONG')!.accounts().find((a) => a.linkId === 'GS-XINGLONG~GS-NANSHAN')!;
    expect(link.producedBits).toBe(l.relay.mergedBits);
    const acc = accountingReport({ graph: mission.backbone.network.graph, kmes: mission.backbone.kmes });
    expect(acc.balanced, JSON.stringify(acc.rows.filter((r) => !r.balanced))).toBe(true);
  });

  it('serves keys through ETSI 014 to two SAE pairs, once each, and what was encrypted decrypts', async () => {
    for (let i = 0; i < 3; i++) await mission.demoRound();
    const [fibre, satellite] = mission.ledger().demo;
    expect(fibre!.verified).toBe(3);
    expect(satellite!.verified, satellite!.lastError ?? '').toBeGreaterThanOrEqual(1);
    expect(fibre!.failed + satellite!.failed).toBe(0);
    // The slave cannot fetch the same keys again: delivered once, then erased.
    const pairDir = join(dataDir, 'demo', `${fibre!.master}--${fibre!.slave}`);
    const ids = JSON.parse(readFileSync(join(pairDir, 'key-ids.json'), 'utf8')) as { aes256gcm: string; otp: string };
    const sae = mission.backbone.saes.find((s) => s.id === fibre!.slave)!;
    const client = new EtsiClient({ baseUrl: sae.kme, caPem: readFileSync(mission.backbone.pki.caPath, 'utf8'), certPem: readFileSync(sae.certPath, 'utf8'), keyPem: readFileSync(sae.keyPath, 'utf8') });
    try {
      const again = await client.decKeys(fibre!.master, [ids.aes256gcm]);
      expect(again.status).toBe(400);
    } finally {
      client.close();
    }
    expect(readFileSync(join(pairDir, 'message.decrypted.txt'), 'utf8')).toBe(readFileSync(join(pairDir, 'message.txt'), 'utf8'));
  });

  it('resumes after a restart from the stored state without flying a pass twice or losing key', async () => {
    const before = mission.ledger().stationStores;
    const merged = mission.backbone.kmes.get('GS-NANSHAN')!.accounts().find((a) => a.linkId === 'GS-XINGLONG~GS-NANSHAN')!.producedBits;
    await mission.close();
    const r = await startMission(cfg, silentLogger, { pace: 'stepped', listen: false });
    if (!r.ok) throw new Error(r.error);
    mission = r.mission;
    for (const s of mission.stations.values()) expect(s.passes).toEqual([]);
    expect(mission.ledger().stationStores).toEqual(before);
    expect(mission.backbone.kmes.get('GS-NANSHAN')!.accounts().find((a) => a.linkId === 'GS-XINGLONG~GS-NANSHAN')!.producedBits).toBe(merged);
  });
});
