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
 *
 * Speed (10^6-bit blocks): Bob keeps his bits in each pass's order packed 32 to a word, so a range parity is a few
 * word XORs and a flip one XOR; a shuffled pass's tables (order, inverse, packed bits) are built only when the pass
 * joins the search; flips found in a round are applied in batches (their n-sized table reads overlap); the block
 * trees take two bits per node. Most of what remains is the Fisher–Yates shuffles themselves.
 */
import { binaryEntropy, parity32 } from './bitops.ts';
import { biconfMembers, biconfParity, gatherPacked, inBiconfSubset, packBits01, shuffledPass, type CascadeParityPort, type CascadePassSpec } from './cascade-sender.ts';
import { hash32, seedFrom, Xoshiro128 } from './prng.ts';

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

const KIND_SHUFFLE = 0;
const KIND_BICONF = 1;

/**
 * The receiver's state, one slot per pass in flat typed arrays (passes are few; the hot loops index by pass).
 * Block j of pass p covers positions [j·k, min(len, (j+1)·k)) of the pass order. Bisection tree of one block:
 * node 1 covers the block, node i's children are 2i (left half) and 2i+1.
 */
class Receiver {
  readonly n: number;
  readonly bits: Uint8Array;
  /** Bob's key packed 32 to a word (BICONF parities, gathering pass orders). */
  readonly packed: Uint32Array;
  readonly passCount: number;
  readonly kind: Uint8Array;
  readonly seed: Int32Array;
  readonly shuffleSeed: ([number, number, number, number] | null)[];
  /** Block length (the whole subset for BICONF once built). */
  readonly blockSize: Int32Array;
  /** Positions in the pass: n for a shuffle, the subset size for a built BICONF round. */
  readonly passLen: Int32Array;
  /** Nodes per block tree (2·2^⌈log2 k⌉, a power of two). */
  readonly treeSize: Int32Array;
  /** Position in pass order → key index (BICONF: built when first searched). */
  readonly order: (Int32Array | null)[];
  /** Key index → position (shuffles); BICONF rounds find positions by rank in their membership mask. */
  readonly inv: (Int32Array | null)[];
  /** Bob's bits in pass order, packed 32 to a word: a flip is one XOR, a range parity a few words (blocks are
   * short), which beat a Fenwick tree's scattered updates in every pass. */
  readonly perm: (Uint32Array | null)[];
  /** Built BICONF rounds: membership mask per key word and members before each word (rank = position). */
  readonly mask: (Uint32Array | null)[];
  readonly rankBase: (Int32Array | null)[];
  /** Alice's parity per tree node, two bits each (see knownAt), 16 nodes a word: the trees of a pass take n/8
   * bytes instead of 2n, so the searches' scattered visits mostly hit cache. Allocated when first needed. */
  readonly known: (Uint32Array | null)[];
  readonly aliceBlockParity: Uint8Array[];
  readonly odd: Uint8Array[];
  readonly oddCount: Int32Array;
  /** Blocks that turned odd since the pass was last searched (each listed once, flagged in `listed`): a search
   * round visits only these instead of scanning every block. */
  readonly pending: Int32Array[];
  readonly pendingLen: Int32Array;
  readonly listed: Uint8Array[];
  /** Unbuilt BICONF rounds: `odd` is up to date with corrected[0 .. biconfSeen), −1 before the first count. Kept
   * lazily: most rounds are never searched, a round is first looked at after most errors are fixed, and one
   * count over the packed key is cheaper than a subset test per flip. */
  readonly biconfSeen: Int32Array;

  corrected: Int32Array<ArrayBuffer>;
  correctedCount = 0;
  leaked = 0;
  exchanges = 0;

  // Lock-step bisections, structure of arrays; reused across rounds.
  sPass = new Int32Array(64);
  sBase = new Int32Array(64);
  sNode = new Int32Array(64);
  sS = new Int32Array(64);
  sE = new Int32Array(64);
  searchCount = 0;
  /** Errors found this round, as (pass, position); fx and fTmp are scratch of the same length. */
  fPass = new Int32Array(64);
  fPos = new Int32Array(64);
  fx = new Int32Array(64);
  fTmp = new Int32Array(64);
  queries = new Int32Array(192);
  slots = new Int32Array(64);
  slotPass = new Int32Array(64);
  /** Marks bits already flipped in the current round (two searches in different passes may find the same
   * error); allocated on first need. */
  mark: Uint8Array | null = null;

