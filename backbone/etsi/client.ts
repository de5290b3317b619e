/** A minimal ETSI GS QKD 014 client (mutual TLS, keep-alive) for tests, the bench and the demo's smoke check. */
import { Agent, request } from 'node:https';

export interface EtsiClientOptions {
  baseUrl: string;
  caPem: string;
  certPem?: string;
  keyPem?: string;
  maxSockets?: number;
}

export interface EtsiResponse {
  status: number;
  body: any;
}

export class EtsiClient {
  readonly agent: Agent;
  constructor(private readonly opts: EtsiClientOptions) {
    this.agent = new Agent({ keepAlive: true, noDelay: true, maxSockets: opts.maxSockets ?? 8, ca: opts.caPem, cert: opts.certPem, key: opts.keyPem });
  }

  /** Raw request: `body` is sent as is when a string (to test malformed input), else as JSON. */
  call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<EtsiResponse> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = request(
        new URL(path, this.opts.baseUrl),
        { method, agent: this.agent, headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              /* leave as text */
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  status(slave: string) {
    return this.call('GET', `/api/v1/keys/${encodeURIComponent(slave)}/status`);
  }
  encKeys(slave: string, req: Record<string, unknown> = {}) {
    return this.call('POST', `/api/v1/keys/${encodeURIComponent(slave)}/enc_keys`, req);
  }
  decKeys(master: string, keyIds: string[]) {
    return this.call('POST', `/api/v1/keys/${encodeURIComponent(master)}/dec_keys`, { key_IDs: keyIds.map((key_ID) => ({ key_ID })) });
  }
  close(): void {
    this.agent.destroy();
  }
}
