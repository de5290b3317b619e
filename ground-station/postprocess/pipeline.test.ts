import { describe, expect, it } from 'vitest';
import { finiteKeyLength } from '../../planner/keyrate/finite-key.ts';
import type { DecoyProtocolParams } from '../../planner/keyrate/types.ts';
import { createJsonLogger } from '../../planner/log.ts';
import type { KeyBlock, KeySink } from '../../planner/ports.ts';
import { AuthKeyPool } from './auth-key-pool.ts';
import { memoryChannelPair } from './channel.ts';
import { postProcessPass } from './pipeline.ts';
import { seedFrom, Xoshiro128 } from './prng.ts';
import { syntheticPass } from './synthetic-pass.ts';

const params: DecoyProtocolParams = {
  sourceRateHz: 1e8,
  intensities: [0.8, 0.1, 0],
  intensityProbabilities: [0.5, 0.25, 0.25],
  keyBasisProbability: 0.5,
  extraneousCountProbability: 1e-7,
  afterpulseProbability: 0,
  intrinsicQber: 0.01,
  errorCorrectionEfficiency: 1.1,
  epsilonSec: 1e-10,
  epsilonCor: 1e-15,
};

function pools(seed: number): [AuthKeyPool, AuthKeyPool] {
  const rng = new Xoshiro128(seedFrom(seed));
  const pre = new Uint8Array(64 * 1024);
  for (let i = 0; i < pre.length; i++) pre[i] = rng.nextU32() & 255;
  return [new AuthKeyPool(pre), new AuthKeyPool(pre)];
}

class MemorySink implements KeySink {
  blocks: KeyBlock[] = [];
  bytes: Uint8Array[] = [];
  async put(b: KeyBlock, k: Uint8Array) {
    this.blocks.push(b);
    this.bytes.push(k);
  }
}

const pass = { passId: 'test-pass', stationId: 'XL', satelliteId: 'MICIUS', startMs: 0, endMs: 300_000 };

function synth(seed: number, qber: number, extra: Partial<Parameters<typeof syntheticPass>[0]> = {}) {
  return syntheticPass({
    seed,
    pulses: 4e8,
    pulsePeriodPs: 10_000,
    detectionProbability: [4e-3, 5e-4, 1e-6],
    intensityProbabilities: [0.5, 0.25, 0.25],
    keyBasisProbability: 0.5,
    qber,
    offsetPs: 3.21e9,
    driftPpm: 3.7,
    jitterPs: 80,
    darkCountsPerPulse: 2e-7,
    firstPulse: 1_000_000,
    ...extra,
  });
}