  constructor(bits: Uint8Array, passCount: number) {
    const n = bits.length;
    this.n = n;
    this.bits = bits;
    this.packed = packBits01(bits);
    this.passCount = passCount;
    this.kind = new Uint8Array(passCount);
    this.seed = new Int32Array(passCount);
    this.shuffleSeed = new Array(passCount).fill(null);
    this.blockSize = new Int32Array(passCount);
    this.passLen = new Int32Array(passCount);
    this.treeSize = new Int32Array(passCount);
    this.order = new Array(passCount).fill(null);
    this.inv = new Array(passCount).fill(null);
    this.perm = new Array(passCount).fill(null);
    this.mask = new Array(passCount).fill(null);
    this.rankBase = new Array(passCount).fill(null);
    this.known = new Array(passCount).fill(null);
    this.aliceBlockParity = new Array(passCount);
    this.odd = new Array(passCount);
    this.oddCount = new Int32Array(passCount);
    this.pending = new Array(passCount);
    this.pendingLen = new Int32Array(passCount);
    this.listed = new Array(passCount);
    this.biconfSeen = new Int32Array(passCount);
    this.corrected = new Int32Array(Math.max(16, n >>> 6));
  }

  /** Records a shuffled pass; its order and Bob's parities are built when the pass first joins the search. */
  openShuffle(p: number, seed: [number, number, number, number], k: number, alice: Uint8Array): void {
    const blocks = Math.ceil(this.n / k);
    if (alice.length !== blocks) throw new Error(`cascade: ${alice.length} block parities for ${blocks} blocks`);
    this.kind[p] = KIND_SHUFFLE;
    this.shuffleSeed[p] = seed;
    this.blockSize[p] = k;
    this.passLen[p] = this.n;
    this.treeSize[p] = 2 * 2 ** Math.ceil(Math.log2(k));
    this.aliceBlockParity[p] = alice;
    this.odd[p] = new Uint8Array(blocks);
  }

  /**
   * A pass joins the search: a shuffled pass gets its order, Bob's bits in that order (from his key as corrected
   * so far) and its odd blocks. Until then no flip has to visit it: in the plain mode the later passes join after
   * most errors are fixed, so their n-sized tables stay out of the cache while the first pass settles.
   */
  activate(p: number): void {
    if (this.kind[p] !== KIND_SHUFFLE || this.perm[p] !== null) return;
    const n = this.n;
    const k = this.blockSize[p];
    const alice = this.aliceBlockParity[p];
    const blocks = alice.length;
    const inv = new Int32Array(n);
    const { order, perm } = shuffledPass(this.packed, n, this.shuffleSeed[p]!, inv, null);
    const odd = this.odd[p];
    const pending = new Int32Array(blocks);
    const listed = new Uint8Array(blocks);
    const oddCount = findOddBlocks(perm, n, k, alice, odd, pending, listed);
    this.order[p] = order;
    this.inv[p] = inv;
    this.perm[p] = perm;
    this.oddCount[p] = oddCount;
    this.pending[p] = pending;
    this.pendingLen[p] = oddCount;
    this.listed[p] = listed;
  }

  openBiconf(p: number, seed: number, alice: Uint8Array): void {
    if (alice.length !== 1) throw new Error(`cascade: ${alice.length} parities for a BICONF round`);
    this.kind[p] = KIND_BICONF;
    this.seed[p] = seed;
    this.aliceBlockParity[p] = alice;
    // Bob's parity is counted when the round is first looked at (see biconfSeen), after most errors are fixed.
    this.odd[p] = new Uint8Array(1);
    this.oddCount[p] = 0;
    this.biconfSeen[p] = -1;
  }

  /** Whether pass p has an odd block now. */
  isOdd(p: number): boolean {
    if (this.kind[p] === KIND_BICONF && this.perm[p] === null) this.syncBiconf(p);
    return this.oddCount[p] > 0;
  }

