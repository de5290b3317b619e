import { describe, expect, it } from 'vitest';
import { PolyHash64, polyHash64CollisionBound } from './poly-hash64.ts';

// Reference: GF(2^64) arithmetic with BigInt, straight from the definition.
const MOD = (1n << 64n) | 0x1bn;
function gfMul(a: bigint, b: bigint): bigint {
  let r = 0n;
  for (let i = 0n; i < 64n; i++) if ((b >> i) & 1n) r ^= a << i;
  for (let i = 127n; i >= 64n; i--) if ((r >> i) & 1n) r ^= MOD << (i - 64n);
  return r;
}
function le64(bytes: Uint8Array, off: number): bigint {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(bytes[off + i] ?? 0);
  return v;
}
function referenceHash(key: Uint8Array, msg: Uint8Array): bigint {
  const h = le64(key, 0);
  let acc = 0n;
  for (let off = 0; off < msg.length; off += 8) acc = gfMul(acc ^ le64(msg, off), h);
  return gfMul(acc ^ BigInt(msg.length * 8), h);
}

const key = Uint8Array.of(0x8f, 0x12, 0x00, 0xff, 0x3c, 0x91, 0x7e, 0x05);

describe('PolyHash64', () => {
  it.each([0, 1, 7, 8, 9, 64, 1000])('matches the BigInt field arithmetic for a %i-byte message', (len) => {
    const msg = new Uint8Array(len).map((_, i) => (i * 37 + 11) & 255);
    expect(le64(new PolyHash64(key).digest(msg), 0)).toBe(referenceHash(key, msg));
  });

  it('hashes the concatenation of parts, however they are split', () => {
    const msg = new Uint8Array(45).map((_, i) => i);
    const h = new PolyHash64(key);
    const whole = h.digest(msg);
    expect(Array.from(h.digest(msg.subarray(0, 3), msg.subarray(3, 20), msg.subarray(20)))).toEqual(Array.from(whole));
  });

  it('tells a message from the same message with a zero byte appended (length block)', () => {
    const h = new PolyHash64(key);
    expect(Array.from(h.digest(Uint8Array.of(1, 2, 3)))).not.toEqual(Array.from(h.digest(Uint8Array.of(1, 2, 3, 0))));
  });

  it('refuses the zero key and keys of the wrong size', () => {
    expect(() => new PolyHash64(new Uint8Array(8))).toThrow(/zero key/);
    expect(() => new PolyHash64(new Uint8Array(7))).toThrow(/8 bytes/);
  });

  it('bounds forgery by (⌈L/64⌉+1)/2^64', () => {
    expect(polyHash64CollisionBound(8)).toBe(2 / 2 ** 64);
    expect(polyHash64CollisionBound(1e6)).toBeCloseTo((125_000 + 1) / 2 ** 64, 30);
  });
});
