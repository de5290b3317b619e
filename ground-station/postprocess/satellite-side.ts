/**
 * Post-processing, the satellite's side (Alice): lock each sync chunk's pulse offset, announce basis matches,
 * intensities and test-basis bits, answer Cascade's parities, send verification hashes, check the announced key
 * length against her own estimate, and draw the privacy-amplification seed.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { finiteKeyLength } from '../../planner/keyrate/finite-key.ts';
import type { BasisIntensityCounts } from '../../planner/keyrate/types.ts';
import type { KeyProvenance, PulseRecord } from '../../planner/ports.ts';
import type { AuthenticatedChannel } from './authenticated-channel.ts';
import type { AuthKeyPool } from './auth-key-pool.ts';
import { packBytes, unpackBytes } from './bitops.ts';
import { CascadeSender, type CascadePassSpec } from './cascade-sender.ts';
import { blobFloat64, blobInt32, float64Blob } from './channel.ts';
import type { LdpcPlan } from './ldpc/frame-layout.ts';
import { LdpcSender, type LdpcRevealRequest } from './ldpc/sender.ts';
import { blockId, emptyCounts, keptAfterFailedFrames, provenanceStub, splitFinalKey, type PartyKey, type PassIdentity, type PostProcessOptions } from './pass-common.ts';
import { PolyHash64, polyHash64CollisionBound } from './poly-hash64.ts';
import { resolvePulseOffset, resolvePulseOffsetOnComb, type OffsetResolution, type SyncSample } from './sync.ts';
import { toeplitzHash } from './toeplitz.ts';

export async function runSatelliteSide(
  pass: PassIdentity,
  sat: { pulseRecord: (pulseIndex: number) => PulseRecord | undefined; pool: AuthKeyPool },
  ch: AuthenticatedChannel,
  opts: PostProcessOptions,
): Promise<PartyKey> {
  const random = opts.randomBytes ?? ((n: number) => new Uint8Array(cryptoRandomBytes(n)));
  const estimator = opts.estimator ?? finiteKeyLength;
  const expect = async (type: string) => {
    const m = await ch.receive();
    if (m.type === 'abort') throw new Error(`ground station aborted: ${String(m.fields.reason)}`);
    if (m.type !== type) throw new Error(`satellite: expected '${type}', got '${m.type}'`);
    return m;
  };

  // sync: slide each chunk's sample over the window
  const s = await expect('sync-sample');
  const pulses = blobFloat64(s.blobs[0]);
  const chunkOf = blobInt32(s.blobs[1]);
  const bases = unpackBytes(s.blobs[2], pulses.length);
  const bits = unpackBytes(s.blobs[3], pulses.length);
  const nChunks = Number(s.fields.chunks);
  const window = Math.min(100_000, Math.max(0, Number(s.fields.window)));
  const syncPeriod = Math.max(0, Math.floor(Number(s.fields.syncPeriodPulses ?? 0)));
  const segmentOf = s.blobs[4] ? blobInt32(s.blobs[4]) : new Int32Array(nChunks);
  // Comb searches (after a clock jump) cost ~10^5 shifts: at most a few per segment, so cloudy chunks stay cheap.
  const combTries = new Map<number, number>();
  let lastSegment = segmentOf[0] ?? 0;
  const offsets = new Float64Array(nChunks).fill(Number.NaN);
  const margins = new Float64Array(nChunks);
  let lastOffset: number | null = null;
  let agreeAll = 0;
  let pairsAll = 0;
  // A lock needs enough matched pairs, a low error rate and a clear margin over every other shift.
  const locked = (r: OffsetResolution) => r.matchedPairs >= 16 && r.sampleQber < 0.15 && r.margin > 1.5;
  for (let c = 0; c < nChunks; c++) {
    const sample: SyncSample[] = [];
    for (let i = 0; i < pulses.length; i++) if (chunkOf[i] === c) sample.push({ pulse: pulses[i], basis: bases[i] ? 'Z' : 'X', bit: bits[i] as 0 | 1 });
    // Track: try a few pulses around the previous chunk's offset first (drift and jumps move it little), and
    // fall back to the full window only when that does not lock.
    const near: OffsetResolution | null = lastOffset === null ? null : resolvePulseOffset(sample, (k) => sat.pulseRecord(k + lastOffset!), 4);
    let r: OffsetResolution | null = near && locked(near) ? { ...near, offsetPulses: near.offsetPulses + lastOffset! } : resolvePulseOffset(sample, sat.pulseRecord, window);
    // A chunk of a new clock segment that locked nowhere near: the jump was a whole number of sync periods.
    const seg = segmentOf[c] ?? 0;
    if (!(r && locked(r)) && syncPeriod > 0 && lastOffset !== null && seg !== lastSegment && (combTries.get(seg) ?? 0) < 3) {
      combTries.set(seg, (combTries.get(seg) ?? 0) + 1);
      const comb = resolvePulseOffsetOnComb(sample, sat.pulseRecord, lastOffset, syncPeriod);
      // Over ~6·10^4 shifts a chance match is likelier than in a window of a few thousand: ask for more pairs.
      if (comb && comb.matchedPairs >= 32 && locked(comb)) r = comb;
    }
    if (r && locked(r)) {
      offsets[c] = r.offsetPulses;
      lastOffset = r.offsetPulses;
      lastSegment = seg;
      margins[c] = r.margin;
      agreeAll += Math.round(r.matchedPairs * (1 - r.sampleQber));
      pairsAll += r.matchedPairs;
    }
  }
  await ch.send({ type: 'sync-offsets', fields: { sampleQber: pairsAll ? 1 - agreeAll / pairsAll : 0 }, blobs: [float64Blob(offsets), float64Blob(margins)] });

  // sifting: announce which pulses match in basis, their intensities, and the test-basis bits
  const sift = await expect('sift');
  const sp = blobFloat64(sift.blobs[0]);
  const bobBasis = unpackBytes(sift.blobs[1], sp.length);
  const valid = new Uint8Array(sp.length);
  const intensity = new Uint8Array(sp.length);
  const zBits: number[] = [];
  const keyBits: number[] = [];
  const keyIntensity: number[] = [];
  const counts = emptyCounts();
  for (let i = 0; i < sp.length; i++) {
    const r = Number.isInteger(sp[i]) && sp[i] >= 0 ? sat.pulseRecord(sp[i]) : undefined;
    if (!r || (r.basis === 'Z' ? 1 : 0) !== bobBasis[i]) continue;
    valid[i] = 1;
    intensity[i] = r.intensityIndex;
    if (r.basis === 'Z') {
      zBits.push(r.bit);
      counts.nZ[r.intensityIndex]++;
    } else {
      keyBits.push(r.bit);
      keyIntensity.push(r.intensityIndex);
      counts.nX[r.intensityIndex]++;
    }
  }
  await ch.send({ type: 'sift-reply', fields: { zCount: zBits.length }, blobs: [packBytes(valid), intensity, packBytes(Uint8Array.from(zBits))] });
  let key = Uint8Array.from(keyBits);
  if (key.length < 64) return { blocks: [], bytes: [] };

  // reconciliation: answer Cascade's parities or LDPC's syndromes and reveals until Bob is done
  // Each method's sender is made when its first message arrives (Cascade's builds prefix parities of the key).
  let cascade: CascadeSender | null = null;
  let ldpc: LdpcSender | null = null;
  for (;;) {
    const m = await ch.receive();
    if (m.type === 'cascade-end') break;
    if (m.type === 'ldpc-end') {
      // Frames Bob gave up on leave the key on both sides (their leak stays counted).
      const failed = (m.fields.failedFrames as { keyStart: number; keyLength: number }[] | undefined) ?? [];
      if (failed.length > 0) {
        const keep = keptAfterFailedFrames(key.length, failed);
        for (let j = 0; j < key.length; j++) if (!keep[j]) counts.nX[keyIntensity[j] as 0 | 1 | 2]--;
        key = key.filter((_, j) => keep[j] === 1);
      }
      break;
    }
    if (m.type === 'abort') throw new Error(`ground station aborted: ${String(m.fields.reason)}`);
    if (m.type === 'ldpc-plan') {
      ldpc ??= new LdpcSender(key, opts.randomBytes ? { secretBits: (k) => opts.randomBytes!(k).map((b) => b & 1) } : {});
      const reply = ldpc.syndromes(m.fields.plan as LdpcPlan);
      await ch.send({ type: 'ldpc-syndromes', fields: { confirmHashes: reply.confirmHashes }, blobs: reply.syndromes });
    } else if (m.type === 'ldpc-reveal') {
      if (!ldpc) throw new Error('satellite: LDPC reveal before a plan');
      await ch.send({ type: 'ldpc-revealed', fields: {}, blobs: ldpc.reveal(m.fields.requests as LdpcRevealRequest[]) });
    } else if (m.type === 'cascade-open') {
      const specs = m.fields.specs as CascadePassSpec[];
      cascade ??= new CascadeSender(key);
      const par = specs.map((sp2) => cascade!.openPass(sp2));
      await ch.send({ type: 'cascade-open-reply', fields: { lengths: par.map((p) => p.length) }, blobs: par.map((p) => packBytes(p)) });
    } else if (m.type === 'cascade-query') {
      if (!cascade) throw new Error('satellite: Cascade query before any pass was opened');
      await ch.send({ type: 'cascade-parities', fields: {}, blobs: [packBytes(cascade.parities(blobInt32(m.blobs[0])))] });
    } else throw new Error(`satellite: unexpected '${m.type}' during reconciliation`);
  }

  // verification: enough independent 64-bit hashes that collisions stay below ε_cor
  const packedKey = packBytes(key);
  const perHash = polyHash64CollisionBound(packedKey.length);
  const hashes = Math.max(1, Math.ceil(Math.log(opts.params.epsilonCor) / Math.log(perHash)));
  const points = new Uint8Array(8 * hashes);
  const digests = new Uint8Array(8 * hashes);
  for (let r = 0; r < hashes; r++) {
    let pt = random(8);
    while (pt.every((b) => b === 0)) pt = random(8);
    points.set(pt, 8 * r);
    digests.set(new PolyHash64(pt).digest(packedKey), 8 * r);
  }
  await ch.send({ type: 'verify', fields: {}, blobs: [points, digests] });
  const vr = await expect('verify-result');
  if (vr.fields.ok !== true) return { blocks: [], bytes: [] };

  // privacy amplification: check Bob's length against her own estimate, then draw and send the seed
  const pa = await expect('pa-request');
  const bobCounts = pa.fields.counts as BasisIntensityCounts;
  const sameSift = bobCounts.nX.every((v, i) => v === counts.nX[i]) && bobCounts.nZ.every((v, i) => v === counts.nZ[i]);
  const ell = sameSift ? estimator(bobCounts, opts.params, { leakageBits: Number(pa.fields.leakageBits) }).secretKeyBits : -1;
  if (ell !== Number(pa.fields.lengthBits)) throw new Error(`satellite: key length disagreement (${ell} vs ${String(pa.fields.lengthBits)})`);
  const seed = random(Math.ceil((key.length + Math.max(1, ell) - 1) / 8));
  await ch.send({ type: 'pa-seed', fields: {}, blobs: [seed] });
  if (ell === 0) return { blocks: [], bytes: [] };
  const nX = bobCounts.nX[0] + bobCounts.nX[1] + bobCounts.nX[2];
  const mX = bobCounts.mX[0] + bobCounts.mX[1] + bobCounts.mX[2];
  const finalKey = toeplitzHash(key, unpackBytes(seed, key.length + ell - 1), ell, { uniformSeed: true });
  // Same refill rule as the ground side: what both sessions spent (identical counters) plus two tags' margin.
  const parts = splitFinalKey(finalKey, ch.authenticationKeyBits + 2 * 64, opts.blockBits ?? 8192);
  sat.pool.topUp(parts.refill);
  const satProv: KeyProvenance = {
    ...provenanceStub(pass, opts),
    qber: nX > 0 ? mX / nX : 0,
    siftedBits: nX,
    reconciliationLeakedBits: ldpc ? ldpc.leakedBits : (cascade?.revealedBits ?? 0),
    authenticationKeyBits: ch.authenticationKeyBits,
    finiteKeyBoundBits: ell,
  };
  const out: PartyKey = { blocks: [], bytes: [] };
  parts.blocks.forEach((bytes, i) => {
    out.blocks.push({ blockId: blockId(pass.passId, i), bits: bytes.length * 8, provenance: satProv });
    out.bytes.push(bytes);
  });
  return out;
}
