/**
 * The sender's (Alice's) half of LDPC reconciliation. She never changes her key: she answers the receiver's plan
 * with one syndrome per frame (plus an optional 32-bit confirmation hash), then answers reveal requests with the
 * values of symbols in each frame's public reveal order. Every message is plain data (numbers and byte arrays),
 * so the port can run over the authenticated network channel.
 *
 * Her punctured values are secret random bits (node:crypto by default): if they were predictable, the p syndrome
 * bits they absorb would leak key information, and the leak m − p of reconcile.ts would be an undercount.
 */
import { randomFillSync } from 'node:crypto';
import { packBytes } from '../bitops.ts';
import { frameHash32, frameLayout, type LdpcPlan } from './frame-layout.ts';
import { MOTHER_RATES, parityCheckMatrix, syndromeOf } from './matrix.ts';

export interface LdpcSyndromeReply {
  /** Per frame: the m-bit syndrome, packed 8 bits to a byte (bitops.packBytes order). */
  syndromes: Uint8Array[];
  /** Per frame: 32-bit confirmation hash of Alice's frame key bits (empty when plan.confirmBits is 0). */
  confirmHashes: number[];
}

/** Reveal the symbols at reveal-order indices [from, from + count) of one frame. */
export interface LdpcRevealRequest {
  frame: number;
  from: number;
  count: number;
}

/** What the receiver sees of the sender: over a network link or in process. */
export interface LdpcPort {
  syndromes(plan: LdpcPlan): Promise<LdpcSyndromeReply>;
  /** Values (packed bytes, `count` bits each) for every request, in request order. */
  reveal(requests: LdpcRevealRequest[]): Promise<Uint8Array[]>;
}

export interface LdpcSenderOptions {
  /** Source of the secret punctured values (tests inject a seeded one); default crypto.randomFillSync. */
  secretBits?: (count: number) => Uint8Array;
}

interface FrameState {
  x: Uint8Array;
  revealOrder: Int32Array;
  /** Highest reveal-order index sent + 1: repeated requests are not new leakage. */
  revealedUpTo: number;
}

export class LdpcSender {
  private plan: LdpcPlan | null = null;
  private frames: FrameState[] = [];
  /** Bits sent so far: syndrome bits + confirmation hash bits + distinct revealed symbols. */
  sentBits = 0;
  /** The leak by reconcile.ts's count, from Alice's own side: bits sent less the p syndrome bits per frame that
   * her secret punctured values absorb. */
  get leakedBits(): number {
    return this.sentBits - (this.plan ? this.plan.frames.reduce((s, f) => s + f.punctured, 0) : 0);
  }
  private readonly secretBits: (count: number) => Uint8Array;

  constructor(
    private readonly bits: Uint8Array,
    opts: LdpcSenderOptions = {},
  ) {
    this.secretBits =
      opts.secretBits ??
      ((count) => {
        const b = randomFillSync(new Uint8Array(count));
        for (let i = 0; i < count; i++) b[i] &= 1;
        return b;
      });
  }

  syndromes(plan: LdpcPlan): LdpcSyndromeReply {
    if (this.plan) throw new Error('ldpc sender: a plan was already answered (punctured values are never redrawn)');
    if (plan.confirmBits !== 0 && plan.confirmBits !== 32) throw new Error(`ldpc sender: confirmBits ${plan.confirmBits} must be 0 or 32`);
    if (!Number.isInteger(plan.n) || plan.n < 64 || plan.n > 1 << 20) throw new Error(`ldpc sender: frame length ${plan.n} outside [64, 2^20]`);
    for (const f of plan.frames) if (!MOTHER_RATES.includes(f.rate)) throw new Error(`ldpc sender: rate ${f.rate} is not a mother-code rate`);
    let end = 0;
    for (const f of plan.frames) {
      if (f.keyStart !== end || f.keyLength <= 0) throw new Error(`ldpc sender: frames must tile the key (frame at ${f.keyStart}, expected ${end})`);
      end += f.keyLength;
    }
    if (end !== this.bits.length) throw new Error(`ldpc sender: plan covers ${end} bits, key has ${this.bits.length}`);
    this.plan = plan;
    const syndromes: Uint8Array[] = [];
    const confirmHashes: number[] = [];
    plan.frames.forEach((spec, fi) => {
      const h = parityCheckMatrix(plan.n, spec.rate, plan.matrixSeed);
      const lay = frameLayout(h, spec, plan.layoutSeed, fi);
      const x = new Uint8Array(plan.n);
      for (let i = 0; i < spec.keyLength; i++) x[lay.keyPos[i]] = this.bits[spec.keyStart + i];
      for (let i = 0; i < lay.shortPos.length; i++) x[lay.shortPos[i]] = lay.shortVal[i];
      const secret = this.secretBits(spec.punctured);
      for (let i = 0; i < spec.punctured; i++) x[h.punctureOrder[i]] = secret[i];
      syndromes.push(packBytes(syndromeOf(h, x)));
      this.sentBits += h.m;
      if (plan.confirmBits) {
        confirmHashes.push(frameHash32(this.bits, spec.keyStart, spec.keyLength, plan.layoutSeed ^ fi));
        this.sentBits += 32;
      }
      this.frames.push({ x, revealOrder: lay.revealOrder, revealedUpTo: 0 });
    });
    return { syndromes, confirmHashes };
  }

  reveal(requests: LdpcRevealRequest[]): Uint8Array[] {
    return requests.map(({ frame, from, count }) => {
      const st = this.frames[frame];
      if (!st) throw new Error(`ldpc sender: no frame ${frame}`);
      if (!(from >= 0 && count >= 0 && from + count <= st.revealOrder.length)) throw new Error(`ldpc sender: reveal [${from}, ${from + count}) outside frame ${frame}`);
      const v = new Uint8Array(count);
      for (let i = 0; i < count; i++) v[i] = st.x[st.revealOrder[from + i]];
      if (from + count > st.revealedUpTo) {
        this.sentBits += from + count - Math.max(from, st.revealedUpTo);
        st.revealedUpTo = from + count;
      }
      return packBytes(v);
    });
  }
}

/** The sender as an in-process port (tests, benches, local simulation). */
export function localLdpcPort(sender: LdpcSender): LdpcPort {
  return {
    syndromes: async (plan) => sender.syndromes(plan),
    reveal: async (reqs) => sender.reveal(reqs),
  };
}
