/**
 * Backbone operator REST API (read-only, no key material): pool levels per link and end, relays with their paths,
 * key consumed per application, and the accounting check produced = stored + consumed + wasted.
 * Served on loopback plain HTTP next to the KMEs; put it behind the operator's own authentication to expose it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Kme } from '../kme.ts';
import type { TopologyGraph } from '../topology/graph.ts';
import { operatorPage } from './page.ts';

export interface OperatorView {
  graph: TopologyGraph;
  /** The KMEs this process runs (all of them in one-process mode, one in multi-process mode). */
  kmes: Map<string, Kme>;
  /** ETSI endpoints by node, for display. */
  endpoints?: Map<string, string>;
}

export function poolsReport(view: OperatorView) {
  return view.graph.topology.links.map((l) => {
    const ends = [l.a, l.b].map((node) => {
      const acc = view.kmes.get(node)?.accounts().find((a) => a.linkId === l.id);
      return { node, local: view.kmes.has(node), producedBits: acc?.producedBits ?? 0, storedBits: acc?.storedBits ?? 0, spendableBits: acc?.spendableBits ?? 0, consumedBits: acc?.consumedBits ?? 0, wastedBits: acc?.wastedBits ?? 0 };
    });
    return { linkId: l.id, kind: l.kind, keyRateBps: l.keyRateBps ?? null, lengthKm: l.lengthKm, ends };
  });
}

export function accountingReport(view: OperatorView) {
  const rows = [];
  for (const k of view.kmes.values()) for (const a of k.accounts()) rows.push({ node: k.nodeId, ...a, balanced: a.producedBits === a.storedBits + a.consumedBits + a.wastedBits });
  return { balanced: rows.every((r) => r.balanced), rows };
}

export function createOperatorApp(view: OperatorView): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const limitOf = (q: unknown) => (typeof q === 'string' && /^\d{1,5}$/.test(q) ? Math.max(1, Number(q)) : 100);
  app.get('/api/backbone/topology', (_req, res) => {
    res.json({ ...view.graph.topology, endpoints: Object.fromEntries(view.endpoints ?? []) });
  });
  app.get('/api/backbone/pools', (_req, res) => {
    res.json(poolsReport(view));
  });
  app.get('/api/backbone/relays', (req, res) => {
    const limit = limitOf(req.query.limit);
    const relays = [...view.kmes.values()].flatMap((k) => k.relays(limit)).sort((a, b) => b.createdMs - a.createdMs).slice(0, limit);
    res.json(relays);
  });
  // every hop's pad for one relay, satellite blocks with their pass provenance included (no key material)
  app.get('/api/backbone/relays/:relayId/trace', (req, res) => {
    const id = String(req.params.relayId);
    if (!/^[0-9a-f-]{36}$/.test(id)) return void res.status(400).json({ message: 'relayId must be a UUID' });
    res.json([...view.kmes.values()].flatMap((k) => k.trace(id)));
  });
  app.get('/api/backbone/usage', (_req, res) => {
    res.json([...view.kmes.values()].flatMap((k) => k.usage().map((u) => ({ node: k.nodeId, ...u }))));
  });
  app.get('/api/backbone/accounting', (_req, res) => {
    res.json(accountingReport(view));
  });
  // the web console's formats (web/src/api-types.ts): links with one pool level, SAEs with keys served
  app.get('/api/backbone/links', (_req, res) => {
    const nodes = view.graph.topology.nodes.map((n) => ({ id: n.id, name: n.name, latDeg: n.latDeg, lonDeg: n.lonDeg }));
    const links = poolsReport(view).map((p) => ({ id: p.linkId, a: p.ends[0]!.node, b: p.ends[1]!.node, poolBits: p.ends.reduce((s, e) => s + e.spendableBits, 0) }));
    res.json({ nodes, links });
  });
  app.get('/api/backbone/saes', (_req, res) => {
    const by = new Map<string, { saeId: string; kmeId?: string; keysServed: number; bitsServed: number }>();
    for (const k of view.kmes.values()) {
      for (const u of k.usage()) {
        const s = by.get(u.sae) ?? { saeId: u.sae, kmeId: view.graph.saeNode.get(u.sae), keysServed: 0, bitsServed: 0 };
        s.keysServed += u.keys;
        s.bitsServed += u.bits;
        by.set(u.sae, s);
      }
    }
    res.json({ saes: [...by.values()].sort((a, b) => a.saeId.localeCompare(b.saeId)) });
  });
  app.get('/backbone', (_req, res) => {
    res.type('html').send(operatorPage);
  });
  app.use((_req, res) => {
    res.status(404).json({ message: 'no such resource' });
  });
  return app;
}

export async function startOperatorApi(view: OperatorView, opts: { host?: string; port?: number } = {}): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer(createOperatorApp(view));
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return { server, url, close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }) };
}
