/**
 * One KME's HTTPS endpoint (node:https + express 5, TLS ≥ 1.2, mutual TLS). SAEs reach the ETSI GS QKD 014 API;
 * peer KMEs (certificate CN "kme.<node>") reach the inter-KME protocol on the same port. The handshake asks for a
 * client certificate but does not abort without one, so a missing or foreign certificate gets the spec's 401
 * rather than a bare TLS alert.
 */
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Kme } from '../kme.ts';
import type { TopologyGraph } from '../topology/graph.ts';
import type { LinkAccount } from '../pool/link-pool.ts';
import { EtsiService, type EtsiReply } from './service.ts';
import { queryInt } from './formats.ts';
import { jsonBody } from './json-body.ts';
import { keystoreCommonName } from '../pki.ts';
import { peerBatch } from '../relay/messages.ts';
import { z } from 'zod';

const satelliteKeyBody = z.strictObject({
  linkId: z.string().optional(),
  stationNodes: z.tuple([z.string(), z.string()]).optional(),
  blockId: z.string(),
  keyB64: z.string().min(1).max(2_000_000).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'keyB64 must be base64'),
  provenance: z.unknown(),
  peerProvenance: z.unknown().optional(),
});

export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface KmeServerOptions {
  kme: Kme;
  graph: TopologyGraph;
  tls: TlsMaterial;
  host?: string;
  port?: number;
  /** Serve the inter-KME protocol (multi-process mode). */
  peers?: boolean;
}

export interface KmeServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

const identities = new WeakMap<TLSSocket, string | null>();

/** The CN of a verified client certificate, cached per connection (keep-alive makes this one lookup per client). */
export function clientIdentity(req: Request): string | null {
  const sock = req.socket as TLSSocket;
  let id = identities.get(sock);
  if (id === undefined) {
    id = null;
    if (sock.authorized) {
      const cn = sock.getPeerCertificate()?.subject?.CN;
      id = typeof cn === 'string' ? cn : Array.isArray(cn) ? (cn[0] ?? null) : null;
    }
    identities.set(sock, id);
  }
  return id;
}

