/**
 * The classical channel between the ground station (Bob) and the satellite (Alice): an ordered, reliable pipe of
 * frames, public and NOT trusted (Eve may read, drop or alter frames). Authentication sits on top of it
 * (authenticated-channel.ts). A network link implements the same interface; in simulations both parties run in
 * one process over `memoryChannelPair`.
 */
import { z } from 'zod';

export interface ClassicalChannel {
  send(frame: Uint8Array): Promise<void>;
  /** The next frame from the peer; rejects if the channel is closed. */
  receive(): Promise<Uint8Array>;
  close(): void;
}

/** Frames seen on the wire, for tests that play Eve: return a (possibly altered) frame, or null to drop it. */
export type WireTap = (frame: Uint8Array, direction: 'a→b' | 'b→a', index: number) => Uint8Array | null;

/** Two connected in-memory endpoints; frames are copied, as they would be on a wire. */
export function memoryChannelPair(tap?: WireTap): [ClassicalChannel, ClassicalChannel] {
  const queues: [Uint8Array[], Uint8Array[]] = [[], []];
  const waiters: [((f: Uint8Array) => void)[], ((f: Uint8Array) => void)[]] = [[], []];
  const rejecters: [((e: Error) => void)[], ((e: Error) => void)[]] = [[], []];
  let closed = false;
  let count = 0;
  const endpoint = (self: 0 | 1): ClassicalChannel => {
    const peer = (1 - self) as 0 | 1;
    return {
      async send(frame) {
        if (closed) throw new Error('channel closed');
        let f: Uint8Array | null = Uint8Array.from(frame);
        if (tap) f = tap(f, self === 0 ? 'a→b' : 'b→a', count++);
        if (!f) return;
        const w = waiters[peer].shift();
        rejecters[peer].shift();
        if (w) w(f);
        else queues[peer].push(f);
      },
      receive() {
        const f = queues[self].shift();
        if (f) return Promise.resolve(f);
        if (closed) return Promise.reject(new Error('channel closed'));
        return new Promise((resolve, reject) => {
          waiters[self].push(resolve);
          rejecters[self].push(reject);
        });
      },
      close() {
        closed = true;
        for (const side of [0, 1] as const) {
          for (const r of rejecters[side]) r(new Error('channel closed'));
          rejecters[side] = [];
          waiters[side] = [];
        }
      },
    };
  };
  return [endpoint(0), endpoint(1)];
}

// ---------------------------------------------------------------- messages

/** One protocol message: a type, small JSON fields, and binary attachments (bit strings, index lists). */
export interface Message {
  type: string;
  fields: Record<string, unknown>;
  blobs: Uint8Array[];
}

const headerSchema = z.object({
  type: z.string().min(1).max(64),
  fields: z.record(z.string(), z.unknown()),
  blobLengths: z.array(z.number().int().nonnegative()),
});

export class MessageFormatError extends Error {}

export function encodeMessage(m: Message): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ type: m.type, fields: m.fields, blobLengths: m.blobs.map((b) => b.length) }));
  const total = 4 + header.length + m.blobs.reduce((s, b) => s + b.length, 0);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  let off = 4 + header.length;
  for (const b of m.blobs) {
    out.set(b, off);
    off += b.length;
  }
  return out;
}

export function decodeMessage(bytes: Uint8Array): Message {
  if (bytes.length < 4) throw new MessageFormatError('message shorter than its header length');
  const hl = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + hl > bytes.length) throw new MessageFormatError(`header length ${hl} exceeds message`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + hl)));
  } catch {
    throw new MessageFormatError('header is not JSON');
  }
  const h = headerSchema.safeParse(parsed);
  if (!h.success) throw new MessageFormatError(`bad header: ${h.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const blobs: Uint8Array[] = [];
  let off = 4 + hl;
  for (const len of h.data.blobLengths) {
    if (off + len > bytes.length) throw new MessageFormatError('blob exceeds message');
    blobs.push(bytes.slice(off, off + len));
    off += len;
  }
  if (off !== bytes.length) throw new MessageFormatError('trailing bytes after the last blob');
  return { type: h.data.type, fields: h.data.fields, blobs };
}

/** Typed views over blob bytes (little-endian, which is what every supported platform uses for typed arrays). */
export function int32Blob(a: Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
export function blobInt32(b: Uint8Array): Int32Array {
  if (b.length % 4 !== 0) throw new MessageFormatError(`int32 blob of ${b.length} bytes`);
  const copy = b.slice();
  return new Int32Array(copy.buffer, copy.byteOffset, copy.length / 4);
}
export function float64Blob(a: Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
export function blobFloat64(b: Uint8Array): Float64Array {
  if (b.length % 8 !== 0) throw new MessageFormatError(`float64 blob of ${b.length} bytes`);
  const copy = b.slice();
  return new Float64Array(copy.buffer, copy.byteOffset, copy.length / 8);
}
