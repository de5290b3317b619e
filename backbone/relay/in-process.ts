/** Peer transport for all KMEs in one process: a direct call, the sender identity given by the caller's own KME. */
import type { PeerMessage, PeerReply, PeerTransport } from './messages.ts';

export interface PeerHandler {
  handlePeer(from: string, msg: unknown): PeerReply;
  handlePeerBatch(from: string, msgs: unknown[]): PeerReply[];
}

export class InProcessTransport implements PeerTransport {
  readonly peers = new Map<string, PeerHandler>();
  /** Nodes taken down (to test outages): messages to them fail as a dropped connection would. */
  readonly down = new Set<string>();

  async send(from: string, to: string, msg: PeerMessage): Promise<PeerReply> {
    const peer = this.peers.get(to);
    if (!peer || this.down.has(to)) return { ok: false, retry: true, reason: `KME ${to} unreachable` };
    // a structured copy, so no Buffer or object is shared between the two KMEs
    return peer.handlePeer(from, JSON.parse(JSON.stringify(msg)));
  }

  async sendBatch(from: string, to: string, msgs: PeerMessage[]): Promise<PeerReply[]> {
    const peer = this.peers.get(to);
    if (!peer || this.down.has(to)) throw new Error(`KME ${to} unreachable`);
    return peer.handlePeerBatch(from, JSON.parse(JSON.stringify(msgs)));
  }
}