  /** Brings an unbuilt BICONF round's parity up to date with the flips since it was last looked at. */
  private syncBiconf(p: number): void {
    const seen = this.biconfSeen[p];
    const count = this.correctedCount;
    if (seen === count) return;
    const seed = this.seed[p];
    let o = this.odd[p][0];
    if (seen < 0 || count - seen > this.packed.length) o = biconfParity(this.packed, seed) ^ this.aliceBlockParity[p][0];
    else for (let i = seen; i < count; i++) o ^= inBiconfSubset(seed, this.corrected[i]);
    this.odd[p][0] = o;
    this.oddCount[p] = o;
    this.biconfSeen[p] = count;
  }

  /** A BICONF round about to be searched: its order (the subset, increasing), Bob's bits in it, and its rank table. */
  buildBiconf(p: number): void {
    if (this.perm[p] !== null) return;
    this.syncBiconf(p);
    const seed = this.seed[p];
    const order = biconfMembers(seed, this.n);
    const words = this.packed.length;
    const mask = new Uint32Array(words);
    const rankBase = new Int32Array(words);
    let count = 0;
    for (let w = 0; w < words; w++) {
      let m = hash32(seed, w);
      if (w === words - 1 && (this.n & 31) !== 0) m &= (1 << (this.n & 31)) - 1;
      mask[w] = m;
      rankBase[w] = count;
      count += popcount32(m);
    }
    this.order[p] = order;
    this.perm[p] = gatherPacked(this.packed, order);
    this.mask[p] = mask;
    this.rankBase[p] = rankBase;
    this.blockSize[p] = order.length;
    this.passLen[p] = order.length;
    this.treeSize[p] = 2 * 2 ** Math.ceil(Math.log2(Math.max(2, order.length)));
    this.pending[p] = new Int32Array(1);
    this.listed[p] = new Uint8Array(1);
  }

  treeOf(p: number): Uint32Array {
    let known = this.known[p];
    if (known === null) {
      const ts = this.treeSize[p];
      const alice = this.aliceBlockParity[p];
      known = new Uint32Array((ts * alice.length + 15) >>> 4); // all unknown
      setRoots(known, ts, alice);
      this.known[p] = known;
    }
    return known;
  }

  /** Queues a bisection of block b of pass p. */
  addSearch(p: number, b: number): void {
    const i = this.searchCount;
    this.ensureSearches(i + 1);
    const k = this.blockSize[p];
    const s = b * k;
    this.sPass[i] = p;
    this.sBase[i] = b * this.treeSize[p];
    this.sNode[i] = 1;
    this.sS[i] = s;
    this.sE[i] = Math.min(this.passLen[p], s + k);
    this.searchCount = i + 1;
  }

  /** Queues every odd block of pass p (those listed since its last search that are still odd). */
  addOddBlocks(p: number): void {
    if (this.kind[p] === KIND_BICONF) {
      this.buildBiconf(p);
      this.treeOf(p);
      if (this.odd[p][0]) this.addSearch(p, 0);
      return;
    }
    this.treeOf(p);
    const len = this.pendingLen[p];
    this.pendingLen[p] = 0;
    this.ensureSearches(this.searchCount + len);
    this.searchCount = queueOddBlocks(
      this.pending[p],
      len,
      this.listed[p],
      this.odd[p],
      p,
      this.blockSize[p],
      this.treeSize[p],
      this.passLen[p],
      this.searchCount,
      this.sPass,
      this.sBase,
      this.sNode,
      this.sS,
      this.sE,
    );
  }

  private ensureSearches(count: number): void {
    while (this.sPass.length < count) {
      this.sPass = grow(this.sPass);
      this.sBase = grow(this.sBase);
      this.sNode = grow(this.sNode);
      this.sS = grow(this.sS);
      this.sE = grow(this.sE);
    }
  }

