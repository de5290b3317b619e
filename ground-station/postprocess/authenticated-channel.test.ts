import { describe, expect, it } from 'vitest';
import { AuthKeyExhausted, AuthKeyPool } from './auth-key-pool.ts';
import { AuthenticatedChannel, AuthenticationError } from './authenticated-channel.ts';
import { decodeMessage, encodeMessage, memoryChannelPair, MessageFormatError, type WireTap } from './channel.ts';

function pools(bytes = 1024): [AuthKeyPool, AuthKeyPool] {
  const pre = new Uint8Array(bytes).map((_, i) => (i * 131 + 7) & 255);
  return [new AuthKeyPool(pre), new AuthKeyPool(pre)];
}

function session(tap?: WireTap, bytes?: number) {
  const [pa, pb] = pools(bytes);
  const [a, b] = memoryChannelPair(tap);
  return { alice: new AuthenticatedChannel(a, pa, 'alice'), bob: new AuthenticatedChannel(b, pb, 'bob'), pa, pb };
}

const msg = { type: 'sift', fields: { count: 3 }, blobs: [Uint8Array.of(1, 2, 3), new Uint8Array(0)] };

describe('AuthenticatedChannel (Wegman–Carter, one-time-padded 64-bit tags)', () => {
  it('delivers messages both ways and charges 64 bits per message plus the 64-bit hash point', async () => {
    const s = session();
    await s.bob.send(msg);
    expect(await s.alice.receive('sift')).toEqual(msg);
    await s.alice.send({ type: 'reply', fields: {}, blobs: [] });
    expect((await s.bob.receive()).type).toBe('reply');
    expect(s.bob.authenticationKeyBits).toBe(64 * 2 + 64);
    expect(s.alice.authenticationKeyBits).toBe(s.bob.authenticationKeyBits);
    expect(s.pa.consumedBits).toBe(s.pb.consumedBits);
  });

  const attacks: [string, WireTap][] = [
    ['a flipped payload bit', (f) => ((f[12] ^= 4), f)],
    ['a flipped tag bit', (f) => ((f[f.length - 1] ^= 1), f)],
    ['a truncated frame', (f) => f.subarray(0, f.length - 3)],
    ['a changed sequence number', (f) => ((f[0] ^= 1), f)],
  ];
  it.each(attacks)('rejects %s and refuses to continue', async (_name, tap) => {
    const s = session(tap);
    await s.bob.send(msg);
    await expect(s.alice.receive()).rejects.toThrow(AuthenticationError);
    await expect(s.alice.send(msg)).rejects.toThrow(/session aborted/);
  });

  it('rejects a replayed frame (sequence numbers are inside the tag)', async () => {
    let first: Uint8Array | null = null;
    const s = session((f, _d, i) => {
      if (i === 0) first = f.slice();
      return i === 1 ? first : f;
    });
    await s.bob.send(msg);
    await s.alice.receive();
    await s.bob.send({ type: 'other', fields: {}, blobs: [] });
    await expect(s.alice.receive()).rejects.toThrow(/message 1 failed authentication/);
  });

  it('rejects a frame reflected back to its sender (direction is inside the tag)', async () => {
    const [pa, pb] = pools();
    const [a, b] = memoryChannelPair();
    const bob = new AuthenticatedChannel(b, pb, 'bob');
    const alice = new AuthenticatedChannel(a, pa, 'alice');
    await bob.send(msg);
    const frame = await a.receive(); // Eve intercepts and reflects it to Bob, posing as Alice
    await a.send(frame);
    void alice;
    await expect(bob.receive()).rejects.toThrow(AuthenticationError);
  });

  it('stops cleanly when the pool runs dry', async () => {
    const s = session(undefined, 16);
    await s.bob.send(msg);
    await expect(s.bob.send(msg)).rejects.toThrow(AuthKeyExhausted);
  });
});

describe('AuthKeyPool', () => {
  it('hands out each bit once and keeps both copies in step after a top-up', () => {
    const [a, b] = pools(16);
    expect(Array.from(a.take(8))).toEqual(Array.from(b.take(8)));
    a.topUp(Uint8Array.of(9, 9));
    b.topUp(Uint8Array.of(9, 9));
    expect(a.availableBits).toBe(80);
    expect(Array.from(a.take(10))).toEqual(Array.from(b.take(10)));
    expect(a.consumedBits).toBe(144);
    expect(() => a.take(1)).toThrow(AuthKeyExhausted);
  });
});

describe('message codec', () => {
  it('round-trips and names what is wrong with a malformed message', () => {
    expect(decodeMessage(encodeMessage(msg))).toEqual(msg);
    const bad = encodeMessage(msg);
    bad[5] = 0x20; // break the JSON header
    expect(() => decodeMessage(bad)).toThrow(MessageFormatError);
    expect(() => decodeMessage(Uint8Array.of(255, 0, 0, 0))).toThrow(/header length/);
    const wrongType = new TextEncoder().encode(JSON.stringify({ type: 5, fields: {}, blobLengths: [] }));
    const frame = new Uint8Array(4 + wrongType.length);
    new DataView(frame.buffer).setUint32(0, wrongType.length, true);
    frame.set(wrongType, 4);
    expect(() => decodeMessage(frame)).toThrow(/bad header: type/);
  });
});

describe('pool resynchronisation', () => {
  it('brings pools left a pad apart by a failed session back in step by burning key forward', async () => {
    const [pa, pb] = pools(1024);
    // Session 1: Bob's last message is never read by Alice (she stopped), so his pool is one pad ahead.
    {
      const [a, b] = memoryChannelPair();
      const bob = new AuthenticatedChannel(b, pb, 'bob');
      const alice = new AuthenticatedChannel(a, pa, 'alice');
      await bob.send(msg);
      await alice.receive();
      await bob.send({ type: 'abort', fields: {}, blobs: [] });
    }
    expect(pb.consumedBits - pa.consumedBits).toBe(64);
    // Session 2 authenticates: Alice skips to the position Bob's first frame names.
    const [a, b] = memoryChannelPair();
    const bob = new AuthenticatedChannel(b, pb, 'bob');
    const alice = new AuthenticatedChannel(a, pa, 'alice');
    await bob.send(msg);
    expect(await alice.receive('sift')).toEqual(msg);
    await alice.send({ type: 'reply', fields: {}, blobs: [] });
    expect((await bob.receive()).type).toBe('reply');
    expect(pa.consumedBits).toBe(pb.consumedBits);
    expect(alice.authenticationKeyBits).toBe(64 + 64 * 2 + 64); // the burnt pad is charged to the session
  });

  it('refuses a frame whose pad position lies behind the pool (a pad is never used twice)', async () => {
    const [pa, pb] = pools(1024);
    pa.take(64); // Alice is ahead: Bob's frame names a position she has already spent
    const [a, b] = memoryChannelPair();
    await new AuthenticatedChannel(b, pb, 'bob').send(msg);
    await expect(new AuthenticatedChannel(a, pa, 'alice').receive()).rejects.toThrow(/behind or beyond/);
  });
});

