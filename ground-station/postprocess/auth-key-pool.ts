/**
 * The pre-shared secret that authenticates the classical channel. Both parties hold identical copies and draw
 * from them in the same order (the channel is half-duplex, so the order of messages is the order of draws);
 * every bit drawn is spent for good. After each pass the pool is topped up from the new key, so the channel
 * never needs a second pre-shared secret (key growing). Accounting: `consumedBits` is what the report charges.
 */

export class AuthKeyExhausted extends Error {
  constructor(readonly neededBits: number, readonly availableBits: number) {
    super(`authentication key pool exhausted: need ${neededBits} bits, ${availableBits} left`);
  }
}

export class AuthKeyPool {
  private buf: Uint8Array;
  private readPos = 0;
  private consumed = 0;

  constructor(preShared: Uint8Array) {
    this.buf = Uint8Array.from(preShared);
  }

  get availableBits(): number {
    return (this.buf.length - this.readPos) * 8;
  }

  /** Bits drawn or skipped since creation (the pass report charges differences of this counter). */
  get consumedBits(): number {
    return this.consumed;
  }

  /** Absolute position in the shared key stream, bytes: identical on both sides when they are in step. */
  get positionBytes(): number {
    return this.consumed / 8;
  }

  /**
   * Burns key up to an absolute position announced by the peer (never backwards: a pad is never used twice).
   * Returns false when `position` is behind this pool or beyond what it holds.
   */
  skipTo(position: number): boolean {
    const gap = position - this.positionBytes;
    if (!Number.isSafeInteger(position) || gap < 0 || gap > this.buf.length - this.readPos) return false;
    if (gap > 0) this.take(gap);
    return true;
  }

  /** Draws `bytes` bytes; they are removed from the pool and zeroed there. */
  take(bytes: number): Uint8Array {
    if (this.buf.length - this.readPos < bytes) throw new AuthKeyExhausted(bytes * 8, this.availableBits);
    const out = this.buf.slice(this.readPos, this.readPos + bytes);
    this.buf.fill(0, this.readPos, this.readPos + bytes);
    this.readPos += bytes;
    this.consumed += bytes * 8;
    return out;
  }

  /** Appends fresh shared secret (both parties must top up with the same bytes at the same point). */
  topUp(bytes: Uint8Array): void {
    const rest = this.buf.subarray(this.readPos);
    const next = new Uint8Array(rest.length + bytes.length);
    next.set(rest, 0);
    next.set(bytes, rest.length);
    this.buf.fill(0);
    this.buf = next;
    this.readPos = 0;
  }
}