  /**
   * Flips the bits found this round (each a corrected error) and updates every pass they lie in. Found as
   * (pass, position); the key indices and the positions in the other passes are random reads into n-sized
   * tables, so each is done for the whole batch in one tight loop whose loads overlap in the memory system,
   * rather than one dependent chain per flip.
   */
  private applyFlips(nFound: number): void {
    const fPass = this.fPass;
    const fPos = this.fPos;
    const fx = this.fx;
    resolveFound(this.order, fPass, fPos, fx, nFound);
    // Two searches in different passes may find the same error: flip it once. (Searches in one pass cover
    // disjoint blocks, so a round within one pass needs no check.)
    const u = singlePass(fPass, nFound) ? nFound : dedupeFound((this.mark ??= new Uint8Array(this.n)), fPass, fPos, fx, nFound);
    while (this.correctedCount + u > this.corrected.length) this.corrected = grow(this.corrected);
    flipKeyBits(this.bits, this.packed, this.corrected, this.correctedCount, fx, u);
    this.correctedCount += u;
    const pos = this.fTmp;
    for (let p = 0; p < this.passCount; p++) {
      const perm = this.perm[p];
      if (perm === null) continue; // an unbuilt BICONF round catches up lazily
      const m = this.kind[p] === KIND_SHUFFLE ? positionsInShuffle(this.inv[p]!, p, fPass, fPos, fx, u, pos) : positionsInSubset(this.mask[p]!, this.rankBase[p]!, fx, u, pos);
      const r = togglePositions(perm, this.blockSize[p], this.odd[p], this.listed[p], this.pending[p], this.pendingLen[p], pos, m);
      this.oddCount[p] += r.oddDelta;
      this.pendingLen[p] = r.pendingLen;
    }
  }

  /** Runs the queued bisections in lock-step (one exchange per level, or several levels when speculating), then
   * applies the corrections found. */
  async bisect(port: CascadeParityPort, exchangeCost: number): Promise<void> {
    let nFound = 0;
    let active = this.searchCount;
    while (active > 0) {
      // Every search has at most one new leaf this round: room for all of them.
      while (this.fPass.length < nFound + active) this.growFound();
      const adv = advanceSearches(active, this.sPass, this.sBase, this.sNode, this.sS, this.sE, this.known, this.perm, this.fPass, this.fPos, nFound);
      nFound = adv.nFound;
      const waiting = adv.waiting;
      active = waiting;
      if (waiting === 0) break;
      // Speculate deeper when few searches remain: each extra level asked at once saves one exchange.
      const maxDepth = Math.max(1, Math.ceil(Math.log2(adv.maxLen)));
      let depth = 1;
      if (exchangeCost > 0) {
        // One level deeper costs about S·2^depth more parities and saves one exchange: take it while clearly cheaper.
        while (depth < maxDepth && waiting * 2 ** depth <= exchangeCost / 2) depth++;
      }
      const nq = depth === 1 ? this.collectLevel(waiting) : this.collectSubtrees(waiting, depth);
      const reply = await port.parities(this.queries.slice(0, 3 * nq));
      this.exchanges++;
      if (reply.length !== nq) throw new Error(`cascade: ${reply.length} parities for ${nq} queries`);
      this.leaked += nq;
      storeReplies(reply, nq, this.slots, this.slotPass, this.known, this.treeSize);
    }
    this.searchCount = 0;
    // Each found bit is Alice's bit, a fact.
    this.applyFlips(nFound);
  }

  private growFound(): void {
    this.fPass = grow(this.fPass);
    this.fPos = grow(this.fPos);
    this.fx = grow(this.fx);
    this.fTmp = grow(this.fTmp);
  }

  private ensureQueries(nq: number): void {
    if (this.slots.length < nq) {
      let c = this.slots.length;
      while (c < nq) c *= 2;
      this.slots = new Int32Array(c);
      this.slotPass = new Int32Array(c);
      this.queries = new Int32Array(3 * c);
    }
  }

  /** The common case (many searches, one level per exchange): the unknown left child of each waiting search. */
  private collectLevel(waiting: number): number {
    this.ensureQueries(waiting);
    const queries = this.queries;
    const slots = this.slots;
    const slotPass = this.slotPass;
    let nq = 0;
    for (let t = 0; t < waiting; t++) {
      const p = this.sPass[t];
      const s = this.sS[t];
      const e = this.sE[t];
      // A waiting search has e − s ≥ 2 and an unknown left child.
      queries[3 * nq] = p;
      queries[3 * nq + 1] = s;
      queries[3 * nq + 2] = s + ((e - s) >>> 1);
      slots[nq] = this.sBase[t] + 2 * this.sNode[t];
      slotPass[nq] = p;
      nq++;
    }
    return nq;
  }

