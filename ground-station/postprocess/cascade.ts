/**
 * Cascade, receiver side (Bob corrects his key toward Alice's), with the improvements of Martinez-Mateo et al.,
 * "Demystifying the information reconciliation protocol Cascade", QIC 15 (2015):
 *  - block sizes as powers of two from the estimated QBER (k1 = 2^⌈log2(1/Q)⌉, k2 = 4·k1, k3 = 16·k1), then
 *    BICONF rounds (one random half-subset each) standing in for their k = n/2 passes;
 *  - every parity Alice revealed, and every parity derivable from two of them (a right half from its block and
 *    left half), is kept in a per-block bisection tree and reused: a later search through a block costs only the
 *    nodes nobody asked before;
 *  - after each flip, the blocks holding that bit in every other pass change parity (the cascade); odd blocks of
 *    the lowest pass are searched first, since they are the smallest and two passes would otherwise chase the
 *    same error.
 * All bisections of one round run in lock-step, one exchange per level. An exchange over the authenticated
 * channel costs two 64-bit tags of pre-shared key, so when few searches are left (the tail of the cascade) the
 * receiver asks for several levels of a subtree at once: a few extra parities leaked save whole exchanges
 * (`exchangeCostBits` sets the exchange rate; 0 turns this off).
 * Leakage is counted exactly: every parity bit Alice sends.
 */
import { binaryEntropy, packWords, parity32 } from './bitops.ts';
import { biconfMembers, biconfParity, inBiconfSubset, type CascadeParityPort, type CascadePassSpec } from './cascade-sender.ts';
import { randomPermutation, seedFrom, Xoshiro128 } from './prng.ts';

export interface CascadeOptions {
  /** Public seed of the shuffles and subsets, drawn by the receiver and announced (authenticated). */
  seed: number;
  /** Block size of the first pass; default 2^⌈log2(1/Q)⌉ from the QBER estimate. */
  firstBlockSize?: number;
  /** Block sizes of the shuffled passes after the first (default [4·k1, 16·k1]). */
  laterBlockSizes?: number[];
  /** BICONF rounds after the shuffled passes (default 16: an even error pattern survives each with probability
   * 1/2; a surviving error is caught by verification, which then discards the block). */
  biconfRounds?: number;
  /** Key bits one exchange costs in authentication (two 64-bit tags = 128); default 0 = never speculate, which
   * keeps f lowest (the benchmark figure); the pipeline passes 128 to trade a few parities for fewer tags. */
  exchangeCostBits?: number;
  /** Search odd blocks of every pass at once instead of the lowest pass first: fewer exchanges (rounds), at the
   * price of sometimes chasing one error from two passes (default false). */
  concurrentPasses?: boolean;
  /** Passes searched from the start (default 1: each later pass joins once the earlier ones are even, as in the
   * original protocol). Opening them all at once with `concurrentPasses` finds errors in every pass in the same
   * rounds: several times fewer exchanges, at a higher leak. */
  initialActivePasses?: number;
}

export interface CascadeResult {
  /** Exact count of parity bits the sender revealed. */
  leakedBits: number;
  /** Key indices the receiver flipped (each a corrected error: Alice's bit there became known). */
  correctedIndices: Int32Array;
  /** Request/response exchanges with the sender (each is two authenticated messages over a network). */
  exchanges: number;
  passes: number;
  /** leakedBits / (n·h(e)), e the error rate actually corrected; NaN when there was no error. */
  efficiency: number;
}

/** Default first-block size: 2^⌈log2(1/Q)⌉, clamped to [8, n/2]. */
export function defaultFirstBlockSize(qber: number, n: number): number {
  const q = Math.min(Math.max(qber, 1e-4), 0.25);
  const k = 2 ** Math.ceil(Math.log2(1 / q));
  return Math.max(8, Math.min(k, 2 ** Math.floor(Math.log2(Math.max(16, n / 2)))));
}

