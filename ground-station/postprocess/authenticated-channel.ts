/**
 * Wegman–Carter authentication of every message on the classical channel: tag = PolyHash64_h(seq ‖ direction ‖
 * payload) ⊕ r, with the hash point h drawn once per session and a fresh 64-bit one-time pad r per message, both
 * from the shared pool. Forgery probability per message ≤ (L+1)/2^64 for an L-block message; reusing h is safe
 * because the pads hide every tag (Wegman & Carter 1981; Stinson). The sequence number and direction are inside
 * the tag, so replayed, reordered or reflected frames fail like altered ones.
 * The protocol is half-duplex (request/response in lock-step), so both parties draw pads in the same order; each
 * frame also names its pad's position in the shared key stream, so pools that a failed pass left apart (an unread
 * message) resynchronise by burning key forward, never by reusing it.
 * A failed check is fatal for the session: the pass's key is abandoned (never "retry and hope").
 */
import type { AuthKeyPool } from './auth-key-pool.ts';
import { decodeMessage, encodeMessage, type ClassicalChannel, type Message } from './channel.ts';
import { PolyHash64, polyHash64CollisionBound } from './poly-hash64.ts';

export class AuthenticationError extends Error {}

export const TAG_BYTES = 8;
/** seq (u32) ‖ direction (u32) ‖ position of this frame's pad in the shared key stream (f64, exact below 2^53). */
const HEADER_BYTES = 16;

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

  /** Key bits this session has spent on authentication (hash point + one pad per message + any skipped). */
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
    const hasher = this.hasher();
    const padPos = this.pool.positionBytes;
    const pad = this.draw(TAG_BYTES);
    const header = this.header(this.sendSeq, this.txDir, padPos);
    const tag = hasher.digest(header, payload);
    for (let i = 0; i < TAG_BYTES; i++) tag[i] ^= pad[i];
    const frame = new Uint8Array(HEADER_BYTES + payload.length + TAG_BYTES);
    frame.set(header, 0);
    frame.set(payload, HEADER_BYTES);
    frame.set(tag, HEADER_BYTES + payload.length);
    this.sendSeq++;
    await this.raw.send(frame);
  }

  /** The next authenticated message; throws AuthenticationError (and poisons the session) on any mismatch. */
  async receive(expectedType?: string): Promise<Message> {
    this.assertUsable();
    const frame = await this.raw.receive();
    if (frame.length < HEADER_BYTES + TAG_BYTES) return this.fail('frame too short');
    const header = frame.subarray(0, HEADER_BYTES);
    const dv = new DataView(frame.buffer, frame.byteOffset, HEADER_BYTES);
    const seq = dv.getUint32(0, true);
    const dir = dv.getUint32(4, true);
    const padPos = dv.getFloat64(8, true);
    if (seq !== this.recvSeq || dir !== 1 - this.txDir) return this.fail(`message ${this.recvSeq} failed authentication (sequence ${seq}, direction ${dir})`);
    // The sender names where its pad sits in the shared key stream. Moving forward to it resynchronises pools
    // that a failed pass left apart; moving backward would reuse a pad and is refused. A forged position only
    // burns key (the tag then fails), it never makes a pad serve twice.
    const before = this.pool.consumedBits;
    if (!this.pool.skipTo(this.hash ? padPos : padPos - 8)) return this.fail(`message ${this.recvSeq}: pad position ${padPos} is behind or beyond this pool (${this.pool.positionBytes})`);
    this.spentBits += this.pool.consumedBits - before; // burnt key is spent key
    const hasher = this.hasher();
    const pad = this.draw(TAG_BYTES);
    const payload = frame.subarray(HEADER_BYTES, frame.length - TAG_BYTES);
    const tag = hasher.digest(header, payload);
    this.forgery += polyHash64CollisionBound(HEADER_BYTES + payload.length);
    let diff = 0;
    for (let i = 0; i < TAG_BYTES; i++) diff |= (tag[i] ^ pad[i]) ^ frame[frame.length - TAG_BYTES + i];
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

  /** Closes the link (the peer's pending receive fails); used when this party gives up. */
  close(): void {
    this.raw.close();
  }

  private fail(reason: string): never {
    this.failed = reason;
    this.raw.close();
    throw new AuthenticationError(reason);
  }

  private assertUsable(): void {
    if (this.failed) throw new AuthenticationError(`session aborted earlier: ${this.failed}`);
  }

  /** The session's hash point: the 8 bytes just before the first pad of the session (drawn by whoever sends
   * first; the receiver of that first frame takes them at the position the frame names). */
  private hasher(): PolyHash64 {
    if (!this.hash) {
      const key = this.draw(8);
      // A zero point would authenticate nothing (probability 2^-64); refuse rather than skip, so both sides agree.
      if (key.every((b) => b === 0)) return this.fail('authentication key pool yielded a zero hash point');
      this.hash = new PolyHash64(key);
    }
    return this.hash;
  }

  private draw(bytes: number): Uint8Array {
    const before = this.pool.consumedBits;
    const k = this.pool.take(bytes);
    this.spentBits += this.pool.consumedBits - before;
    return k;
  }

  private header(seq: number, dir: number, padPos: number): Uint8Array {
    const h = new Uint8Array(HEADER_BYTES);
    const dv = new DataView(h.buffer);
    dv.setUint32(0, seq, true);
    dv.setUint32(4, dir, true);
    dv.setFloat64(8, padPos, true);
    return h;
  }
}