  /** Unknown left children in the subtree of each waiting search, `depth` levels down, parents before children. */
  private collectSubtrees(waiting: number, depth: number): number {
    this.ensureQueries(waiting * 2 ** depth);
    let nq = 0;
    for (let t = 0; t < waiting; t++) {
      const p = this.sPass[t];
      const known = this.known[p]!;
      const base = this.sBase[t];
      let level: number[] = [this.sNode[t], this.sS[t], this.sE[t]];
      for (let d = 0; d < depth; d++) {
        const next: number[] = [];
        for (let i = 0; i < level.length; i += 3) {
          const nd = level[i];
          const ls = level[i + 1];
          const le = level[i + 2];
          if (le - ls < 2) continue;
          const mid = ls + ((le - ls) >>> 1);
          if (knownAt(known, base + 2 * nd) === UNKNOWN) {
            this.queries[3 * nq] = p;
            this.queries[3 * nq + 1] = ls;
            this.queries[3 * nq + 2] = mid;
            this.slots[nq] = base + 2 * nd;
            this.slotPass[nq] = p;
            nq++;
          }
          next.push(2 * nd, ls, mid, 2 * nd + 1, mid, le);
        }
        level = next;
      }
    }
    return nq;
  }
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

  // ---- open every pass in one exchange: Alice's parities are facts that no later correction changes
  const specs: CascadePassSpec[] = [];
  for (const k of shuffleSizes) specs.push({ kind: 'shuffle', seed: [seedRng.nextU32(), seedRng.nextU32(), seedRng.nextU32(), seedRng.nextU32()], blockSize: k });
  for (let r = 0; r < biconfRounds; r++) specs.push({ kind: 'biconf', seed: seedRng.nextU32() | 0 });
  const opened = await port.openPasses(specs);
  if (opened.length !== specs.length) throw new Error(`cascade: ${opened.length} passes opened of ${specs.length}`);
  const st = new Receiver(bits, specs.length);
  st.exchanges = 1;
  for (let j = 0; j < specs.length; j++) {
    const spec = specs[j];
    st.leaked += opened[j].length;
    if (spec.kind === 'shuffle') st.openShuffle(j, spec.seed, spec.blockSize, opened[j]);
    else st.openBiconf(j, spec.seed, opened[j]);
  }

  // ---- settle: search odd blocks, lowest pass first, until every block of every pass agrees in parity
  const passCount = specs.length;
  let activePasses = Math.max(1, Math.min(passCount, opts.initialActivePasses ?? 1));
  for (let i = 0; i < activePasses; i++) st.activate(i);
  for (;;) {
    // Passes join one at a time, as in the original protocol: a pass is searched only after every earlier pass
    // has been made even once (otherwise its odd blocks mostly hold errors an earlier, cheaper pass will fix).
    let j = -1;
    for (let i = 0; i < activePasses; i++) {
      if (st.isOdd(i)) {
        j = i;
        break;
      }
    }
    if (j < 0) {
      if (activePasses >= passCount) break;
      st.activate(activePasses++);
      continue;
    }
    const last = concurrent ? activePasses - 1 : j;
    for (let pi = j; pi <= last; pi++) if (st.isOdd(pi)) st.addOddBlocks(pi);
    await st.bisect(port, exchangeCost);
  }

  const corrected = st.corrected.slice(0, st.correctedCount);
  const e = corrected.length / n;
  return {
    leakedBits: st.leaked,
    correctedIndices: corrected,
    exchanges: st.exchanges,
    passes: passCount,
    efficiency: corrected.length > 0 ? st.leaked / (n * binaryEntropy(e)) : Number.NaN,
  };
}

// ---- hot loops as small module-level functions taking typed arrays: each runs to its end and returns, so an
// optimised loop never falls into code the interpreter has not seen yet (which would deoptimise it every call).

const advanceResult = { waiting: 0, nFound: 0, maxLen: 2 };

/**
 * One round of the lock-step bisections: each search descends while Alice's parity of its left half is known
 * (comparing Bob's), ending at a leaf (an error found, as pass and position) or at an unknown left half (kept,
 * compacted to the front, to be asked).
 */
