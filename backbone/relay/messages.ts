/**
 * Messages between KMEs (in one process: function calls; across processes: HTTPS with mutual TLS).
 * Only one-time-pad ciphertext and chunk names cross the wire; key in clear never leaves a trusted node.
 */
import { z } from 'zod';

const nodeId = z.string().min(1).max(64);
const uuid = z.string().uuid();

export const relayMessage = z.strictObject({
  type: z.literal('relay'),
  relayId: uuid,
  keyId: uuid,
  origin: nodeId,
  dest: nodeId,
  bits: z.number().int().positive().max(65536),
  share: z.number().int().min(0).max(15),
  shares: z.number().int().min(1).max(16),
  /** Planned path origin..dest; a node may re-plan the rest when its next link is short of key. */
  path: z.array(nodeId).min(2).max(64),
  /** Index in `path` of the node receiving this message. */
  hop: z.number().int().min(1),
  linkId: z.string().min(1),
  chunkIds: z.array(z.string().min(1)).min(1).max(4096),
  cipherB64: z.string().max(16384),
});

export const deliveredMessage = z.strictObject({ type: z.literal('relay-delivered'), relayId: uuid, keyId: uuid, dest: nodeId, path: z.array(nodeId).optional() });
export const failedMessage = z.strictObject({ type: z.literal('relay-failed'), relayId: uuid, keyId: uuid, at: nodeId, reason: z.string().max(500) });
export const assignMessage = z.strictObject({
  type: z.literal('assign'),
  origin: nodeId,
  keyIds: z.array(uuid).min(1).max(1024),
  masterSae: z.string().min(1),
  slaveSaes: z.array(z.string().min(1)).min(1).max(16),
});

/** Keys between neighbours: each key is a pad of the shared link itself, named by its chunks; no relay needed. */
export const directKeysMessage = z.strictObject({
  type: z.literal('direct-keys'),
  relayId: uuid,
  origin: nodeId,
  linkId: z.string().min(1),
  masterSae: z.string().min(1),
  slaveSaes: z.array(z.string().min(1)).min(1).max(16),
  keys: z.array(z.strictObject({ keyId: uuid, bits: z.number().int().positive().max(65536), chunkIds: z.array(z.string().min(1)).min(1).max(4096) })).min(1).max(1024),
});

export const peerMessage = z.discriminatedUnion('type', [relayMessage, deliveredMessage, failedMessage, assignMessage, directKeysMessage]);
export type DirectKeysMessage = z.infer<typeof directKeysMessage>;

export type RelayMessage = z.infer<typeof relayMessage>;
export type DeliveredMessage = z.infer<typeof deliveredMessage>;
export type FailedMessage = z.infer<typeof failedMessage>;
export type AssignMessage = z.infer<typeof assignMessage>;
export type PeerMessage = z.infer<typeof peerMessage>;

/** A peer's answer: done, or refused (retry = try again later, e.g. the chunk is not produced there yet). */
export type PeerReply = { ok: true } | { ok: false; retry: boolean; reason: string };

/** Outbox messages to one peer travel together: one request, one transaction at the receiver, one reply each. */
export const MAX_BATCH = 256;
export const peerBatch = z.array(z.unknown()).min(1).max(MAX_BATCH);

/** How one KME reaches another; `from` is authenticated by the transport (mTLS certificate in multi-process mode). */
export interface PeerTransport {
  send(from: string, to: string, msg: PeerMessage): Promise<PeerReply>;
  /** Replies in the order of `msgs`; a transport failure rejects (every message stays queued). */
  sendBatch(from: string, to: string, msgs: PeerMessage[]): Promise<PeerReply[]>;
}
