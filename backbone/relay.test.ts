import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessNetwork, type InProcessNetwork } from './network.ts';
import { lineTopology, ManualClock, meshTopology, sampleProvenance, T0, tempDir } from './testing/fixtures.ts';
import { satelliteRelayKey } from './kme.ts';
import { kmeKeySink } from './satellite-sink.ts';
import { CHUNK_BITS } from './pool/link-pool.ts';

let net: InProcessNetwork | undefined;
afterEach(() => {
  net?.close();
  net = undefined;
});

function accountingHolds(n: InProcessNetwork): void {
  for (const k of n.kmes.values()) {
    for (const a of k.accounts()) expect(a.producedBits, `${k.nodeId} ${a.linkId}`).toBe(a.storedBits + a.consumedBits + a.wastedBits);
  }
}

/** A link's bits consumed at its two ends must agree once relays have settled: one pad, used at both ends. */
function bothEndsAgree(n: InProcessNetwork): void {
  for (const l of n.graph.topology.links) {
    const a = n.kmes.get(l.a)!.accounts().find((x) => x.linkId === l.id);
    const b = n.kmes.get(l.b)!.accounts().find((x) => x.linkId === l.id);
    expect((a?.consumedBits ?? 0) + (a?.wastedBits ?? 0), l.id).toBe((b?.consumedBits ?? 0) + (b?.wastedBits ?? 0));
  }
}

describe('simulated fibre QKD', () => {
  it.each([
    { rateBps: 25_600, seconds: 10, chunks: 1000 },
    { rateBps: 1_000, seconds: 2, chunks: 7 },
  ])('$rateBps bit/s for $seconds s gives $chunks chunks at both ends, identical', ({ rateBps, seconds, chunks }) => {
    const clock = new ManualClock(T0);
    net = createInProcessNetwork({ topology: lineTopology(1, rateBps), dataDir: tempDir(), clock });
    clock.advance(seconds * 1000);
    net.tick();
    const a = net.kmes.get('N0')!.accounts()[0]!;
    const b = net.kmes.get('N1')!.accounts()[0]!;
    // all of it still in the QKD devices, none pulled into the pools yet
    expect(a.deviceBufferedBits).toBe(chunks * CHUNK_BITS);
    expect(b.deviceBufferedBits).toBe(chunks * CHUNK_BITS);
    expect(a.producedBits).toBe(0);
    // each end may spend only its own half
    expect(a.spendableBits + b.spendableBits).toBe(chunks * CHUNK_BITS);
    expect(Math.abs(a.spendableBits - b.spendableBits)).toBeLessThanOrEqual(CHUNK_BITS);
  });

  it('pulls from the device on demand, and both ends derive the same key for the same chunk', async () => {
    const clock = new ManualClock(T0);
    net = createInProcessNetwork({ topology: lineTopology(1, 25_600), dataDir: tempDir(), clock });
    clock.advance(10_000);
    const r = net.kmes.get('N1')!.startRelays('N0', 3, 256);
    expect(r.ok && (await net.kmes.get('N1')!.waitReady(r.keyIds))).toBe(true);
    const a = net.kmes.get('N0')!.accounts()[0]!;
    const b = net.kmes.get('N1')!.accounts()[0]!;
    expect(b.producedBits).toBeGreaterThan(0);
    expect(a.consumedBits).toBe(3 * 256);
    expect(b.consumedBits).toBe(3 * 256);
    expect(a.producedBits + a.deviceBufferedBits).toBe(1000 * CHUNK_BITS);
    expect(b.producedBits + b.deviceBufferedBits).toBe(1000 * CHUNK_BITS);
  });
});