function advanceSearches(
  active: number,
  sPass: Int32Array,
  sBase: Int32Array,
  sNode: Int32Array,
  sS: Int32Array,
  sE: Int32Array,
  knownOf: (Uint32Array | null)[],
  permOf: (Uint32Array | null)[],
  fPass: Int32Array,
  fPos: Int32Array,
  nFound0: number,
): { waiting: number; nFound: number; maxLen: number } {
  let nFound = nFound0;
  let waiting = 0;
  let maxLen = 2;
  for (let t = 0; t < active; t++) {
    const p = sPass[t];
    const known = knownOf[p]!;
    const perm = permOf[p]!;
    const base = sBase[t];
    let node = sNode[t];
    let s = sS[t];
    let e = sE[t];
    for (;;) {
      if (e - s === 1) {
        // Alice's bit at this position is known; Bob's differs (the search only follows odd halves).
        if (((perm[s >>> 5] >>> (s & 31)) & 1) !== (knownAt(known, base + node) & 1)) {
          fPass[nFound] = p;
          fPos[nFound] = s;
          nFound++;
        }
        break;
      }
      const l = 2 * node;
      const kl = knownAt(known, base + l);
      if (kl === UNKNOWN) {
        // Compact the still-open searches to the front (waiting ≤ t).
        sPass[waiting] = p;
        sBase[waiting] = base;
        sNode[waiting] = node;
        sS[waiting] = s;
        sE[waiting] = e;
        waiting++;
        if (e - s > maxLen) maxLen = e - s;
        break;
      }
      const mid = s + ((e - s) >>> 1);
      const left = kl & 1;
      if (knownAt(known, base + l + 1) === UNKNOWN) setKnown(known, base + l + 1, (knownAt(known, base + node) & 1) ^ left);
      if (rangeParity(perm, s, mid) !== left) {
        e = mid;
        node = l;
      } else {
        s = mid;
        node = l + 1;
      }
    }
  }
  advanceResult.waiting = waiting;
  advanceResult.nFound = nFound;
  advanceResult.maxLen = maxLen;
  return advanceResult;
}

/** Alice's answers into the block trees. Slots were collected parent-before-child, so each right sibling is
 * derived (parent ^ left) as soon as its left arrives. */
function storeReplies(reply: Uint8Array, nq: number, slots: Int32Array, slotPass: Int32Array, knownOf: (Uint32Array | null)[], treeSize: Int32Array): void {
  for (let q = 0; q < nq; q++) {
    const p = slotPass[q];
    const known = knownOf[p]!;
    const slot = slots[q];
    const r = reply[q];
    const ts = treeSize[p];
    const parent = slot - (slot & (ts - 1)) + ((slot & (ts - 1)) >>> 1);
    // Both children were unknown (a right child is only ever set together with its left).
    setKnown(known, slot, r);
    setKnown(known, slot + 1, (knownAt(known, parent) & 1) ^ r);
  }
}

/** Bob's odd blocks of a newly built pass; lists them in `pending` and returns their count. */
function findOddBlocks(perm: Uint32Array, n: number, k: number, alice: Uint8Array, odd: Uint8Array, pending: Int32Array, listed: Uint8Array): number {
  let oddCount = 0;
  for (let b = 0; b < alice.length; b++) {
    const o = rangeParity(perm, b * k, Math.min(n, (b + 1) * k)) ^ alice[b];
    odd[b] = o;
    listed[b] = o;
    if (o) pending[oddCount++] = b;
  }
  return oddCount;
}

/** Alice's block parities at the roots of the block trees. */
function setRoots(known: Uint32Array, treeSize: number, alice: Uint8Array): void {
  for (let b = 0; b < alice.length; b++) setKnown(known, b * treeSize + 1, alice[b]);
}

/** Tree node g's state: UNKNOWN (0), or KNOWN | Alice's parity. */
const UNKNOWN = 0;
const KNOWN = 2;
function knownAt(known: Uint32Array, g: number): number {
  return (known[g >>> 4] >>> ((g & 15) << 1)) & 3;
}
/** Records Alice's parity v of an unknown node g. */
function setKnown(known: Uint32Array, g: number, v: number): void {
  known[g >>> 4] |= (KNOWN | v) << ((g & 15) << 1);
}

