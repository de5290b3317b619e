/**
 * The sender's (Alice's) half of Cascade: she never changes her key, so every parity she reveals is a fixed fact
 * that the receiver may cache and reuse. She answers two kinds of request: the top-level parities of a new pass,
 * and parities of ranges [start, end) in a pass's order. Each parity she returns is one bit leaked to Eve; the
 * receiver counts them (cascade.ts).
 */
import { packWordsBranchFree, parity32 } from './bitops.ts';
import { hash32 } from './prng.ts';

/** How a pass orders the key: a shuffled pass cut into blocks, or a BICONF round (one random subset). */
export type CascadePassSpec =
  | { kind: 'shuffle'; seed: [number, number, number, number]; blockSize: number }
  | { kind: 'biconf'; seed: number };

/** What the receiver sees of the sender: over a network link or in process. */
export interface CascadeParityPort {
  /** Opens the next passes (in order); returns the sender's parity of every block of each (one bit for a
   * BICONF subset). Her parities never change, so all passes can be opened in one exchange up front. */
  openPasses(specs: CascadePassSpec[]): Promise<Uint8Array[]>;
  /** Parities of ranges of earlier-opened passes, queries as (passIndex, start, end) triples. */
  parities(queries: Int32Array): Promise<Uint8Array>;
}

/** Membership of index x in BICONF subset `seed`: one bit of a stateless public hash, so either side can test it. */
export function inBiconfSubset(seed: number, x: number): number {
  return (hash32(seed, x >>> 5) >>> (x & 31)) & 1;
}