/** Bisection tree of one block: node 1 covers the block, node i's children are 2i (left half) and 2i+1. */
interface PassState {
  kind: 'shuffle' | 'biconf';
  seed: number;
  /** Block length (the whole subset for BICONF). */
  blockSize: number;
  /** Position in pass order → key index (BICONF: built when first searched). */
  order: Int32Array | null;
  inv: Int32Array | null;
  /** Bob's bits in pass order, packed 32 to a word (shuffled passes): a flip is one XOR, a range parity a few
   * words (blocks are short), which beat a Fenwick tree's scattered updates in every pass. */
  perm: Uint32Array | null;
  /** Nodes per block tree (2·2^⌈log2 k⌉). */
  treeSize: number;
  /** Alice's parity per tree node, −1 unknown; allocated when first needed. */
  known: Int8Array | null;
  aliceBlockParity: Uint8Array;
  odd: Uint8Array;
  oddCount: number;
}

interface Search {
  pass: number;
  block: number;
  node: number;
  s: number;
  e: number;
}

export async function cascadeReconcile(bits: Uint8Array, qberEstimate: number, port: CascadeParityPort, opts: CascadeOptions): Promise<CascadeResult> {
  const n = bits.length;
  if (n < 2) return { leakedBits: 0, correctedIndices: new Int32Array(0), exchanges: 0, passes: 0, efficiency: Number.NaN };
  const k1 = opts.firstBlockSize ?? defaultFirstBlockSize(qberEstimate, n);
  const shuffleSizes = [k1, ...(opts.laterBlockSizes ?? [4 * k1, 16 * k1])].map((k) => Math.max(2, Math.min(Math.floor(k), n)));
  const biconfRounds = opts.biconfRounds ?? 16;
  const exchangeCost = opts.exchangeCostBits ?? 0;
  const concurrent = opts.concurrentPasses ?? false;
  const seedRng = new Xoshiro128(seedFrom(opts.seed));

  const packed = packWords(bits);
  const passes: PassState[] = [];
  const corrected: number[] = [];
  let leaked = 0;
  let exchanges = 0;

  // ---- open every pass in one exchange: Alice's parities are facts that no later correction changes
  const specs: CascadePassSpec[] = [];
  for (const k of shuffleSizes) specs.push({ kind: 'shuffle', seed: [seedRng.nextU32(), seedRng.nextU32(), seedRng.nextU32(), seedRng.nextU32()], blockSize: k });
  for (let r = 0; r < biconfRounds; r++) specs.push({ kind: 'biconf', seed: seedRng.nextU32() | 0 });
  const opened = await port.openPasses(specs);
  exchanges++;
  if (opened.length !== specs.length) throw new Error(`cascade: ${opened.length} passes opened of ${specs.length}`);
  for (let j = 0; j < specs.length; j++) {
    const spec = specs[j];
    const alice = opened[j];
    leaked += alice.length;
    if (spec.kind === 'shuffle') passes.push(openShuffle(spec.seed, spec.blockSize, alice));
    else {
      const odd = Uint8Array.of(biconfParity(packed, spec.seed) ^ alice[0]);
      passes.push({ kind: 'biconf', seed: spec.seed, blockSize: 0, order: null, inv: null, perm: null, treeSize: 0, known: null, aliceBlockParity: alice, odd, oddCount: odd[0] });
    }
  }

  function openShuffle(seed: [number, number, number, number], k: number, alice: Uint8Array): PassState {
    const order = randomPermutation(n, seed);
    const inv = new Int32Array(n);
    const perm = new Uint32Array((n + 31) >>> 5);
    for (let i = 0; i < n; i++) {
      const x = order[i];
      inv[x] = i;
      perm[i >>> 5] |= bits[x] << (i & 31);
    }
    const blocks = Math.ceil(n / k);
    if (alice.length !== blocks) throw new Error(`cascade: ${alice.length} block parities for ${blocks} blocks`);
    const odd = new Uint8Array(blocks);
    let oddCount = 0;
    for (let b = 0; b < blocks; b++) {
      odd[b] = rangeParity(perm, b * k, Math.min(n, (b + 1) * k)) ^ alice[b];
      oddCount += odd[b];
    }
    const treeSize = 2 * 2 ** Math.ceil(Math.log2(k));
    return { kind: 'shuffle', seed: 0, blockSize: k, order, inv, perm, treeSize, known: null, aliceBlockParity: alice, odd, oddCount };
  }

  const flip = (x: number) => {
    bits[x] ^= 1;
    packed[x >>> 5] ^= 1 << (x & 31);
    corrected.push(x);
    for (const p of passes) {
      if (p.kind === 'shuffle') {
        const pos = p.inv![x];
        p.perm![pos >>> 5] ^= 1 << (pos & 31);
        const b = (pos / p.blockSize) | 0;
        p.odd[b] ^= 1;
        p.oddCount += p.odd[b] ? 1 : -1;
      } else if (inBiconfSubset(p.seed, x)) {
        p.odd[0] ^= 1;
        p.oddCount = p.odd[0];
      }
    }
  };

  const bobParity = (p: PassState, s: number, e: number): number => {
    if (p.perm) return rangeParity(p.perm, s, e);
    let r = 0;
    const m = p.order!;
    for (let i = s; i < e; i++) r ^= bits[m[i]];
    return r;
  };

  const treeOf = (p: PassState): Int8Array => {
    if (!p.known) {
      p.known = new Int8Array(p.treeSize * p.odd.length).fill(-1);
      for (let b = 0; b < p.odd.length; b++) p.known[b * p.treeSize + 1] = p.aliceBlockParity[b];
    }
    return p.known;
  };

  /** Bisects the given blocks in lock-step, then applies the corrections found. */
  const bisect = async (searches: Search[]): Promise<void> => {
    const found: number[] = [];
    let active = searches;
    while (active.length > 0) {
      const waiting: Search[] = [];
      for (const sr of active) {
        const p = passes[sr.pass];
        const known = treeOf(p);
        const base = sr.block * p.treeSize;
        for (;;) {
          if (sr.e - sr.s === 1) {
            const x = p.order![sr.s];
            if (bits[x] !== known[base + sr.node]) found.push(x);
            break;
          }
          const left = known[base + 2 * sr.node];
          if (left < 0) {
            waiting.push(sr);
            break;
          }
          descend(p, known, base, sr, left);
        }
      }
      if (waiting.length === 0) break;
      // Speculate deeper when few searches remain: each extra level asked at once saves one exchange.
      const maxDepth = waiting.reduce((d, sr) => Math.max(d, Math.ceil(Math.log2(sr.e - sr.s))), 1);
      let depth = 1;
      if (exchangeCost > 0) {
        // One level deeper costs about S·2^depth more parities and saves one exchange: take it while clearly cheaper.
        while (depth < maxDepth && waiting.length * 2 ** depth <= exchangeCost / 2) depth++;
      }
      const queries: number[] = [];
      const slots: number[] = [];
      const slotPass: number[] = [];
      for (const sr of waiting) {
        const before = slots.length;
        collectLeftChildren(passes[sr.pass], treeOf(passes[sr.pass]), sr.block * passes[sr.pass].treeSize, sr.node, sr.s, sr.e, depth, sr.pass, queries, slots);
        for (let q = before; q < slots.length; q++) slotPass.push(sr.pass);
      }
      const reply = await port.parities(Int32Array.from(queries));
      exchanges++;
      if (reply.length !== slots.length) throw new Error(`cascade: ${reply.length} parities for ${slots.length} queries`);
      leaked += reply.length;
      // Slots were collected parent-before-child, so each right sibling can be derived as soon as its left arrives.
      for (let q = 0; q < slots.length; q++) {
        const p = passes[slotPass[q]];
        const known = p.known!;
        const slot = slots[q];
        known[slot] = reply[q];
        const parent = slot - (slot % p.treeSize) + ((slot % p.treeSize) >>> 1);
        known[slot + 1] = known[parent] ^ reply[q];
      }
      active = waiting;
    }
    // Each found bit is Alice's bit, a fact: flip only if Bob still differs (another search may have fixed it).
    for (const x of found) if (bits[x] !== undefined && !flippedNow.has(x)) {
      flippedNow.add(x);
      flip(x);
    }
    flippedNow.clear();
  };
  const flippedNow = new Set<number>();

  const descend = (p: PassState, known: Int8Array, base: number, sr: Search, aliceLeft: number) => {
    const mid = sr.s + ((sr.e - sr.s) >>> 1);
    const l = 2 * sr.node;
    if (known[base + l + 1] < 0) known[base + l + 1] = known[base + sr.node] ^ aliceLeft;
    if (bobParity(p, sr.s, mid) !== aliceLeft) {
      sr.e = mid;
      sr.node = l;
    } else {
      sr.s = mid;
      sr.node = l + 1;
    }
  };

  /** Unknown left children in the subtree of `node`, `depth` levels down, parents before children. */
  function collectLeftChildren(p: PassState, known: Int8Array, base: number, node: number, s: number, e: number, depth: number, pass: number, queries: number[], slots: number[]): void {
    if (depth === 1) {
      // The common case (many searches, one level per exchange): no intermediate arrays.
      if (e - s >= 2 && known[base + 2 * node] < 0) {
        queries.push(pass, s, s + ((e - s) >>> 1));
        slots.push(base + 2 * node);
      }
      return;
    }
    let level: number[] = [node, s, e];
    for (let d = 0; d < depth; d++) {
      const next: number[] = [];
      for (let i = 0; i < level.length; i += 3) {
        const nd = level[i];
        const ls = level[i + 1];
        const le = level[i + 2];
        if (le - ls < 2) continue;
        const mid = ls + ((le - ls) >>> 1);
        if (known[base + 2 * nd] < 0) {
          queries.push(pass, ls, mid);
          slots.push(base + 2 * nd);
        }
        next.push(2 * nd, ls, mid, 2 * nd + 1, mid, le);
      }
      level = next;
    }
  }

  // ---- settle: search odd blocks, lowest pass first, until every block of every pass agrees in parity
  let activePasses = Math.max(1, Math.min(passes.length, opts.initialActivePasses ?? 1));
  for (;;) {
    // Passes join one at a time, as in the original protocol: a pass is searched only after every earlier pass
    // has been made even once (otherwise its odd blocks mostly hold errors an earlier, cheaper pass will fix).
    const j = passes.findIndex((p, i) => i < activePasses && p.oddCount > 0);
    if (j < 0) {
      if (activePasses >= passes.length) break;
      activePasses++;
      continue;
    }
    const searches: Search[] = [];
    const last = concurrent ? activePasses - 1 : j;
    for (let pi = j; pi <= last; pi++) {
      const p = passes[pi];
      if (p.oddCount === 0) continue;
      if (p.kind === 'biconf' && !p.order) {
        p.order = biconfMembers(p.seed, n);
        p.blockSize = p.order.length;
        p.treeSize = 2 * 2 ** Math.ceil(Math.log2(Math.max(2, p.blockSize)));
      }
      for (let b = 0; b < p.odd.length; b++) {
        if (!p.odd[b]) continue;
        const s = b * p.blockSize;
        searches.push({ pass: pi, block: b, node: 1, s, e: Math.min(p.kind === 'shuffle' ? n : p.blockSize, s + p.blockSize) });
      }
    }
    await bisect(searches);
  }

  const e = corrected.length / n;
  return {
    leakedBits: leaked,
    correctedIndices: Int32Array.from(corrected),
    exchanges,
    passes: passes.length,
    efficiency: corrected.length > 0 ? leaked / (n * binaryEntropy(e)) : Number.NaN,
  };
}

/** Parity of bits [s, e) of a packed bit array. */
function rangeParity(w: Uint32Array, s: number, e: number): number {
  if (s >= e) return 0;
  const ws = s >>> 5;
  const we = (e - 1) >>> 5;
  const lo = -1 << (s & 31);
  const hi = -1 >>> (31 - ((e - 1) & 31));
  if (ws === we) return parity32(w[ws] & lo & hi);
  let acc = w[ws] & lo;
  for (let i = ws + 1; i < we; i++) acc ^= w[i];
  return parity32(acc ^ (w[we] & hi));
}
