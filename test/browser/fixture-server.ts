/**
 * The test server of the web page: the built page (web/server.ts) plus the APIs of docs/web.md, fed by the real
 * planner (fixture-plan.ts) and a scripted live pass (fixture-telemetry.ts). Sections can be switched off to check
 * that the page survives a server that does not offer them. Loopback only; port 0 picks a free port.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { WebSocketServer, type WebSocket } from 'ws';
import { channelTransmittance } from '../../planner/link/channel.ts';
import { parseTerminalFile } from '../../planner/link/terminal-file.ts';
import { toIso } from '../../planner/time.ts';
import { readFileSync } from 'node:fs';
import type { PassLog, StationState, Telemetry } from '../../web/src/api-types.ts';
import { createWebRouter, ensureWebBuilt } from '../../web/server.ts';
import { createMissionApiRouter } from '../../web/mission-api.ts';
import { buildFixturePlan, type FixturePlan } from './fixture-plan.ts';
import { scriptPass } from './fixture-telemetry.ts';

export type Section = 'plan' | 'czml' | 'stations' | 'telemetry' | 'backbone' | 'mission';

/** The fixture's mission clock runs this many times faster than real time, from an hour into the plan. */
export const FIXTURE_SPEED_UP = 30;

export interface FixtureServerOptions {
  /** Synthetic constellation size (benchmark); default: the two-satellite scenario with its real plan. */
  satellites?: number;
  hours?: number;
  /** Sections answered with 404 (a server that does not offer them). */
  without?: Section[];
  /** Orbit trails behind the satellites (default true). */
  trails?: boolean;
  /** Real milliseconds between telemetry messages. */
  telemetryStepMs?: number;
}

export interface FixtureServer {
  url: string;
  fixture: FixturePlan;
  /** Commands received (abort/park), in order, for assertions. */
  commands: { station: string; command: string }[];
  /** The virtual time `api/mission` reports now. */
  missionNowMs(): number;
  close(): Promise<void>;
}