/** The hot path: one serialisation, one write, none of res.json's content negotiation. */
function send(res: Response, r: EtsiReply): void {
  const body = JSON.stringify(r.body);
  res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

export function createKmeApp(opts: Omit<KmeServerOptions, 'tls' | 'host' | 'port'>): express.Express {
  const { kme, graph } = opts;
  const etsi = new EtsiService(kme, graph);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // ETSI requests are small; only a satellite key block may be large
  const smallJson = jsonBody(64 * 1024);
  const blockJson = jsonBody(4 * 1024 * 1024);
  app.use((req, res, next) => (req.path === '/kme/v1/satellite-keys' || req.path === '/kme/v1/peer-batch' ? blockJson : smallJson)(req, res, next));

  const sae = (req: Request, res: Response): string | null => {
    const id = clientIdentity(req);
    const denied = etsi.authorise(id && !id.startsWith('kme.') ? id : undefined);
    if (denied) {
      send(res, denied);
      return null;
    }
    return id!;
  };

  const api = express.Router();
  api.get('/:slave/status', (req, res) => {
    const caller = sae(req, res);
    if (caller) send(res, etsi.status(caller, String(req.params.slave)));
  });
  api.post('/:slave/enc_keys', async (req, res) => {
    const caller = sae(req, res);
    if (caller) send(res, await etsi.encKeys(caller, String(req.params.slave), req.body));
  });
  api.get('/:slave/enc_keys', async (req, res) => {
    const caller = sae(req, res);
    if (!caller) return;
    const number = queryInt(req.query.number, 'number');
    const size = queryInt(req.query.size, 'size');
    for (const v of [number, size]) if (typeof v === 'object') return send(res, { status: 400, body: { message: v.error } });
    send(res, await etsi.encKeys(caller, String(req.params.slave), { number, size }));
  });
  api.post('/:master/dec_keys', (req, res) => {
    const caller = sae(req, res);
    if (caller) send(res, etsi.decKeys(caller, String(req.params.master), req.body));
  });
  api.get('/:master/dec_keys', (req, res) => {
    const caller = sae(req, res);
    if (!caller) return;
    const id = req.query.key_ID;
    if (typeof id !== 'string' || id === '') return send(res, { status: 400, body: { message: 'key_ID shall be given once' } });
    send(res, etsi.decKeys(caller, String(req.params.master), { key_IDs: [{ key_ID: id }] }));
  });
  app.use('/api/v1/keys', api);

  if (opts.peers) {
    const peerNode = (req: Request, res: Response): string | null => {
      const id = clientIdentity(req);
      const node = id?.startsWith('kme.') ? id.slice(4) : null;
      if (!node || !graph.hasNode(node) || node === kme.nodeId) {
        res.status(401).json({ message: 'unauthorized: not a peer KME certificate' });
        return null;
      }
      return node;
    };
    app.post('/kme/v1/peer', (req, res) => {
      const from = peerNode(req, res);
      if (from) res.json(kme.handlePeer(from, req.body));
    });
    app.post('/kme/v1/peer-batch', (req, res) => {
      const from = peerNode(req, res);
      if (!from) return;
      const batch = peerBatch.safeParse(req.body);
      if (!batch.success) return void res.status(400).json({ message: `bad batch: ${batch.error.issues[0]!.message}` });
      res.json(kme.handlePeerBatch(from, batch.data));
    });
    app.get('/kme/v1/levels', (req, res) => {
      if (!peerNode(req, res)) return;
      res.json(kme.accounts().map((a: LinkAccount) => ({ linkId: a.linkId, sender: kme.nodeId, spendableBits: a.spendableBits })));
    });
  }

  // a ground-station key store hands finished satellite blocks to the KME of its own node (certificate "keystore.<node>")
  app.post('/kme/v1/satellite-keys', (req, res) => {
    if (clientIdentity(req) !== keystoreCommonName(kme.nodeId)) return void res.status(401).json({ message: 'unauthorized: not this node\'s key store' });
    const body = satelliteKeyBody.safeParse(req.body);
    if (!body.success) return void res.status(400).json({ message: body.error.issues[0]!.message, details: [{ field: body.error.issues[0]!.path.join('.') }] });
    const { keyB64, ...rest } = body.data;
    const r = kme.ingestSatelliteKey({ ...rest, keyBytes: Buffer.from(keyB64, 'base64') } as never);
    if (!r.ok) return void res.status(400).json({ message: r.message, details: [{ field: r.field }] });
    res.json(r);
  });

  app.use((_req, res) => {
    res.status(404).json({ message: 'no such resource' });
  });
  // body-parser errors (malformed JSON, too large) and anything unexpected: an Error body, nothing changed
  app.use((err: Error & { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.type === 'entity.too.large') return void res.status(400).json({ message: 'request body too large' });
    if (err.type === 'entity.parse.failed') return void res.status(400).json({ message: 'request body is not valid JSON' });
    if (err.status && err.status >= 400 && err.status < 500) return void res.status(400).json({ message: err.message });
    res.status(503).json({ message: 'KME internal error' });
  });
  return app;
}

const HOT_ROUTE = /^\/api\/v1\/keys\/([^/?]+)\/(enc_keys|dec_keys)$/;
const SMALL_BODY = 64 * 1024;

function sendPlain(res: ServerResponse, r: EtsiReply): void {
  const body = JSON.stringify(r.body);
  res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/**
 * The two hot ETSI routes (POST enc_keys, POST dec_keys with a declared small body) without express: no router
 * walk, no middleware chain, no req/res prototype swap. The same checks and answers as the express routes (which
 * still serve every other request, and these two when the request is unusual: chunked, large, odd path).
 */
export function createKmeHandler(opts: Omit<KmeServerOptions, 'tls' | 'host' | 'port'>): (req: IncomingMessage, res: ServerResponse) => void {
  const app = createKmeApp(opts);
  const etsi = new EtsiService(opts.kme, opts.graph);
  return (req, res) => {
    const m = req.method === 'POST' && !req.headers['transfer-encoding'] ? HOT_ROUTE.exec(req.url ?? '') : null;
    const declared = m ? Number(req.headers['content-length'] ?? 0) : NaN;
    let sae: string | undefined;
    if (m) {
      try {
        sae = decodeURIComponent(m[1]!);
      } catch {
        sae = undefined;
      }
    }
    if (!m || sae === undefined || !(declared >= 0 && declared <= SMALL_BODY)) return void app(req as never, res as never);
    const op = m[2]!;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      void (async () => {
        try {
          let body: unknown;
          const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
          if (text.trim() !== '') {
            try {
              body = JSON.parse(text);
            } catch {
              return sendPlain(res, { status: 400, body: { message: 'request body is not valid JSON' } });
            }
          }
          const id = clientIdentity(req as Request);
          const denied = etsi.authorise(id && !id.startsWith('kme.') ? id : undefined);
          if (denied) return sendPlain(res, denied);
          sendPlain(res, op === 'enc_keys' ? await etsi.encKeys(id!, sae!, body) : etsi.decKeys(id!, sae!, body));
        } catch {
          if (!res.headersSent) sendPlain(res, { status: 503, body: { message: 'KME internal error' } });
        }
      })();
    });
  };
}

export async function startKmeServer(opts: KmeServerOptions): Promise<KmeServer> {
  const handler = createKmeHandler(opts);
  const server = createServer(
    { ca: opts.tls.caPem, cert: opts.tls.certPem, key: opts.tls.keyPem, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' },
    handler,
  );
  server.keepAliveTimeout = 60_000;
  // small request/response pairs: never wait for Nagle's algorithm
  server.on('secureConnection', (s) => s.setNoDelay(true));
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `https://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
