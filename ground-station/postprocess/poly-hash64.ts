/**
 * An almost-universal polynomial hash over GF(2^64) (modulus x^64 + x^4 + x^3 + x + 1): the message, cut into
 * 64-bit blocks m_1..m_L and followed by its bit length, is evaluated as a polynomial at the secret point h.
 * Two distinct messages of at most L blocks collide with probability ≤ (L + 1)/2^64 over h. Used for the
 * Wegman–Carter tags of the classical channel and for key verification.
 * Multiplication by the fixed h is a table lookup per 4-bit nibble (16 tables of 16 entries): a 64-bit field
 * product in 16 XORs, with no BigInt on the hot path.
 */

export class PolyHash64 {
  /** tables[(k·16 + v)·2 + {0: lo, 1: hi}] = (v · x^{4k}) · h. */
  private readonly tables = new Uint32Array(16 * 16 * 2);

  /** @param key 8 bytes, h little-endian; h = 0 would make every hash 0 and is refused. */
  constructor(key: Uint8Array) {
    if (key.length !== 8) throw new RangeError(`PolyHash64: key must be 8 bytes, got ${key.length}`);
    let lo = (key[0] | (key[1] << 8) | (key[2] << 16) | (key[3] << 24)) >>> 0;
    let hi = (key[4] | (key[5] << 8) | (key[6] << 16) | (key[7] << 24)) >>> 0;
    if ((lo | hi) === 0) throw new RangeError('PolyHash64: the zero key is not allowed');
    // powers[i] = h · x^i for i = 0..63
    const pLo = new Uint32Array(64);
    const pHi = new Uint32Array(64);
    for (let i = 0; i < 64; i++) {
      pLo[i] = lo;
      pHi[i] = hi;
      const carry = hi >>> 31;
      hi = ((hi << 1) | (lo >>> 31)) >>> 0;
      lo = (lo << 1) >>> 0;
      if (carry) lo = (lo ^ 0x1b) >>> 0;
    }
    for (let k = 0; k < 16; k++) {
      for (let v = 0; v < 16; v++) {
        let tl = 0;
        let th = 0;
        for (let b = 0; b < 4; b++) {
          if ((v >>> b) & 1) {
            tl ^= pLo[4 * k + b];
            th ^= pHi[4 * k + b];
          }
        }
        this.tables[(k * 16 + v) * 2] = tl >>> 0;
        this.tables[(k * 16 + v) * 2 + 1] = th >>> 0;
      }
    }
  }

  /** The 8-byte hash of `data` (little-endian), given as one or more parts hashed as their concatenation. */
  digest(...parts: Uint8Array[]): Uint8Array {
    const t = this.tables;
    let accLo = 0;
    let accHi = 0;
    let totalBytes = 0;
    const block = new Uint8Array(8);
    let fill = 0;
    const mulH = () => {
      let rl = 0;
      let rh = 0;
      for (let k = 0; k < 8; k++) {
        const i = (k * 16 + ((accLo >>> (4 * k)) & 15)) * 2;
        rl ^= t[i];
        rh ^= t[i + 1];
      }
      for (let k = 0; k < 8; k++) {
        const i = ((k + 8) * 16 + ((accHi >>> (4 * k)) & 15)) * 2;
        rl ^= t[i];
        rh ^= t[i + 1];
      }
      accLo = rl >>> 0;
      accHi = rh >>> 0;
    };
    for (const part of parts) {
      totalBytes += part.length;
      let i = 0;
      // Fast path: whole aligned 8-byte blocks when no partial block is pending.
      if (fill === 0) {
        for (; i + 8 <= part.length; i += 8) {
          accLo ^= part[i] | (part[i + 1] << 8) | (part[i + 2] << 16) | (part[i + 3] << 24);
          accHi ^= part[i + 4] | (part[i + 5] << 8) | (part[i + 6] << 16) | (part[i + 7] << 24);
          mulH();
        }
      }
      for (; i < part.length; i++) {
        block[fill++] = part[i];
        if (fill === 8) {
          accLo ^= block[0] | (block[1] << 8) | (block[2] << 16) | (block[3] << 24);
          accHi ^= block[4] | (block[5] << 8) | (block[6] << 16) | (block[7] << 24);
          mulH();
          fill = 0;
        }
      }
    }
    if (fill > 0) {
      block.fill(0, fill);
      accLo ^= block[0] | (block[1] << 8) | (block[2] << 16) | (block[3] << 24);
      accHi ^= block[4] | (block[5] << 8) | (block[6] << 16) | (block[7] << 24);
      mulH();
    }
    // The length block makes the hash prefix-free (zero padding alone would let m and m‖0 collide).
    const bits = totalBytes * 8;
    accLo ^= bits >>> 0;
    accHi ^= Math.floor(bits / 4294967296) >>> 0;
    mulH();
    const out = new Uint8Array(8);
    new DataView(out.buffer).setUint32(0, accLo >>> 0, true);
    new DataView(out.buffer).setUint32(4, accHi >>> 0, true);
    return out;
  }
}

/** Upper bound on the collision (forgery) probability for messages of `messageBytes`: ⌈L/64⌉+1 blocks over 2^64. */
export function polyHash64CollisionBound(messageBytes: number): number {
  return (Math.ceil((messageBytes * 8) / 64) + 1) / 2 ** 64;
}