describe('postProcessPass (synthetic pass, both parties over an authenticated in-memory link)', () => {
  it.each([
    { seed: 1, qber: 0.01, reconciliation: 'cascade' as const },
    { seed: 2, qber: 0.02, reconciliation: 'cascade' as const },
    { seed: 4, qber: 0.02, reconciliation: 'ldpc' as const },
  ])('ends with identical keys whose length is the finite-key bound of the observed counts (seed $seed, QBER $qber, $reconciliation)', async ({ seed, qber, reconciliation }) => {
    const data = synth(seed, qber);
    const [pa, pb] = pools(seed);
    const sink = new MemorySink();
    const out = await postProcessPass(pass, { detections: data.detections, pool: pb, sink }, { pulseRecord: data.pulseRecord, pool: pa }, { params, pulsePeriodPs: 10_000, publicSeed: seed, offsetWindowPulses: 500, tagZeroPulse: 1_000_000 - 321_000 + 137, reconciliation });
    const r = out.report;
    expect(r.reconciliationMethod).toBe(reconciliation);
    // LDPC is one-way plus blind retries: a handful of exchanges where Cascade needs dozens.
    if (reconciliation === 'ldpc') expect(r.reconciliationExchanges).toBeLessThanOrEqual(10);
    else expect(r.reconciliationExchanges).toBeGreaterThan(20);
    expect(r.error, JSON.stringify({ c: r.counts, fk: r.finiteKey, s: r.siftedBits, sync: r.sync })).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.verified).toBe(true);
    expect(r.sync!.chunksResolved).toBeGreaterThanOrEqual(r.sync!.chunks - 1);
    expect(Math.abs(r.sync!.driftPpm - 3.7)).toBeLessThan(0.01);
    expect(r.qber).toBeGreaterThan(qber * 0.7);
    expect(r.qber).toBeLessThan(qber * 1.3 + 0.005);
    // The final length is exactly the estimator's bound on the counts the pass observed and the leakage it measured.
    const expected = finiteKeyLength(r.counts, params, { leakageBits: r.reconciliationLeakedBits + Math.ceil(r.verificationExtraLeakedBits) });
    expect(r.finiteKeyBoundBits).toBe(expected.secretKeyBits);
    expect(r.finalKeyBits).toBe(r.finiteKeyBoundBits);
    expect(r.finalKeyBits).toBeGreaterThan(0);
    expect(r.authenticationKeyBits).toBe(64 * (r.messages + 1));
    expect(r.authenticationFailureBound).toBeGreaterThan(0);
    expect(r.authenticationFailureBound).toBeLessThan(1e-12);
    // Both parties hold the same blocks; the station's went to the sink.
    expect(out.satellite.bytes.length).toBe(out.station.bytes.length);
    out.station.bytes.forEach((b, i) => expect(Buffer.compare(Buffer.from(b), Buffer.from(out.satellite.bytes[i]))).toBe(0));
    expect(r.storedBlocks).toBeGreaterThan(0);
    expect(sink.blocks.length).toBe(r.storedBlocks);
    expect(r.storedKeyBits + r.authPoolRefillBits).toBe(r.finalKeyBits - (r.finalKeyBits % 8));
    expect(sink.blocks[0].provenance).toMatchObject({ passId: 'test-pass', finiteKeyBoundBits: r.finiteKeyBoundBits, siftedBits: r.siftedBits });
    expect(sink.blocks[0].blockId).toMatch(/^[A-Za-z0-9_.:@-]{1,128}$/);
    // The satellite's provenance agrees on what both sides know (leak counted independently by each).
    expect(out.satellite.blocks[0].provenance).toEqual(sink.blocks[0].provenance);
    // The authentication pools were refilled identically and stay in step for the next pass.
    expect(pa.availableBits).toBe(pb.availableBits);
  });

  it.each([
    { frame: 1, who: 'the station detects it', error: /^authentication: message 0 failed authentication/ },
    { frame: 4, who: 'the satellite detects it and drops the link', error: /^protocol: channel closed/ },
  ])('aborts, storing nothing, when Eve alters frame $frame ($who)', async ({ frame, error }) => {
    const data = synth(3, 0.03, { pulses: 5e7 });
    const [pa, pb] = pools(3);
    const sink = new MemorySink();
    const link = memoryChannelPair((f, _dir, index) => {
      if (index === frame) f[f.length - 20] ^= 1;
      return f;
    });
    const out = await postProcessPass(pass, { detections: data.detections, pool: pb, sink }, { pulseRecord: data.pulseRecord, pool: pa }, { params, pulsePeriodPs: 10_000, publicSeed: 3, offsetWindowPulses: 500, tagZeroPulse: 1_000_000 - 321_000 + 137 }, link);
    expect(out.report.ok).toBe(false);
    expect(out.report.error).toMatch(error);
    expect(out.report.finalKeyBits).toBe(0);
    expect(out.satellite.blocks).toEqual([]);
    expect(sink.blocks.length).toBe(0);
  });

  it('LDPC frames the decoder gives up are dropped on both sides, from the key and from n_X, and the rest is kept', async () => {
    const data = synth(5, 0.02);
    const [pa, pb] = pools(5);
    const sink = new MemorySink();
    const rng = new Xoshiro128(seedFrom(55));
    const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => rng.nextU32() & 255);
    // At most three blind retries (eight by default): here about one frame in fourteen is given up.
    const out = await postProcessPass(pass, { detections: data.detections, pool: pb, sink }, { pulseRecord: data.pulseRecord, pool: pa }, {
      params, pulsePeriodPs: 10_000, publicSeed: 5, offsetWindowPulses: 500, tagZeroPulse: 1_000_000 - 321_000 + 137,
      reconciliation: 'ldpc', ldpc: { maxRetries: 3 }, randomBytes,
    });
    const r = out.report;
    expect(r.error).toBeUndefined();
    expect(r.reconciliationDroppedBits).toBeGreaterThan(0);
    expect(r.siftedBits).toBeGreaterThan(0);
    expect(r.counts.nX[0] + r.counts.nX[1] + r.counts.nX[2]).toBe(r.siftedBits);
    expect(r.verified).toBe(true);
    expect(r.finalKeyBits).toBe(finiteKeyLength(r.counts, params, { leakageBits: r.reconciliationLeakedBits + Math.ceil(r.verificationExtraLeakedBits) }).secretKeyBits);
    expect(r.finalKeyBits).toBeGreaterThan(0);
    out.station.bytes.forEach((b, i) => expect(Buffer.compare(Buffer.from(b), Buffer.from(out.satellite.bytes[i]))).toBe(0));
    expect(out.satellite.blocks[0].provenance).toEqual(sink.blocks[0].provenance);
  });

  it('discards the pass loudly when verification finds the keys still differ', async () => {
    const data = synth(4, 0.04, { pulses: 1e8 });
    const [pa, pb] = pools(4);
    const sink = new MemorySink();
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (l) => lines.push(l), nowMs: () => 0 });
    // One Cascade pass and no BICONF: blocks with two errors stay wrong, as a broken reconciliation would leave them.
    const out = await postProcessPass(pass, { detections: data.detections, pool: pb, sink }, { pulseRecord: data.pulseRecord, pool: pa }, {
      params,
      pulsePeriodPs: 10_000,
      publicSeed: 4,
      offsetWindowPulses: 500,
      tagZeroPulse: 1_000_000 - 321_000,
      cascade: { laterBlockSizes: [], biconfRounds: 0 },
      logger,
    });
    expect(out.report.verified).toBe(false);
    expect(out.report.error).toMatch(/verification failed/);
    expect(out.report.finalKeyBits).toBe(0);
    expect(sink.blocks).toEqual([]);
    expect(out.satellite.blocks).toEqual([]);
    expect(lines.some((l) => JSON.parse(l).level === 'error' && JSON.parse(l).event === 'postprocess.failed')).toBe(true);
    // Both parties spent the same pads, so the next pass still authenticates.
    expect(pa.consumedBits).toBe(pb.consumedBits);
  });
});
