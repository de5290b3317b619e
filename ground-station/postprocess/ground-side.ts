/**
 * Post-processing, the ground station's side (Bob): synchronise the time tags, sift, run Cascade against the
 * satellite's parities, check the verification hash, compute ℓ from the observed counts with the planner's
 * finite-key estimator, hash to ℓ bits, refill the authentication pool and store the blocks.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { finiteKeyLength } from '../../planner/keyrate/finite-key.ts';
import { silentLogger } from '../../planner/log.ts';
import { DETECTOR_CHANNELS, type DetectionEvent, type KeyProvenance, type KeySink } from '../../planner/ports.ts';
import { AuthenticationError, type AuthenticatedChannel } from './authenticated-channel.ts';
import type { AuthKeyPool } from './auth-key-pool.ts';
import { packBytes, unpackBytes } from './bitops.ts';
import { cascadeReconcile } from './cascade.ts';
import type { CascadePassSpec } from './cascade-sender.ts';
import type { LdpcPlan } from './ldpc/frame-layout.ts';
import { ldpcReconcile } from './ldpc/reconcile.ts';
import type { LdpcPort, LdpcRevealRequest } from './ldpc/sender.ts';
import { blobFloat64, float64Blob, int32Blob } from './channel.ts';
import { blockId, DEFAULT_SYNC_PERIOD_PULSES, emptyCounts, keptAfterFailedFrames, PROTOCOL, splitFinalKey, type PartyKey, type PassIdentity, type PassOutcome, type PostProcessOptions } from './pass-common.ts';
import { PolyHash64 } from './poly-hash64.ts';
import type { PassReport, SyncQuality } from './report.ts';
import { coinFrom, squashClicks } from './sifting.ts';
import { synchronise } from './sync.ts';
import { toeplitzHash } from './toeplitz.ts';

export async function runGroundSide(
  pass: PassIdentity,
  ground: { detections: readonly DetectionEvent[]; pool: AuthKeyPool; sink?: KeySink },
  ch: AuthenticatedChannel,
  opts: PostProcessOptions,
): Promise<PassOutcome> {
  const now = opts.nowMs ?? (() => performance.now());
  const log = (opts.logger ?? silentLogger).child({ passId: pass.passId, party: 'ground' });
  const estimator = opts.estimator ?? finiteKeyLength;
  const t = { sync: 0, sifting: 0, estimation: 0, reconciliation: 0, verification: 0, privacyAmplification: 0, store: 0, total: 0 };
  const tStart = now();
  const report: PassReport = {
    passId: pass.passId,
    ok: false,
    detections: ground.detections.length,
    doubleClicks: 0,
    siftedBits: 0,
    siftedTestBits: 0,
    qber: 0,
    qberTestBasis: 0,
    counts: emptyCounts(),
    reconciliationLeakedBits: 0,
    reconciliationEfficiency: Number.NaN,
    reconciliationExchanges: 0,
    reconciliationMethod: opts.reconciliation ?? 'cascade',
    reconciliationDroppedBits: 0,
    verificationExtraLeakedBits: 0,
    verified: false,
    authenticationKeyBits: 0,
    messages: 0,
    authenticationFailureBound: 0,
    finiteKey: null,
    finiteKeyBoundBits: 0,
    finalKeyBits: 0,
    authPoolRefillBits: 0,
    storedKeyBits: 0,
    storedBlocks: 0,
    sync: null,
    timingsMs: t,
  };
  const station: PartyKey = { blocks: [], bytes: [] };
  // `peerInformed`: the satellite already knows the pass failed (it read the verification result), so no abort
  // is sent — an unread message would leave the two authentication pools one pad apart for the next pass.
  const finish = async (error?: string, peerInformed = false): Promise<PassOutcome> => {
    if (error) {
      report.error = error;
      log.error('postprocess.failed', { error });
      if (!peerInformed) await ch.send({ type: 'abort', fields: { reason: error }, blobs: [] }).catch(() => undefined);
    }
    report.authenticationKeyBits = ch.authenticationKeyBits;
    report.messages = ch.messagesSent + ch.messagesReceived;
    report.authenticationFailureBound = ch.forgeryBound;
    t.total = now() - tStart;
    return { report, station, satellite: { blocks: [], bytes: [] } };
  };

  // Every failure becomes a report with its reason (errors as values at the boundary): an authentication
  // failure, a closed link or a malformed reply ends the pass without key, and the caller still gets the figures.
  const steps = async (): Promise<PassOutcome> => {
    // ---- 1. sync
    let t0 = now();
    const sync = synchronise(ground.detections, {
      pulsePeriodPs: opts.pulsePeriodPs,
      syncPeriodPulses: opts.syncPeriodPulses ?? DEFAULT_SYNC_PERIOD_PULSES,
      zeroPulse: opts.tagZeroPulse ?? 0,
      ...(opts.syncChunkDetections ? { chunkDetections: opts.syncChunkDetections } : {}),
    });
    if ('error' in sync) return finish(`sync: ${sync.error}`);
    const perChunk = opts.syncSamplePerChunk ?? 128;
    const sampleIdx = new Set<number>();
    const samplePulses: number[] = [];
    const sampleChunk: number[] = [];
    const sampleBases: number[] = [];
    const sampleBits: number[] = [];
    const byChunk = new Map<number, number[]>();
    sync.detections.forEach((d, i) => {
      const l = byChunk.get(d.chunk) ?? [];
      l.push(i);
      byChunk.set(d.chunk, l);
    });
    for (const [chunk, list] of byChunk) {
      const stride = Math.max(1, Math.floor(list.length / perChunk));
      for (let j = 0; j < list.length && j / stride < perChunk; j += stride) {
        const d = sync.detections[list[j]];
        const ev = ground.detections[d.source];
        const cb = DETECTOR_CHANNELS[ev.channel];
        sampleIdx.add(list[j]);
        samplePulses.push(sync.chunks[chunk].nominalPulse + (opts.tagZeroPulse ?? 0) + d.relPulse);
        sampleChunk.push(chunk);
        sampleBases.push(cb.basis === 'Z' ? 1 : 0);
        sampleBits.push(cb.bit);
      }
    }
    await ch.send({
      type: 'sync-sample',
      // In sync-locked mode a later clock segment is off by whole sync periods at most: the sender searches those.
      fields: { chunks: sync.chunks.length, window: opts.offsetWindowPulses ?? 2000, syncPeriodPulses: sync.syncLocked ? (opts.syncPeriodPulses ?? DEFAULT_SYNC_PERIOD_PULSES) : 0 },
      blobs: [
        float64Blob(Float64Array.from(samplePulses)),
        int32Blob(Int32Array.from(sampleChunk)),
        packBytes(Uint8Array.from(sampleBases)),
        packBytes(Uint8Array.from(sampleBits)),
        int32Blob(Int32Array.from(sync.chunks, (c) => c.segment ?? 0)),
      ],
    });
    const offsetsMsg = await ch.receive('sync-offsets');
    const offsets = blobFloat64(offsetsMsg.blobs[0]);
    const margins = blobFloat64(offsetsMsg.blobs[1]);
    const sampleQber = Number(offsetsMsg.fields.sampleQber ?? 0);
    let resolved = 0;
    let minMargin = Infinity;
    for (let c = 0; c < offsets.length; c++) {
      if (Number.isFinite(offsets[c])) {
        resolved++;
        minMargin = Math.min(minMargin, margins[c]);
      }
    }
    const quality: SyncQuality = {
      driftPpm: sync.driftPpm,
      jitterRmsPs: sync.jitterRmsPs,
      gatePs: sync.gatePs,
      inGateFraction: sync.inGateFraction,
      acquisitionResultant: sync.acquisitionResultant,
      chunks: sync.chunks.length,
      chunksResolved: resolved,
      minLockMargin: minMargin,
      sampleQber,
      sampleDetections: samplePulses.length,
      syncLocked: sync.syncLocked === true,
      clockSegments: sync.segments ?? 1,
    };
    report.sync = quality;
    t.sync = now() - t0;

    // ---- 2. sifting: absolute pulses; double clicks squashed with Bob's private coin (sifting.ts)
    t0 = now();
    const clickPulses: number[] = [];
    const clickChannels: number[] = [];
    sync.detections.forEach((d, i) => {
      if (sampleIdx.has(i)) return;
      const off = offsets[d.chunk];
      if (!Number.isFinite(off)) return;
      clickPulses.push(sync.chunks[d.chunk].nominalPulse + (opts.tagZeroPulse ?? 0) + d.relPulse + off);
      clickChannels.push(ground.detections[d.source].channel);
    });
    const squashed = squashClicks(clickPulses, clickChannels, coinFrom(opts.randomBytes ?? ((n) => new Uint8Array(cryptoRandomBytes(n)))));
    const { pulses, basis: bobBasis, bit: bobBit } = squashed;
    report.doubleClicks = squashed.doubleClicks;
    await ch.send({ type: 'sift', fields: { count: pulses.length }, blobs: [float64Blob(pulses), packBytes(bobBasis)] });
    const siftReply = await ch.receive('sift-reply');
    if (siftReply.blobs.length !== 3 || siftReply.blobs[1].length !== pulses.length) return finish(`sifting: malformed reply (${siftReply.blobs.length} blobs)`);
    const valid = unpackBytes(siftReply.blobs[0], pulses.length);
    const intensity = siftReply.blobs[1];
    const aliceZBits = unpackBytes(siftReply.blobs[2], Number(siftReply.fields.zCount));
    let keyPos: number[] = [];
    const counts = emptyCounts();
    let zi = 0;
    for (let i = 0; i < pulses.length; i++) {
      if (!valid[i]) continue; // bases differ or no record
      const k = intensity[i] as 0 | 1 | 2;
      if (bobBasis[i] === 1) {
        counts.nZ[k]++;
        if (aliceZBits[zi++] !== bobBit[i]) counts.mZ[k]++;
      } else {
        counts.nX[k]++;
        keyPos.push(i);
      }
    }
    const nZ = counts.nZ[0] + counts.nZ[1] + counts.nZ[2];
    const mZ = counts.mZ[0] + counts.mZ[1] + counts.mZ[2];
    report.siftedBits = keyPos.length;
    report.siftedTestBits = nZ;
    report.qberTestBasis = nZ > 0 ? mZ / nZ : 0;
    t.sifting = now() - t0;
    if (keyPos.length < 64) return finish(`sifting: only ${keyPos.length} key-basis bits`, true); // the satellite stops at the same count

    // ---- 3. reconciliation (Cascade, or LDPC) on the X-basis key, sized from the test-basis QBER
    t0 = now();
    let key = new Uint8Array(keyPos.length);
    for (let j = 0; j < keyPos.length; j++) key[j] = bobBit[keyPos[j]];
    const qberEstimate = Math.max(report.qberTestBasis, 0.005);
    const method = opts.reconciliation ?? 'cascade';
    report.reconciliationMethod = method;
    let recon: { leakedBits: number; efficiency: number; exchanges: number; correctedIndices: Int32Array };
    if (method === 'ldpc') {
      const ldpc = await ldpcReconcile(key, qberEstimate, remoteLdpcPort(ch), { seed: opts.publicSeed, ...opts.ldpc });
      // Frames the decoder gave up on are dropped on both sides (their leak stays counted): the end message
      // names them, and both parties take their bits out of the key and of n_X.
      await ch.send({ type: 'ldpc-end', fields: { failedFrames: ldpc.failedFrames }, blobs: [] });
      recon = ldpc;
      report.reconciliationDroppedBits = ldpc.failedFrames.reduce((s, f) => s + f.keyLength, 0);
      if (report.reconciliationDroppedBits > 0) {
        const keep = keptAfterFailedFrames(key.length, ldpc.failedFrames);
        for (let j = 0; j < key.length; j++) if (!keep[j]) counts.nX[intensity[keyPos[j]] as 0 | 1 | 2]--;
        const newIndex = new Int32Array(key.length).fill(-1);
        const kept: number[] = [];
        for (let j = 0; j < key.length; j++) if (keep[j]) {
          newIndex[j] = kept.length;
          kept.push(j);
        }
        key = Uint8Array.from(kept, (j) => key[j]);
        keyPos = kept.map((j) => keyPos[j]);
        recon = { ...ldpc, correctedIndices: Int32Array.from(ldpc.correctedIndices, (j) => newIndex[j]).filter((j) => j >= 0) };
      }
    } else {
      // Over an authenticated link every exchange costs two 64-bit tags of key, so the pass runs Cascade in its
      // round-saving mode (the three shuffled passes searched together, speculative bisection in the tail): more
      // parities leaked, far fewer tags spent — the lowest leak + tag total we measured at 10^5 and 10^6 bits.
      recon = await cascadeReconcile(key, qberEstimate, remoteParityPort(ch), {
        seed: opts.publicSeed,
        exchangeCostBits: 128,
        concurrentPasses: true,
        initialActivePasses: 3,
        ...opts.cascade,
      });
      await ch.send({ type: 'cascade-end', fields: {}, blobs: [] });
    }
    report.reconciliationLeakedBits = recon.leakedBits;
    report.reconciliationEfficiency = recon.efficiency;
    report.reconciliationExchanges = recon.exchanges;
    for (const j of recon.correctedIndices) counts.mX[intensity[keyPos[j]] as 0 | 1 | 2]++;
    report.siftedBits = keyPos.length;
    report.counts = counts;
    const mX = counts.mX[0] + counts.mX[1] + counts.mX[2];
    report.qber = mX / keyPos.length;
    t.reconciliation = now() - t0;

    // ---- 4. verification: Alice picks fresh points after reconciliation, Bob compares
    t0 = now();
    const packedKey = packBytes(key);
    const verify = await ch.receive('verify');
    const points = verify.blobs[0];
    const digests = verify.blobs[1];
    let same = points.length > 0 && points.length === digests.length;
    for (let r = 0; same && r < points.length / 8; r++) {
      const d = new PolyHash64(points.subarray(8 * r, 8 * r + 8)).digest(packedKey);
      for (let i = 0; i < 8; i++) if (d[i] !== digests[8 * r + i]) same = false;
    }
    await ch.send({ type: 'verify-result', fields: { ok: same }, blobs: [] });
    report.verified = same;
    report.verificationExtraLeakedBits = Math.max(0, digests.length * 8 - Math.log2(2 / opts.params.epsilonCor));
    t.verification = now() - t0;
    if (!same) return finish('verification failed: keys differ after reconciliation; block discarded', true);

    // ---- 5. finite-key length from the observed counts and the measured leakage
    t0 = now();
    const leakageBits = recon.leakedBits + Math.ceil(report.verificationExtraLeakedBits);
    const fk = estimator(counts, opts.params, { leakageBits });
    report.finiteKey = fk;
    report.finiteKeyBoundBits = fk.secretKeyBits;
    t.estimation = now() - t0;
    await ch.send({ type: 'pa-request', fields: { counts, leakageBits, lengthBits: fk.secretKeyBits }, blobs: [] });
    const paSeed = await ch.receive('pa-seed');
    if (fk.secretKeyBits === 0) {
      report.ok = true;
      report.error = `no key: ${fk.reason ?? 'finite-key bound is zero'}`;
      return finish();
    }

    // ---- 6. privacy amplification
    t0 = now();
    const seedBits = unpackBytes(paSeed.blobs[0], keyPos.length + fk.secretKeyBits - 1);
    const finalKey = toeplitzHash(key, seedBits, fk.secretKeyBits, { uniformSeed: true });
    report.finalKeyBits = finalKey.length;
    t.privacyAmplification = now() - t0;

    // ---- 7. refill the authentication pool, then store
    t0 = now();
    const parts = splitFinalKey(finalKey, ch.authenticationKeyBits + 2 * 64, opts.blockBits ?? 8192);
    ground.pool.topUp(parts.refill);
    report.authPoolRefillBits = parts.refill.length * 8;
    report.authenticationKeyBits = ch.authenticationKeyBits; // final: no message follows the PA seed
    const prov = provenance(pass, report, opts);
    parts.blocks.forEach((bytes, i) => {
      station.blocks.push({ blockId: blockId(pass.passId, i), bits: bytes.length * 8, provenance: prov });
      station.bytes.push(bytes);
    });
    if (ground.sink) for (let i = 0; i < station.blocks.length; i++) await ground.sink.put(station.blocks[i], station.bytes[i]);
    report.storedBlocks = station.blocks.length;
    report.storedKeyBits = station.blocks.reduce((s, b) => s + b.bits, 0);
    t.store = now() - t0;
    report.ok = true;
    log.info('postprocess.done', { siftedBits: report.siftedBits, qber: report.qber, finalKeyBits: report.finalKeyBits });
    return finish();
  };
  try {
    return await steps();
  } catch (err) {
    ch.close();
    return finish(`${err instanceof AuthenticationError ? 'authentication' : 'protocol'}: ${(err as Error).message}`, true);
  }
}

function provenance(pass: PassIdentity, r: PassReport, opts: PostProcessOptions): KeyProvenance {
  return {
    passId: pass.passId,
    stationId: pass.stationId,
    satelliteId: pass.satelliteId,
    startMs: pass.startMs,
    endMs: pass.endMs,
    qber: r.qber,
    siftedBits: r.siftedBits,
    reconciliationLeakedBits: r.reconciliationLeakedBits,
    authenticationKeyBits: r.authenticationKeyBits,
    epsilonSec: opts.params.epsilonSec,
    epsilonCor: opts.params.epsilonCor,
    finiteKeyBoundBits: r.finiteKeyBoundBits,
    protocol: opts.protocolName ?? PROTOCOL,
  };
}

function remoteLdpcPort(ch: AuthenticatedChannel): LdpcPort {
  return {
    async syndromes(plan: LdpcPlan) {
      await ch.send({ type: 'ldpc-plan', fields: { plan }, blobs: [] });
      const m = await ch.receive('ldpc-syndromes');
      return { syndromes: m.blobs, confirmHashes: (m.fields.confirmHashes as number[]) ?? [] };
    },
    async reveal(requests: LdpcRevealRequest[]) {
      await ch.send({ type: 'ldpc-reveal', fields: { requests }, blobs: [] });
      return (await ch.receive('ldpc-revealed')).blobs;
    },
  };
}

function remoteParityPort(ch: AuthenticatedChannel) {
  return {
    async openPasses(specs: CascadePassSpec[]): Promise<Uint8Array[]> {
      await ch.send({ type: 'cascade-open', fields: { specs }, blobs: [] });
      const m = await ch.receive('cascade-open-reply');
      const lens = m.fields.lengths as number[];
      return m.blobs.map((b, i) => unpackBytes(b, lens[i]));
    },
    async parities(q: Int32Array): Promise<Uint8Array> {
      await ch.send({ type: 'cascade-query', fields: {}, blobs: [int32Blob(q)] });
      const m = await ch.receive('cascade-parities');
      return unpackBytes(m.blobs[0], q.length / 3);
    },
  };
}
