/**
 * Peer transport across processes: HTTPS with mutual TLS to the peer's KME port (its certificate must be
 * "kme.<peer>" from the backbone CA; ours proves who we are). Keep-alive connections, a timeout per message.
 * A transport failure is a retryable refusal: the message stays in the sender's outbox.
 */
import { Agent, request } from 'node:https';
import type { PeerMessage, PeerReply, PeerTransport } from './messages.ts';
import type { LevelView } from './routing.ts';
import { kmeCommonName } from '../pki.ts';
import type { TlsMaterial } from '../etsi/server.ts';

export class HttpsPeerTransport implements PeerTransport {
  private readonly agent: Agent;
  constructor(
    private readonly endpoints: Map<string, string>,
    tls: TlsMaterial,
    private readonly timeoutMs = 5_000,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: 16, ca: tls.caPem, cert: tls.certPem, key: tls.keyPem });
  }

  send(_from: string, to: string, msg: PeerMessage): Promise<PeerReply> {
    return this.call<PeerReply>(to, 'POST', '/kme/v1/peer', msg).then(
      (r) => (r && typeof r === 'object' && 'ok' in r ? r : { ok: false, retry: true, reason: 'malformed peer reply' }),
      (err: Error) => ({ ok: false, retry: true, reason: err.message }),
    );
  }

  async sendBatch(_from: string, to: string, msgs: PeerMessage[]): Promise<PeerReply[]> {
    const replies = await this.call<PeerReply[]>(to, 'POST', '/kme/v1/peer-batch', msgs);
    if (!Array.isArray(replies) || replies.length !== msgs.length) throw new Error(`KME ${to}: malformed batch reply`);
    return replies;
  }

  call<T>(to: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const base = this.endpoints.get(to);
    if (!base) return Promise.reject(new Error(`no endpoint for KME ${to}`));
    return new Promise<T>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        new URL(path, base),
        {
          method,
          agent: this.agent,
          timeout: this.timeoutMs,
          headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
          // the peer must be the KME we meant, not merely some certificate of the CA
          checkServerIdentity: (_host, cert) => (cert.subject?.CN === kmeCommonName(to) ? undefined : new Error(`peer certificate is ${cert.subject?.CN}, expected ${kmeCommonName(to)}`)),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode !== 200) return reject(new Error(`KME ${to} answered ${res.statusCode}`));
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T);
            } catch (err) {
              reject(err as Error);
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`KME ${to} timed out`)));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * Pool levels of links this KME does not terminate, polled from every other KME (each reports the halves it may
 * spend). Stale by up to one period; a relay that meets an emptier pool than expected is re-routed at that node.
 */
export class PolledLevels {
  private levels = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly transport: HttpsPeerTransport,
    private readonly peers: string[],
    private readonly periodMs = 2_000,
  ) {}

  readonly view: LevelView = (linkId, sender) => this.levels.get(`${linkId}|${sender}`);

  async pollOnce(): Promise<void> {
    const results = await Promise.allSettled(this.peers.map((p) => this.transport.call<{ linkId: string; sender: string; spendableBits: number }[]>(p, 'GET', '/kme/v1/levels')));
    for (const r of results) if (r.status === 'fulfilled' && Array.isArray(r.value)) for (const l of r.value) this.levels.set(`${l.linkId}|${l.sender}`, l.spendableBits);
  }

  start(): void {
    const loop = () => {
      void this.pollOnce().finally(() => {
        this.timer = setTimeout(loop, this.periodMs);
        this.timer.unref();
      });
    };
    loop();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