describe('hop-by-hop relay', () => {
  it('relays keys across 5 hops: both ends hold the same key, each hop consumed exactly the key length', async () => {
    const clock = new ManualClock(T0);
    net = createInProcessNetwork({ topology: lineTopology(5), dataDir: tempDir(), clock });
    clock.advance(10_000);
    net.tick();
    const origin = net.kmes.get('N0')!;
    const started = origin.startRelays('N5', 10, 256);
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    expect(started.paths).toEqual([['N0', 'N1', 'N2', 'N3', 'N4', 'N5']]);
    expect(await origin.waitReady(started.keyIds)).toBe(true);
    await net.settle();
    const got = await origin.obtainKeys({ dest: 'N5', number: 10, bits: 256, masterSae: 'SAE-A', slaveSaes: ['SAE-B'] });
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    const dec = net.kmes.get('N5')!.decKeys({ masterSae: 'SAE-A', slaveSae: 'SAE-B', keyIds: got.keys.map((k) => k.keyId) });
    expect(dec.ok).toBe(true);
    if (!dec.ok) return;
    expect(dec.keys.map((k) => k.bytes.toString('hex'))).toEqual(got.keys.map((k) => k.bytes.toString('hex')));
    expect(new Set(got.keys.map((k) => k.bytes.toString('hex'))).size).toBe(10);
    for (let i = 0; i < 5; i++) {
      const acc = net.kmes.get(`N${i}`)!.accounts().find((a) => a.linkId === `N${i}~N${i + 1}`)!;
      expect(acc.consumedBits).toBeGreaterThanOrEqual(10 * 256);
    }
    accountingHolds(net);
    bothEndsAgree(net);
    // a second request for the same ids finds nothing: delivered once
    expect(net.kmes.get('N5')!.decKeys({ masterSae: 'SAE-A', slaveSae: 'SAE-B', keyIds: [got.keys[0]!.keyId] }).ok).toBe(false);
  });

  it('neighbours take keys straight from their link: one message, both ends consume the same pad, resends are no-ops', async () => {
    const clock = new ManualClock(T0);
    net = createInProcessNetwork({ topology: lineTopology(2), dataDir: tempDir(), clock });
    clock.advance(5_000);
    const n0 = net.kmes.get('N0')!;
    const n1 = net.kmes.get('N1')!;
    const sent: unknown[] = [];
    const send = net.transport.send.bind(net.transport);
    const sendBatch = net.transport.sendBatch.bind(net.transport);
    net.transport.send = async (from, to, msg) => (sent.push(msg), send(from, to, msg));
    net.transport.sendBatch = async (from, to, msgs) => (sent.push(...msgs), sendBatch(from, to, msgs));
    const got = await n0.obtainKeys({ dest: 'N1', number: 3, bits: 512, masterSae: 'SAE-A', slaveSaes: ['SAE-X'] });
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    expect(sent.map((m) => (m as { type: string }).type)).toEqual(['direct-keys']);
    expect(n1.handlePeer('N0', sent[0])).toEqual({ ok: true });
    const dec = n1.decKeys({ masterSae: 'SAE-A', slaveSae: 'SAE-X', keyIds: got.keys.map((k) => k.keyId) });
    expect(dec.ok && dec.keys.map((k) => k.bytes.toString('hex'))).toEqual(got.keys.map((k) => k.bytes.toString('hex')));
    const link = (k: typeof n0) => k.accounts().find((a) => a.linkId === 'N0~N1')!;
    expect(link(n0).consumedBits).toBe(3 * 512);
    expect(link(n1).consumedBits).toBe(3 * 512);
    const relayId = n0.relays()[0]!.relayId;
    expect([n0, n1].flatMap((k) => k.trace(relayId)).map((t) => [t.node, t.linkId, t.usedBits])).toEqual([['N0', 'N0~N1', 1536], ['N1', 'N0~N1', 1536]]);
    // a forged message from a node that is not the other end of the link is refused
    expect(net.kmes.get('N2')!.handlePeer('N1', { ...(sent[0] as object), origin: 'N1' })).toMatchObject({ ok: false, retry: false });
    accountingHolds(net);
  });

  it('neighbour requests of one event-loop turn share one commit and one batch message; a refused one leaves the rest standing', async () => {
    const clock = new ManualClock(T0);
    net = createInProcessNetwork({ topology: lineTopology(2), dataDir: tempDir(), clock });
    clock.advance(5_000);
    const n0 = net.kmes.get('N0')!;
    const n1 = net.kmes.get('N1')!;
    const batches: number[] = [];
    const sendBatch = net.transport.sendBatch.bind(net.transport);
    net.transport.sendBatch = async (from, to, msgs) => (batches.push(msgs.length), sendBatch(from, to, msgs));
    const spendable = n0.readyCount('N1', 512);
    const asks = [1, 2, 3, spendable + 1].map((number, i) => n0.obtainKeys({ dest: 'N1', number, bits: 512, masterSae: `SAE-M${i}`, slaveSaes: [`SAE-S${i}`] }));
    const got = await Promise.all(asks);
    expect(got.map((g) => g.ok)).toEqual([true, true, true, false]); // the last asks for more than the link holds
    expect(got[3]).toMatchObject({ status: 503 });
    expect(batches).toEqual([3]);
    const ids = got.flatMap((g) => (g.ok ? g.keys.map((k) => k.keyId) : []));
    expect(new Set(ids).size).toBe(6);
    // each slave gets exactly its master's keys, byte for byte
    got.slice(0, 3).forEach((g, i) => {
      if (!g.ok) return;
      const dec = n1.decKeys({ masterSae: `SAE-M${i}`, slaveSae: `SAE-S${i}`, keyIds: g.keys.map((k) => k.keyId) });
      expect(dec.ok && dec.keys.map((k) => k.bytes.toString('hex'))).toEqual(g.keys.map((k) => k.bytes.toString('hex')));
    });
    const link = (k: typeof n0) => k.accounts().find((a) => a.linkId === 'N0~N1')!;
    expect(link(n0).consumedBits).toBe(6 * 512);
    expect(link(n1).consumedBits).toBe(6 * 512);
    accountingHolds(net);
  });

  it('a 200-bit key wastes the unused 56 bits of its last chunk at every hop, and says so', async () => {
    const clock = new ManualClock(T0);
    net = createInProcessNetwork({ topology: lineTopology(2), dataDir: tempDir(), clock });
    clock.advance(5_000);
    net.tick();
    const r = net.kmes.get('N0')!.startRelays('N2', 1, 200);
    expect(r.ok && (await net.kmes.get('N0')!.waitReady(r.keyIds))).toBe(true);
    await net.settle();
    for (const k of net.kmes.values()) for (const a of k.accounts()) if (a.consumedBits) expect(a.wastedBits).toBe(56);
    accountingHolds(net);
  });

  it('routes around a link whose pool is low, and fails cleanly when no path has key', async () => {
    const clock = new ManualClock(T0);
    net = createInProcessNetwork({ topology: meshTopology(), dataDir: tempDir(), clock, config: { lowWaterBits: 0 } });
    clock.advance(2_000);
    net.tick();
    const a = net.kmes.get('A')!;
    const first = a.startRelays('B', 1, 256);
    expect(first.ok && first.paths[0]).toEqual(['A', 'R1', 'B']);
    // spend all of A's half of A~R1 on keys for R1: the next key to B must go the long way
    const drain = a.startRelays('R1', Math.floor(a.spendableBits('A~R1') / 256), 256);
    expect(drain.ok).toBe(true);
    expect(a.spendableBits('A~R1')).toBeLessThan(256);
    const second = a.startRelays('B', 1, 256);
    expect(second.ok && second.paths[0]).toEqual(['A', 'R2', 'R3', 'B']);
    expect(second.ok && (await a.waitReady(second.keyIds))).toBe(true);
    const tooMuch = a.startRelays('B', 1, 8192 * 8);
    expect(tooMuch.ok).toBe(false);
  });

  it('a trusted node whose next link ran dry re-routes the rest of the path', async () => {
    const clock = new ManualClock(T0);
    net = createInProcessNetwork({ topology: meshTopology(), dataDir: tempDir(), clock, config: { lowWaterBits: 0 } });
    clock.advance(2_000);
    const gs1 = net.kmes.get('GS1')!;
    const b = net.kmes.get('B')!;
    const r = gs1.startRelays('A', 1, 256);
    expect(r.ok && r.paths[0]).toEqual(['GS1', 'B', 'R1', 'A']);
    // before the relay reaches B, B spends its whole half of B~R1
    expect(b.startRelays('R1', Math.floor(b.spendableBits('R1~B') / 256), 256).ok).toBe(true);
    expect(r.ok && (await gs1.waitReady(r.keyIds))).toBe(true);
    await net.settle();
    expect(b.hops().find((h) => h.from === 'GS1')!.to).toBe('R3');
    accountingHolds(net);
    bothEndsAgree(net);
  });

  it('with no way onward the relay fails: the origin learns it, the pads count as wasted, the key is never served', async () => {
    const clock = new ManualClock(T0);
    net = createInProcessNetwork({ topology: meshTopology(), dataDir: tempDir(), clock, config: { lowWaterBits: 0 } });
    clock.advance(2_000);
    const a = net.kmes.get('A')!;
    const r1 = net.kmes.get('R1')!;
    const r = a.startRelays('B', 1, 256);
    expect(r.ok && r.paths[0]).toEqual(['A', 'R1', 'B']);
    expect(r1.startRelays('B', Math.floor(r1.spendableBits('R1~B') / 256), 256).ok).toBe(true);
    expect(r.ok && (await a.waitReady(r.keyIds))).toBe(false);
    await net.settle();
    expect(a.relays().find((x) => x.keyId === (r.ok ? r.keyIds[0] : ''))).toMatchObject({ state: 'failed' });
    expect(a.appKeyStates().find((k) => k.keyId === (r.ok ? r.keyIds[0] : ''))!.state).toBe('failed');
    for (const k of [a, r1]) expect(k.accounts().find((x) => x.linkId === 'A~R1')!.wastedBits).toBe(256);
    accountingHolds(net);
    bothEndsAgree(net);
  });

  it('secret sharing over 2 node-disjoint paths: the key is the XOR of shares no single relay saw whole', async () => {
    const clock = new ManualClock(T0);
    net = createInProcessNetwork({ topology: meshTopology(), dataDir: tempDir(), clock });
    clock.advance(2_000);
    net.tick();
    const a = net.kmes.get('A')!;
    const r = a.startRelays('B', 3, 256, 2);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.paths).toEqual([['A', 'R1', 'B'], ['A', 'R2', 'R3', 'B']]);
    expect(await a.waitReady(r.keyIds)).toBe(true);
    await net.settle();
    const got = await a.obtainKeys({ dest: 'B', number: 3, bits: 256, masterSae: 'SAE-A', slaveSaes: ['SAE-B'] });
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    const dec = net.kmes.get('B')!.decKeys({ masterSae: 'SAE-A', slaveSae: 'SAE-B', keyIds: got.keys.map((k) => k.keyId) });
    expect(dec.ok && dec.keys.map((k) => k.bytes.toString('hex'))).toEqual(got.keys.map((k) => k.bytes.toString('hex')));
    // each path's relays saw one share each: R1's and R2's hop logs name the relay but only one share
    expect(net.kmes.get('R1')!.hops().every((h) => h.share === 0)).toBe(true);
    expect(net.kmes.get('R2')!.hops().every((h) => h.share === 1)).toBe(true);
    accountingHolds(net);
    bothEndsAgree(net);
  });
});