/** The indices of the BICONF subset in increasing order. */
export function biconfMembers(seed: number, n: number): Int32Array {
  const words = (n + 31) >>> 5;
  let count = 0;
  const masks = new Uint32Array(words);
  for (let w = 0; w < words; w++) {
    let m = hash32(seed, w);
    if (w === words - 1 && (n & 31) !== 0) m &= (1 << (n & 31)) - 1;
    masks[w] = m;
    let c = m - ((m >>> 1) & 0x55555555);
    c = (c & 0x33333333) + ((c >>> 2) & 0x33333333);
    count += (Math.imul((c + (c >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
  }
  const out = new Int32Array(count);
  let k = 0;
  for (let w = 0; w < words; w++) {
    let m = masks[w];
    while (m !== 0) {
      const t = 31 - Math.clz32(m & -m);
      out[k++] = (w << 5) + t;
      m &= m - 1;
    }
  }
  return out;
}

/** Parity of the BICONF subset of a packed key: XOR of (key & mask) over words. */
export function biconfParity(packed: Uint32Array, seed: number): number {
  return parity32(maskedXor(packed, seed));
}

/** XOR over words of packed[w] & hash32(seed, w) (hash32 inlined: this runs over the whole key per round). */
function maskedXor(packed: Uint32Array, seed: number): number {
  let acc = 0;
  for (let w = 0; w < packed.length; w++) {
    let x = (seed ^ Math.imul(w, 0x9e3779b1)) | 0;
    x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
    x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
    acc ^= packed[w] & (x ^ (x >>> 16));
  }
  return acc;
}

interface SenderPass {
  /** Inclusive prefix parities of the key in pass order, packed: bit i = parity of positions 0..i. A range parity
   * is two bit reads, and the table is n/8 bytes (stays in cache) instead of a byte per position. Built lazily
   * for BICONF rounds. */
  prefix: Uint32Array | null;
  /** Positions in the pass (n for a shuffle, the subset size for BICONF once built). */
  length: number;
  spec: CascadePassSpec;
}

export class CascadeSender {
  private readonly passes: SenderPass[] = [];
  /** Parity bits revealed so far: the sender's own count of the reconciliation leakage. */
  revealedBits = 0;
  private readonly packed: Uint32Array;
  private scratch: Uint8Array | null = null;

  constructor(private readonly bits: Uint8Array) {
    this.packed = packBits01(bits);
  }

  openPass(spec: CascadePassSpec): Uint8Array {
    const n = this.bits.length;
    if (spec.kind === 'biconf') {
      this.passes.push({ prefix: null, length: 0, spec });
      this.revealedBits += 1;
      return Uint8Array.of(biconfParity(this.packed, spec.seed));
    }
    if (!(spec.blockSize >= 1)) throw new RangeError(`cascade: block size ${spec.blockSize}`);
    // Only parities of ranges are ever asked, so the order itself is not needed: shuffle a copy of the key's bits
    // with the same swaps (a 1-byte-per-bit array stays in cache, a 4-byte index array does not).
    if (this.scratch === null) this.scratch = new Uint8Array(n);
    this.scratch.set(this.bits);
    fisherYates(this.scratch, n, spec.seed);
    const prefix = prefixParityWords(packBits01(this.scratch));
    this.passes.push({ prefix, length: n, spec });
    const k = spec.blockSize;
    const blocks = Math.ceil(n / k);
    const out = blockParities(prefix, n, k, blocks);
    this.revealedBits += blocks;
    return out;
  }

  parities(queries: Int32Array): Uint8Array {
    const len = queries.length;
    if (len % 3 !== 0) throw new RangeError('cascade: queries come in (pass, start, end) triples');
    const out = new Uint8Array(len / 3);
    const unopened = this.preparePasses(queries);
    if (unopened >= 0) throw new RangeError(`cascade: query for unopened pass ${queries[unopened]}`);
    const bad = answerQueries(this.passes, queries, out);
    if (bad >= 0) throw new RangeError(`cascade: bad range [${queries[bad + 1]}, ${queries[bad + 2]})`);
    this.revealedBits += out.length;
    return out;
  }

  /** Builds the prefix parities of any BICONF round queried for the first time (a round is bisected rarely,
   * only when its parities differ); returns the offset of a query for an unopened pass, or −1. */
  private preparePasses(queries: Int32Array): number {
    const passes = this.passes;
    for (let i = 0; i < queries.length; i += 3) {
      const pass = passes[queries[i]];
      if (pass === undefined) return i;
      if (pass.prefix === null) {
        const members = biconfMembers((pass.spec as { seed: number }).seed, this.bits.length);
        pass.prefix = prefixParityWords(gatherPacked(this.packed, members));
        pass.length = members.length;
      }
    }
    return -1;
  }
}

/** Parity of each block [b·k, min(n, (b+1)·k)) from inclusive prefix parities. */
function blockParities(prefix: Uint32Array, n: number, k: number, blocks: number): Uint8Array {
  const out = new Uint8Array(blocks);
  for (let b = 0; b < blocks; b++) out[b] = prefixBit(prefix, b * k) ^ prefixBit(prefix, Math.min(n, (b + 1) * k));
  return out;
}

/** Range parities of (pass, start, end) queries into `out`; returns the offset of the first bad range, or −1. */
function answerQueries(passes: SenderPass[], queries: Int32Array, out: Uint8Array): number {
  for (let q = 0, i = 0; i < queries.length; q++, i += 3) {
    const pass = passes[queries[i]];
    const s = queries[i + 1];
    const e = queries[i + 2];
    if (!(s >= 0 && s < e && e <= pass.length)) return i;
    const prefix = pass.prefix!;
    out[q] = prefixBit(prefix, s) ^ prefixBit(prefix, e);
  }
  return -1;
}

/**
 * A shuffled pass: the order is Fisher–Yates driven by the public seed (the same permutation as
 * `randomPermutation(n, seed)`), then the key's bits (packed) are gathered into pass order, packed. With `inv`,
 * the gather also fills key index → position. `orderBuf` (length n), when given, is reused for the order.
 */
export function shuffledPass(
  packed: Uint32Array,
  n: number,
  seed: readonly [number, number, number, number],
  inv: Int32Array | null,
  orderBuf: Int32Array | null,
): { order: Int32Array; perm: Uint32Array } {
  const order = orderBuf ?? new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  fisherYates(order, n, seed);
  const perm = inv === null ? gatherPacked(packed, order) : gatherPackedInverse(packed, order, inv);
  return { order, perm };
}

/**
 * Fisher–Yates on `a` (length n), xoshiro128** inlined: the swaps of `randomPermutation`, so on the identity it
 * builds the same permutation, and on any array it moves a[order[i]] to i. The loop is kept minimal on purpose:
 * its random reads are independent of each other, and the fewer instructions per step, the more of them the CPU
 * keeps in flight (gathering bits in the same loop made it ~25% slower).
 */
function fisherYates(a: Int32Array | Uint8Array, n: number, seed: readonly [number, number, number, number]): void {
  if (a instanceof Int32Array) fisherYates32(a, n, seed);
  else fisherYates8(a, n, seed);
}

function fisherYates32(order: Int32Array, n: number, seed: readonly [number, number, number, number]): void {
  let s0 = seed[0] | 0;
  let s1 = seed[1] | 0;
  let s2 = seed[2] | 0;
  let s3 = seed[3] | 0;
  if ((s0 | s1 | s2 | s3) === 0) s0 = 0x9e3779b9;
  for (let i = n - 1; i > 0; i--) {
    const m = Math.imul(s1, 5);
    const r = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    // floor(r·(i+1) / 2^32): the product is exact below 2^53 and scaling by 2^−32 is exact.
    const j = (r * (i + 1) * 2.3283064365386963e-10) | 0;
    const x = order[j];
    order[j] = order[i];
    order[i] = x;
  }
}

/** fisherYates32 for a byte array (the same swaps; kept separate so each loop stays monomorphic). */
function fisherYates8(a: Uint8Array, n: number, seed: readonly [number, number, number, number]): void {
  let s0 = seed[0] | 0;
  let s1 = seed[1] | 0;
  let s2 = seed[2] | 0;
  let s3 = seed[3] | 0;
  if ((s0 | s1 | s2 | s3) === 0) s0 = 0x9e3779b9;
  for (let i = n - 1; i > 0; i--) {
    const m = Math.imul(s1, 5);
    const r = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const j = (r * (i + 1) * 2.3283064365386963e-10) | 0;
    const x = a[j];
    a[j] = a[i];
    a[i] = x;
  }
}

/** gatherPacked, also filling inv[indices[i]] = i. */
function gatherPackedInverse(packed: Uint32Array, indices: Int32Array, inv: Int32Array): Uint32Array {
  const n = indices.length;
  const out = new Uint32Array((n + 31) >>> 5);
  const full = n >>> 5;
  for (let w = 0; w < full; w++) {
    const base = w << 5;
    let acc = 0;
    for (let b = 0; b < 32; b++) {
      const x = indices[base + b];
      inv[x] = base + b;
      acc |= ((packed[x >>> 5] >>> (x & 31)) & 1) << b;
    }
    out[w] = acc;
  }
  for (let i = full << 5; i < n; i++) {
    const x = indices[i];
    inv[x] = i;
    out[i >>> 5] |= ((packed[x >>> 5] >>> (x & 31)) & 1) << (i & 31);
  }
  return out;
}

/** Bits of a packed key at the given indices, packed in that order. */
export function gatherPacked(packed: Uint32Array, indices: Int32Array): Uint32Array {
  const n = indices.length;
  const out = new Uint32Array((n + 31) >>> 5);
  const full = n >>> 5;
  for (let w = 0; w < full; w++) {
    const base = w << 5;
    let acc = 0;
    for (let b = 0; b < 32; b++) {
      const x = indices[base + b];
      acc |= ((packed[x >>> 5] >>> (x & 31)) & 1) << b;
    }
    out[w] = acc;
  }
  for (let i = full << 5; i < n; i++) {
    const x = indices[i];
    out[i >>> 5] |= ((packed[x >>> 5] >>> (x & 31)) & 1) << (i & 31);
  }
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * One byte per bit (each 0 or 1, as everywhere in Cascade) → 32 bits per word, as packWords, four bytes at a
 * time: a multiply gathers the low bit of each byte of a little-endian word into bits 28–31 (the partial products
 * land on distinct lower bits, so nothing carries into them).
 */
export function packBits01(bytes: Uint8Array): Uint32Array {
  const n = bytes.length;
  if (!LITTLE_ENDIAN || (bytes.byteOffset & 3) !== 0) return packWordsBranchFree(bytes);
  const out = new Uint32Array((n + 31) >>> 5);
  const full = n >>> 5;
  packFullWords(new Uint32Array(bytes.buffer, bytes.byteOffset, full << 3), out, full);
  for (let i = full << 5; i < n; i++) out[full] |= (bytes[i] & 1) << (i & 31);
  return out;
}

function packFullWords(u: Uint32Array, out: Uint32Array, full: number): void {
  for (let w = 0; w < full; w++) {
    const b = w << 3;
    let acc = 0;
    for (let k = 0; k < 8; k++) acc |= (Math.imul(u[b + k] & 0x01010101, 0x10204080) >>> 28) << (4 * k);
    out[w] = acc;
  }
}

/** Inclusive prefix parities of packed bits: bit i of the result = parity of bits 0..i. */
export function prefixParityWords(w: Uint32Array): Uint32Array {
  const out = new Uint32Array(w.length);
  let carry = 0;
  for (let i = 0; i < w.length; i++) {
    let x = w[i];
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= -carry;
    out[i] = x;
    carry = x >>> 31;
  }
  return out;
}

/** Parity of the first i positions (i = 0 … length) from inclusive prefix parities. */
function prefixBit(prefix: Uint32Array, i: number): number {
  if (i === 0) return 0;
  const j = i - 1;
  return (prefix[j >>> 5] >>> (j & 31)) & 1;
}

/** The sender as an in-process port (tests, benches, and the receiver's side of a local simulation). */
export function localParityPort(sender: CascadeSender): CascadeParityPort {
  return {
    openPasses: async (specs) => specs.map((s) => sender.openPass(s)),
    parities: async (q) => sender.parities(q),
  };
}
