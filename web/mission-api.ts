/**
 * The mission process's part of the page's API (docs/web.md): GET /api/plan, /api/czml and /api/stations from
 * providers the mission wires to the planner. Station operator APIs (ground-station/api/router.ts) mount under
 * /api/stations/:id and the backbone's under /api/backbone next to it; this router answers only its three paths.
 * Providers are called per request (a re-plan shows up on reload); CZML is cached by the provider's version key.
 */
import express from 'express';
import type { CzmlPacket } from '../planner/czml/index.ts';
import type { Plan } from './src/api-types.ts';

export interface MissionApiProviders {
  plan(): Plan | Promise<Plan>;
  czml(): CzmlPacket[] | Promise<CzmlPacket[]>;
  /** Changes when the CZML would (e.g. the plan's generation time); the document is rebuilt only then. */
  czmlVersion?(): string;
}

export function createMissionApiRouter(p: MissionApiProviders): express.Router {
  const r = express.Router();
  let cached: { version: string; body: string } | undefined;
  const fail = (res: express.Response, err: unknown) => res.status(500).json({ message: (err as Error).message });

  r.get('/api/plan', async (_req, res) => {
    try {
      res.json(await p.plan());
    } catch (err) {
      fail(res, err);
    }
  });
  r.get('/api/czml', async (_req, res) => {
    try {
      const version = p.czmlVersion?.() ?? '';
      // Serialised once per version: a 500-satellite document is megabytes.
      if (!cached || cached.version !== version || !p.czmlVersion) cached = { version, body: JSON.stringify(await p.czml()) };
      res.type('application/json').send(cached.body);
    } catch (err) {
      fail(res, err);
    }
  });
  r.get('/api/stations', async (_req, res) => {
    try {
      res.json({ stations: (await p.plan()).stations ?? [] });
    } catch (err) {
      fail(res, err);
    }
  });
  return r;
}