export async function startFixtureServer(opts: FixtureServerOptions = {}): Promise<FixtureServer> {
  const { distDir } = await ensureWebBuilt();
  const fixture = buildFixturePlan({ satellites: opts.satellites, hours: opts.hours, czmlStepS: opts.satellites ? 120 : 60, trails: opts.trails });
  const off = new Set(opts.without ?? []);
  const stepMs = opts.telemetryStepMs ?? 150;
  const commands: FixtureServer['commands'] = [];
  const stationIds = fixture.plan.stations!.map((s) => s.id);
  const states = new Map<string, StationState>(stationIds.map((id) => [id, { id, state: 'idle', azDeg: 0, elDeg: 90, mount: { parked: false } }]));
  const logs = new Map<string, PassLog['passes']>(stationIds.map((id) => [id, []]));
  const listeners = new Map<string, Set<(t: Telemetry) => void>>();
  const terminal = parseTerminalFile(readFileSync(new URL('../../tle-data/terminals/micius-xinglong.json', import.meta.url), 'utf8'), 'terminal');
  if (!terminal.ok) throw new Error(terminal.errors.join('; '));

  const idOf = (req: express.Request) => String(req.params.id);
  const app = express();
  app.disable('x-powered-by');
  const gate = (s: Section) => (_req: express.Request, res: express.Response, next: express.NextFunction) => (off.has(s) ? res.status(404).json({ message: `${s} not offered` }) : next());

  const missionStartMs = Date.parse(fixture.plan.start ?? fixture.plan.passes[0].aos) + 3_600_000;
  const servedFromMs = Date.now();
  const missionNowMs = () => missionStartMs + (Date.now() - servedFromMs) * FIXTURE_SPEED_UP;
  app.get('/api/mission', gate('mission'), (_req, res) => void res.json({ virtualNow: toIso(missionNowMs()), speedUp: FIXTURE_SPEED_UP }));
  app.get('/api/plan', gate('plan'));
  app.get('/api/stations', gate('stations'));
  app.get('/api/czml', gate('czml'));
  app.use(createMissionApiRouter({ plan: () => fixture.plan, czml: () => fixture.czml, czmlVersion: () => 'fixture' }));
  app.get('/api/stations/:id/state', gate('stations'), (req, res) => {
    const s = states.get(idOf(req));
    if (!s) return void res.status(404).json({ message: `unknown station '${idOf(req)}'` });
    res.json(s);
  });
  app.get('/api/stations/:id/passes', gate('stations'), (req, res) => {
    const l = logs.get(idOf(req));
    if (!l) return void res.status(404).json({ message: `unknown station '${idOf(req)}'` });
    res.json({ passes: l });
  });
  // The ground-station API's form (`commands/<name>`), and the short one the page falls back to.
  for (const command of ['abort', 'park'] as const) {
    app.post([`/api/stations/:id/commands/${command}`, `/api/stations/:id/${command}`], gate('stations'), (req, res) => {
      const s = states.get(idOf(req));
      if (!s) return void res.status(404).json({ message: `unknown station '${idOf(req)}'` });
      commands.push({ station: idOf(req), command });
      s.state = command === 'abort' ? 'aborted' : 'parked';
      if (command === 'park') s.mount = { parked: true };
      const t: Telemetry = { t: toIso(Date.now()), state: s.state, passId: null };
      for (const l of listeners.get(idOf(req)) ?? []) l(t);
      res.json({ ok: true, state: s.state });
    });
  }
  // SSE flavour of the telemetry (the page falls back to it when the WebSocket cannot connect).
  app.get('/api/stations/:id/telemetry', gate('telemetry'), (req, res) => {
    if (!states.has(idOf(req))) return void res.status(404).end();
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const stop = play(idOf(req), (t) => res.write(`data: ${JSON.stringify(t)}\n\n`));
    req.on('close', stop);
  });
  const b = fixture.czml.filter((p) => String(p.id).startsWith('link/'));
  app.get('/api/backbone/links', gate('backbone'), (_req, res) => {
    const capacityBits = 1e6;
    const now = Date.now();
    res.json({
      links: b.map((p, i) => {
        const id = String(p.id).slice(5);
        const [a, bb] = id.split('-');
        const level = (k: number) => capacityBits * (0.5 + 0.45 * Math.sin(k / 3 + i));
        return { id, a, b: bb, poolBits: Math.round(level(12)), capacityBits, history: Array.from({ length: 13 }, (_, k) => ({ t: toIso(now - (12 - k) * 60_000), poolBits: Math.round(level(k)) })) };
      }),
    });
  });
  app.get('/api/backbone/relays', gate('backbone'), (_req, res) =>
    void res.json({ relays: [{ id: 'r1', t: toIso(Date.now()), source: 'xinglong', destination: 'shanghai', path: ['xinglong', 'beijing', 'jinan', 'hefei', 'shanghai'], bits: 256, status: 'delivered' }] }),
  );
  app.get('/api/backbone/saes', gate('backbone'), (_req, res) => void res.json({ saes: [{ saeId: 'sae-bank-shanghai', kmeId: 'kme-shanghai', keysServed: 12, bitsServed: 3072 }] }));
  app.use('/api', (_req, res) => void res.status(404).json({ message: 'not found' }));
  app.use(createWebRouter({ distDir }));

  /** Streams the station's first night pass with key; returns the stop function. */
  function play(stationId: string, send: (t: Telemetry) => void): () => void {
    const set = listeners.get(stationId) ?? new Set();
    listeners.set(stationId, set);
    set.add(send);
    const entry = fixture.passes.find((p) => p.pass.station === stationId && (p.json.expectedSecretKeyBits ?? 0) > 0) ?? fixture.passes.find((p) => p.pass.station === stationId);
    const script = entry
      ? scriptPass({ passId: entry.pass.id, samples: entry.samples, lossDb: entry.samples.map((s) => channelTransmittance(s, terminal.ok ? terminal.value.link : (undefined as never)).lossDb), expectedSecretKeyBits: entry.json.expectedSecretKeyBits ?? 0 })
      : [];
    let i = 0;
    const tracked: Telemetry[] = [];
    const timer = setInterval(() => {
      if (i >= script.length) return void clearInterval(timer);
      const t = script[i++];
      const s = states.get(stationId)!;
      // An operator's abort or park ends the scripted pass, as it would end a real one.
      if (s.state === 'aborted' || s.state === 'parked') return void clearInterval(timer);
      Object.assign(s, { state: t.state ?? s.state, azDeg: t.azDeg ?? s.azDeg, elDeg: t.elDeg ?? s.elDeg, currentPassId: t.passId ?? null });
      send(t);
      if (t.state === 'tracking') tracked.push(t);
      if (t.state === 'done' && entry) {
        // The report summarises what was streamed: sifted bits at LOS and the detection-weighted QBER.
        const weight = (m: Telemetry) => (m.countRatesHz ?? []).reduce((a, b) => a + b, 0);
        const qber = tracked.reduce((s, m) => s + (m.qber ?? 0) * weight(m), 0) / Math.max(1, tracked.reduce((s, m) => s + weight(m), 0));
        const sifted = tracked[tracked.length - 1]?.siftedBits ?? 0;
        logs.get(stationId)!.push({
          passId: entry.pass.id,
          satellite: entry.pass.satellite,
          start: entry.json.aos,
          end: entry.json.los,
          outcome: 'key stored',
          report: { qber, siftedBits: sifted, reconciliationLeakedBits: Math.round(1.16 * sifted * binaryEntropy(qber)), secretKeyBits: t.accumulatedKeyBits, epsilonSec: 1e-10, epsilonCor: 1e-15, protocol: 'decoy-BB84 Lim2014 3-intensity' },
        });
      }
    }, stepMs);
    return () => {
      clearInterval(timer);
      set.delete(send);
    };
  }

  const server: Server = createServer(app);
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const m = /^\/api\/stations\/([^/]+)\/telemetry$/.exec((req.url ?? '').split('?')[0]);
    const id = m ? decodeURIComponent(m[1]) : undefined;
    if (!id || !states.has(id) || off.has('telemetry')) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const stop = play(id, (t) => ws.send(JSON.stringify(t)));
      ws.on('close', stop);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    fixture,
    commands,
    missionNowMs,
    async close() {
      for (const c of wss.clients) c.terminate();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function binaryEntropy(p: number): number {
  return p <= 0 || p >= 1 ? 0 : -p * Math.log2(p) - (1 - p) * Math.log2(1 - p);
}

// `npx tsx test/browser/fixture-server.ts [satellites]`: serve the fixture for a manual look.
if (import.meta.url === `file://${process.argv[1]}`) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  const s = await startFixtureServer({ satellites: n, hours: n ? 2 : 24 });
  process.stdout.write(`fixture server on ${s.url} (lite scene: ${s.url}?lite=1)\n`);
}