/** Queues a search for every listed block still odd (unlisting all); returns the new search count. */
function queueOddBlocks(
  pending: Int32Array,
  len: number,
  listed: Uint8Array,
  odd: Uint8Array,
  p: number,
  k: number,
  treeSize: number,
  passLen: number,
  count: number,
  sPass: Int32Array,
  sBase: Int32Array,
  sNode: Int32Array,
  sS: Int32Array,
  sE: Int32Array,
): number {
  let c = count;
  for (let i = 0; i < len; i++) {
    const b = pending[i];
    listed[b] = 0;
    if (odd[b] === 0) continue;
    const s = b * k;
    sPass[c] = p;
    sBase[c] = b * treeSize;
    sNode[c] = 1;
    sS[c] = s;
    sE[c] = Math.min(passLen, s + k);
    c++;
  }
  return c;
}

/** Key index of each found (pass, position). */
function resolveFound(order: (Int32Array | null)[], fPass: Int32Array, fPos: Int32Array, fx: Int32Array, nFound: number): void {
  for (let i = 0; i < nFound; i++) fx[i] = order[fPass[i]]![fPos[i]];
}

/** Whether every found error came from the same pass. */
function singlePass(fPass: Int32Array, nFound: number): boolean {
  for (let i = 1; i < nFound; i++) if (fPass[i] !== fPass[0]) return false;
  return true;
}

/** Drops repeated key indices (keeping the first), compacting the three lists; returns the count kept. */
function dedupeFound(mark: Uint8Array, fPass: Int32Array, fPos: Int32Array, fx: Int32Array, nFound: number): number {
  let u = 0;
  for (let i = 0; i < nFound; i++) {
    const x = fx[i];
    if (mark[x] !== 0) continue;
    mark[x] = 1;
    fx[u] = x;
    fPass[u] = fPass[i];
    fPos[u] = fPos[i];
    u++;
  }
  for (let i = 0; i < u; i++) mark[fx[i]] = 0;
  return u;
}

/** Flips the key bits (both copies) and appends them to the corrected list at `at`. */
function flipKeyBits(bits: Uint8Array, packed: Uint32Array, corrected: Int32Array, at: number, fx: Int32Array, u: number): void {
  for (let i = 0; i < u; i++) {
    const x = fx[i];
    bits[x] ^= 1;
    packed[x >>> 5] ^= 1 << (x & 31);
    corrected[at + i] = x;
  }
}

/** Positions of the flipped bits in shuffled pass p (known directly for those found in p). */
function positionsInShuffle(inv: Int32Array, p: number, fPass: Int32Array, fPos: Int32Array, fx: Int32Array, u: number, pos: Int32Array): number {
  for (let i = 0; i < u; i++) pos[i] = fPass[i] === p ? fPos[i] : inv[fx[i]];
  return u;
}

/** Positions of the flipped bits that lie in a built BICONF subset (rank in its membership mask). */
function positionsInSubset(mask: Uint32Array, rankBase: Int32Array, fx: Int32Array, u: number, pos: Int32Array): number {
  let m = 0;
  for (let i = 0; i < u; i++) {
    const x = fx[i];
    const w = x >>> 5;
    const bit = 1 << (x & 31);
    if ((mask[w] & bit) !== 0) pos[m++] = rankBase[w] + popcount32(mask[w] & (bit - 1));
  }
  return m;
}

const toggleResult = { oddDelta: 0, pendingLen: 0 };

/** Flips Bob's bits at the positions of one pass, toggling their blocks' parity and listing blocks turned odd. */
function togglePositions(perm: Uint32Array, k: number, odd: Uint8Array, listed: Uint8Array, pending: Int32Array, pendingLen: number, pos: Int32Array, m: number): { oddDelta: number; pendingLen: number } {
  let delta = 0;
  let len = pendingLen;
  for (let i = 0; i < m; i++) {
    const q = pos[i];
    perm[q >>> 5] ^= 1 << (q & 31);
    const b = (q / k) | 0;
    const o = odd[b] ^ 1;
    odd[b] = o;
    delta += 2 * o - 1;
    if (o !== 0 && listed[b] === 0) {
      listed[b] = 1;
      pending[len++] = b;
    }
  }
  toggleResult.oddDelta = delta;
  toggleResult.pendingLen = len;
  return toggleResult;
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(16, a.length * 2));
  b.set(a);
  return b;
}

function popcount32(m: number): number {
  let c = m - ((m >>> 1) & 0x55555555);
  c = (c & 0x33333333) + ((c >>> 2) & 0x33333333);
  return Math.imul((c + (c >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
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
