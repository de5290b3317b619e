import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMissionApiRouter } from '../../web/mission-api.ts';
import { createWebRouter, ensureWebBuilt, webSourceHash } from '../../web/server.ts';

let server: Server;
let base: string;
let czmlCalls = 0;
let version = 'v1';

beforeAll(async () => {
  const { distDir } = await ensureWebBuilt();
  const app = express();
  app.use(
    createMissionApiRouter({
      plan: () => ({ passes: [], stations: [{ id: 'xl', latDeg: 40, lonDeg: 117 }] }),
      czml: () => {
        czmlCalls++;
        return [{ id: 'document', version: '1.0' }];
      },
      czmlVersion: () => version,
    }),
  );
  app.use(createWebRouter({ distDir }));
  app.use((_req, res) => void res.status(404).json({ message: 'not found' }));
  server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections(); // fetch keeps sockets alive
  await new Promise<void>((r) => server.close(() => r()));
});

describe('ensureWebBuilt', () => {
  it('reuses a build of the same sources, and the build holds the page and Cesium', async () => {
    const again = await ensureWebBuilt();
    expect(again.built).toBe(false);
    expect(again.hash).toBe(webSourceHash(again.distDir));
    expect(readFileSync(join(again.distDir, '.build-hash'), 'utf8')).toBe(again.hash);
    // The recorded inputs are the repository modules of the bundle: the page's sources and the planner code it uses.
    const inputs = JSON.parse(readFileSync(join(again.distDir, '.build-inputs.json'), 'utf8')) as string[];
    expect(inputs).toEqual(expect.arrayContaining(['web/src/main.ts', 'planner/czml/colour.ts']));
    expect(inputs.some((f) => f.includes('node_modules') || f.endsWith('.test.ts'))).toBe(false);
    for (const f of ['index.html', 'cesium/Cesium.js', 'cesium/Widgets/widgets.css', 'cesium/Assets/Textures/NaturalEarthII/tilemapresource.xml']) {
      expect(existsSync(join(again.distDir, f))).toBe(true);
    }
  });
});

describe('createWebRouter', () => {
  it.each([
    { path: '/', status: 200, type: /text\/html/, cache: 'no-cache' },
    { path: '/cesium/Cesium.js', status: 200, type: /javascript/, cache: 'public, max-age=3600' },
    { path: '/cesium/Assets/Textures/NaturalEarthII/0/0/0.jpg', status: 200, type: /image\/jpeg/, cache: 'public, max-age=3600' },
    { path: '/.build-hash', status: 404 },
    { path: '/nothing-here', status: 404 },
  ])('GET $path → $status', async ({ path, status, type, cache }) => {
    const res = await fetch(base + path);
    expect(res.status).toBe(status);
    if (type) expect(res.headers.get('content-type')).toMatch(type);
    if (cache) expect(res.headers.get('cache-control')).toBe(cache);
  });

  it('the page refers to its assets relatively (hostable under any path)', async () => {
    const html = await (await fetch(base + '/')).text();
    expect(html).toMatch(/src="\.\/assets\/index-[\w-]+\.js"/);
    expect(html).not.toMatch(/(src|href)="\/(?!\/)/);
  });
});

describe('createMissionApiRouter', () => {
  it('serves plan and stations, and rebuilds the CZML only when its version changes', async () => {
    expect(await (await fetch(base + '/api/plan')).json()).toEqual({ passes: [], stations: [{ id: 'xl', latDeg: 40, lonDeg: 117 }] });
    expect(await (await fetch(base + '/api/stations')).json()).toEqual({ stations: [{ id: 'xl', latDeg: 40, lonDeg: 117 }] });
    await fetch(base + '/api/czml');
    const res = await fetch(base + '/api/czml');
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual([{ id: 'document', version: '1.0' }]);
    expect(czmlCalls).toBe(1);
    version = 'v2';
    await fetch(base + '/api/czml');
    expect(czmlCalls).toBe(2);
  });
});

describe('backbone topology straight into the mission CZML', async () => {
  const { lineTopology } = await import('../../backbone/testing/fixtures.ts');
  const { backbonePackets } = await import('../../planner/czml/index.ts');
  it('a backbone topology file needs no conversion (nodes with coordinates, links by id)', () => {
    const t = lineTopology(2);
    const packets = backbonePackets(t.nodes, t.links);
    expect(packets.map((p) => p.id)).toEqual(['node/N0', 'node/N1', 'node/N2', 'link/N0~N1', 'link/N1~N2']);
  });
});
