/**
 * Wegman–Carter authentication of every message on the classical channel: tag = PolyHash64_h(seq ‖ direction ‖
 * payload) ⊕ r, with the hash point h drawn once per session and a fresh 64-bit one-time pad r per message, both
 * from the shared pool. Forgery probability per message ≤ (L+1)/2^64 for an L-block message; reusing h is safe
 * because the pads hide every tag (Wegman & Carter 1981; Stinson). The sequence number and direction are inside
 * the tag, so replayed, reordered or reflected frames fail like altered ones.
 * The protocol is half-duplex (request/response in lock-step), so both parties draw pads in the same order.
 * A failed check is fatal for the session: the pass's key is abandoned (never "retry and hope").
 */
import type { AuthKeyPool } from './auth-key-pool.ts';
import { decodeMessage, encodeMessage, type ClassicalChannel, type Message } from './channel.ts';
import { PolyHash64, polyHash64CollisionBound } from './poly-hash64.ts';

export class AuthenticationError extends Error {}

export const TAG_BYTES = 8;

export class AuthenticatedChannel {
  private hash: PolyHash64 | null = null;
  private sendSeq = 0;
  private recvSeq = 0;
  private spentBits = 0;
  private failed: string | null = null;
  private forgery = 0;
  private readonly txDir: number;

  constructor(
    private readonly raw: ClassicalChannel,
    private readonly pool: AuthKeyPool,
    readonly role: 'alice' | 'bob',
  ) {
    this.txDir = role === 'alice' ? 0 : 1;
  }

  /** Key bits this session has spent on authentication (hash point + one pad per message). */
  get authenticationKeyBits(): number {
    return this.spentBits;
  }

  /** Union bound on a successful forgery so far: Σ over received messages of (L+1)/2^64 (adds to ε_sec). */
  get forgeryBound(): number {
    return this.forgery;
  }

  get messagesSent(): number {
    return this.sendSeq;
  }

  get messagesReceived(): number {
    return this.recvSeq;
  }

  async send(msg: Message): Promise<void> {
    this.assertUsable();
    const payload = encodeMessage(msg);
    const header = this.header(this.sendSeq, this.txDir);
    const pad = this.draw(TAG_BYTES);
    const tag = this.hasher().digest(header, payload);
    for (let i = 0; i < TAG_BYTES; i++) tag[i] ^= pad[i];
    const frame = new Uint8Array(8 + payload.length + TAG_BYTES);
    frame.set(header, 0);
    frame.set(payload, 8);
    frame.set(tag, 8 + payload.length);
    this.sendSeq++;
    await this.raw.send(frame);
  }

  /** The next authenticated message; throws AuthenticationError (and poisons the session) on any mismatch. */
  async receive(expectedType?: string): Promise<Message> {
    this.assertUsable();
    const frame = await this.raw.receive();
    // The pad is spent whether or not the frame verifies: a pad seen against a forged frame is never reused.
    const pad = this.draw(TAG_BYTES);
    if (frame.length < 8 + TAG_BYTES) return this.fail('frame too short');
    const header = frame.subarray(0, 8);
    const payload = frame.subarray(8, frame.length - TAG_BYTES);
    const tag = this.hasher().digest(this.header(this.recvSeq, 1 - this.txDir), payload);
    this.forgery += polyHash64CollisionBound(8 + payload.length);
    let diff = 0;
    for (let i = 0; i < TAG_BYTES; i++) diff |= (tag[i] ^ pad[i]) ^ frame[frame.length - TAG_BYTES + i];
    // The header is bound into the tag; comparing it as well gives a clearer error for replays.
    const expected = this.header(this.recvSeq, 1 - this.txDir);
    for (let i = 0; i < 8; i++) diff |= header[i] ^ expected[i];
    if (diff !== 0) return this.fail(`message ${this.recvSeq} failed authentication`);
    this.recvSeq++;
    let msg: Message;
    try {
      msg = decodeMessage(payload);
    } catch (e) {
      return this.fail(`message ${this.recvSeq - 1}: ${(e as Error).message}`);
    }
    if (expectedType && msg.type !== expectedType) return this.fail(`expected '${expectedType}', got '${msg.type}'`);
    return msg;
  }

  private fail(reason: string): never {
    this.failed = reason;
    this.raw.close();
    throw new AuthenticationError(reason);
  }

  private assertUsable(): void {
    if (this.failed) throw new AuthenticationError(`session aborted earlier: ${this.failed}`);
  }

  private hasher(): PolyHash64 {
    if (!this.hash) {
      let key = this.draw(8);
      // A zero point would authenticate nothing; both sides skip it identically.
      while (key.every((b) => b === 0)) key = this.draw(8);
      this.hash = new PolyHash64(key);
    }
    return this.hash;
  }

  private draw(bytes: number): Uint8Array {
    const k = this.pool.take(bytes);
    this.spentBits += bytes * 8;
    return k;
  }

  private header(seq: number, dir: number): Uint8Array {
    const h = new Uint8Array(8);
    const dv = new DataView(h.buffer);
    dv.setUint32(0, seq, true);
    dv.setUint32(4, dir, true);
    return h;
  }
}