describe('satellite keys', () => {
  it('ingests a satellite-as-relay block at both stations, idempotently, and relays across it', async () => {
    const clock = new ManualClock(T0);
    net = createInProcessNetwork({ topology: meshTopology(), dataDir: tempDir(), clock });
    clock.advance(2_000);
    net.tick();
    const kA = Buffer.alloc(4096, 0x5a);
    const kB = Buffer.alloc(4096, 0xc3);
    const published = Buffer.from(kA.map((x, i) => x ^ kB[i]!));
    const atGs1 = satelliteRelayKey(kA, published, 'A');
    const atGs2 = satelliteRelayKey(kB, published, 'B');
    expect(atGs1.equals(atGs2)).toBe(true);
    const gs1 = net.kmes.get('GS1')!;
    const gs2 = net.kmes.get('GS2')!;
    const input = { stationNodes: ['GS1', 'GS2'] as [string, string], blockId: 'MICIUS-2026-11-29-b1', provenance: sampleProvenance };
    expect(gs1.ingestSatelliteKey({ ...input, keyBytes: atGs1 })).toMatchObject({ ok: true, duplicate: false, bits: 32768 });
    expect(gs1.ingestSatelliteKey({ ...input, keyBytes: atGs1 })).toMatchObject({ ok: true, duplicate: true });
    expect(gs2.ingestSatelliteKey({ ...input, keyBytes: atGs2 })).toMatchObject({ ok: true, duplicate: false });
    expect(gs1.accounts().find((a) => a.linkId === 'GS1~GS2')!.producedBits).toBe(32768);
    const a = net.kmes.get('A')!;
    const r = a.startRelays('C', 4, 256);
    expect(r.ok && r.paths[0]).toEqual(['A', 'R1', 'B', 'GS1', 'GS2', 'C']);
    expect(r.ok && (await a.waitReady(r.keyIds))).toBe(true);
    accountingHolds(net);
    // the audit trail of one relayed key: every hop's pad, the satellite hop naming its pass
    const relayId = a.relays().find((x) => x.keyId === (r.ok ? r.keyIds[0] : ''))!.relayId;
    const trail = [...net.kmes.values()].flatMap((k) => k.trace(relayId));
    expect(new Set(trail.map((t) => t.linkId))).toEqual(new Set(['A~R1', 'R1~B', 'B~GS1', 'GS1~GS2', 'GS2~C']));
    for (const t of trail) expect(t.usedBits).toBe(256);
    const sat = trail.filter((t) => t.source === 'satellite');
    expect(sat).toHaveLength(2);
    expect(sat[0]!.blocks[0]).toMatchObject({ blockId: 'MICIUS-2026-11-29-b1', provenance: { own: { passId: sampleProvenance.passId } } });
  });

  it.each([
    { name: 'fibre link', input: { linkId: 'A~R1' }, field: 'linkId' },
    { name: 'unknown pair', input: { stationNodes: ['GS1', 'C'] }, field: 'stationNodes' },
    { name: 'bad provenance', input: { linkId: 'GS1~GS2', provenance: { ...sampleProvenance, qber: 0.7 } }, field: 'provenance.qber' },
    { name: 'empty key', input: { linkId: 'GS1~GS2', keyBytes: new Uint8Array(0) }, field: 'keyBytes' },
  ])('rejects $name naming $field, storing nothing', ({ input, field }) => {
    const clock = new ManualClock(T0);
    net = createInProcessNetwork({ topology: meshTopology(), dataDir: tempDir(), clock });
    const gs1 = net.kmes.get('GS1')!;
    const r = gs1.ingestSatelliteKey({ blockId: 'b', keyBytes: new Uint8Array(32), provenance: sampleProvenance, ...(input as object) });
    expect(r).toMatchObject({ ok: false, field });
    expect(gs1.accounts().find((a) => a.linkId === 'GS1~GS2')!.producedBits).toBe(0);
  });

  it('a station key store hands blocks through the KeySink port', async () => {
    const clock = new ManualClock(T0);
    net = createInProcessNetwork({ topology: meshTopology(), dataDir: tempDir(), clock });
    const sink = kmeKeySink(net.kmes.get('GS2')!, { linkId: 'GS1~GS2' });
    await sink.put({ blockId: 'blk-9', bits: 512, provenance: sampleProvenance }, new Uint8Array(64).fill(9));
    await sink.put({ blockId: 'blk-9', bits: 512, provenance: sampleProvenance }, new Uint8Array(64).fill(9));
    expect(net.kmes.get('GS2')!.accounts().find((a) => a.linkId === 'GS1~GS2')!.producedBits).toBe(512);
    await expect(sink.put({ blockId: 'blk-10', bits: 1024, provenance: sampleProvenance }, new Uint8Array(64))).rejects.toThrow(/1024 bits announced/);
  });

  it('refuses the same blockId with different content', () => {
    const clock = new ManualClock(T0);
    net = createInProcessNetwork({ topology: meshTopology(), dataDir: tempDir(), clock });
    const gs1 = net.kmes.get('GS1')!;
    expect(gs1.ingestSatelliteKey({ linkId: 'GS1~GS2', blockId: 'b1', keyBytes: new Uint8Array(32), provenance: sampleProvenance }).ok).toBe(true);
    expect(gs1.ingestSatelliteKey({ linkId: 'GS1~GS2', blockId: 'b1', keyBytes: new Uint8Array(64), provenance: sampleProvenance })).toMatchObject({ ok: false, field: 'blockId' });
  });
});
