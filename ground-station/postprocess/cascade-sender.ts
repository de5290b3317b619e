/**
 * The sender's (Alice's) half of Cascade: she never changes her key, so every parity she reveals is a fixed fact
 * that the receiver may cache and reuse. She answers two kinds of request: the top-level parities of a new pass,
 * and parities of ranges [start, end) in a pass's order. Each parity she returns is one bit leaked to Eve; the
 * receiver counts them (cascade.ts).
 */
import { parity32, packWords } from './bitops.ts';
import { hash32, randomPermutation } from './prng.ts';

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
  let acc = 0;
  for (let w = 0; w < packed.length; w++) acc ^= packed[w] & hash32(seed, w);
  return parity32(acc);
}

interface SenderPass {
  /** Position in the pass order → key index. */
  order: Int32Array | null;
  /** prefix[i] = parity of the first i bits in pass order; built lazily for BICONF rounds. */
  prefix: Uint8Array | null;
  spec: CascadePassSpec;
}

export class CascadeSender {
  private readonly passes: SenderPass[] = [];
  /** Parity bits revealed so far: the sender's own count of the reconciliation leakage. */
  revealedBits = 0;
  private readonly packed: Uint32Array;

  constructor(private readonly bits: Uint8Array) {
    this.packed = packWords(bits);
  }

  openPass(spec: CascadePassSpec): Uint8Array {
    const n = this.bits.length;
    if (spec.kind === 'biconf') {
      this.passes.push({ order: null, prefix: null, spec });
      this.revealedBits += 1;
      return Uint8Array.of(biconfParity(this.packed, spec.seed));
    }
    if (!(spec.blockSize >= 1)) throw new RangeError(`cascade: block size ${spec.blockSize}`);
    const order = randomPermutation(n, spec.seed);
    const prefix = prefixParity(this.bits, order);
    this.passes.push({ order, prefix, spec });
    const k = spec.blockSize;
    const blocks = Math.ceil(n / k);
    const out = new Uint8Array(blocks);
    for (let b = 0; b < blocks; b++) out[b] = prefix[b * k] ^ prefix[Math.min(n, (b + 1) * k)];
    this.revealedBits += blocks;
    return out;
  }

  parities(queries: Int32Array): Uint8Array {
    if (queries.length % 3 !== 0) throw new RangeError('cascade: queries come in (pass, start, end) triples');
    const out = new Uint8Array(queries.length / 3);
    for (let q = 0, i = 0; i < queries.length; q++, i += 3) {
      const pass = this.passes[queries[i]];
      if (!pass) throw new RangeError(`cascade: query for unopened pass ${queries[i]}`);
      if (!pass.prefix) {
        // A BICONF round is bisected rarely (only when its parities differ): build its order on first use.
        const spec = pass.spec as { seed: number };
        pass.order = biconfMembers(spec.seed, this.bits.length);
        pass.prefix = prefixParity(this.bits, pass.order);
      }
      const s = queries[i + 1];
      const e = queries[i + 2];
      if (!(s >= 0 && s < e && e < pass.prefix.length)) throw new RangeError(`cascade: bad range [${s}, ${e})`);
      out[q] = pass.prefix[s] ^ pass.prefix[e];
    }
    this.revealedBits += out.length;
    return out;
  }
}

function prefixParity(bits: Uint8Array, order: Int32Array): Uint8Array {
  const prefix = new Uint8Array(order.length + 1);
  let p = 0;
  for (let i = 0; i < order.length; i++) {
    p ^= bits[order[i]];
    prefix[i + 1] = p;
  }
  return prefix;
}

/** The sender as an in-process port (tests, benches, and the receiver's side of a local simulation). */
export function localParityPort(sender: CascadeSender): CascadeParityPort {
  return {
    openPasses: async (specs) => specs.map((s) => sender.openPass(s)),
    parities: async (q) => sender.parities(q),
  };
}
