/**
 * The consoles against the real servers of the other modules, next to the built page (consoles only, globe=0):
 * - a ground-station daemon (ground-station/station.ts) flying a pass on sky-sim under a stepped virtual clock, its
 *   operator API (ground-station/api/router.ts) at /api/stations/xinglong: the page must follow the pass live over
 *   the API's Server-Sent Events, show its summary in the pass log, and send commands the station accepts;
 * - an in-process trusted-relay backbone (backbone/network.ts) with its operator API (backbone/operator/api.ts): the
 *   page must show its pools, a relay across the middle node with its path, and keys per SAE.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticPlannedPass } from '../../ground-station/automation/testing/sky-sim-rig.ts';
import { parseStationConfig } from '../../ground-station/station-config.ts';
import { startStation, type RunningStation } from '../../ground-station/station.ts';
import { silentLogger } from '../../planner/log.ts';
import { VirtualClock } from '../../sky-sim/clock/virtual-clock.ts';
import { planToJson } from '../../web/src/api-serialize.ts';
import { createMissionApiRouter } from '../../web/mission-api.ts';
import { createWebRouter, ensureWebBuilt } from '../../web/server.ts';
import { createInProcessNetwork, type InProcessNetwork } from '../../backbone/network.ts';
import { createOperatorApp } from '../../backbone/operator/api.ts';
import { lineTopology, ManualClock, tempDir } from '../../backbone/testing/fixtures.ts';
import { launchChromium, type Browser } from './chromium.ts';

const T0 = Date.parse('2026-11-29T16:00:00Z');
const synth = syntheticPlannedPass('xinglong', T0 + 300_000, 70, 30, 40);

let station: RunningStation;
let clock: VirtualClock;
let server: Server;
let browser: Browser;
let url: string;
let net: InProcessNetwork;
let relayKeyIds: string[] = [];

/**
 * The page first asks for the documented endpoints (/api/stations list, /api/backbone/links, /saes) and falls back to
 * the modules' own ones; the browser logs those expected 404s. Nothing else may appear.
 */
const problems = () => browser.problems.filter((p) => !/status of 404 \(Not Found\)/.test(p));

beforeAll(async () => {
  clock = new VirtualClock({ startMs: T0 });
  const cfg = parseStationConfig(JSON.stringify({ stationsFile: 'x', stationId: 'xinglong', tleFiles: ['x'], api: { host: '127.0.0.1', port: 0 }, timing: { leadMs: 60_000 } }), '/tmp/station.json');
  if (!cfg.ok) throw new Error(cfg.reason);
  const r = await startStation({
    config: cfg.value,
    clock,
    plan: { passes: [synth.pass], ephemeris: async () => synth.ephemeris },
    postProcess: async (rec) => ({ blocks: [], note: `${rec.events.length} detections` }),
    keySink: { put: async () => {} },
    logger: silentLogger,
    listen: false,
    skySim: { seed: 3, preRollMs: 90_000, config: { simulation: { sliceMs: 10 }, source: { syncPeriodPulses: 1_000_000 } } },
    interlocks: [],
  });
  if (!r.ok) throw new Error(r.reason);
  station = r.station;

  // N0 — N1 — N2, fibre at 100 kbit/s, 10 s of key; three 256-bit keys relayed from N2 to N0 through N1.
  const bbClock = new ManualClock(T0);
  net = createInProcessNetwork({ topology: lineTopology(2), dataDir: tempDir(), clock: bbClock });
  bbClock.advance(10_000);
  net.tick();
  const started = net.kmes.get('N2')!.startRelays('N0', 3, 256);
  if (!started.ok) throw new Error('relay did not start');
  relayKeyIds = started.keyIds;
  if (!(await net.kmes.get('N2')!.waitReady(started.keyIds))) throw new Error('relay did not complete');
  await net.settle();

  const { distDir } = await ensureWebBuilt();
  const app = express();
  const site = { id: 'xinglong', name: 'Xinglong', latDeg: 40.3958, lonDeg: 117.5775, heightM: 900 };
  app.use(createMissionApiRouter({ plan: () => planToJson({ passes: [synth.pass], stations: [site], startMs: T0, endMs: T0 + 3_600_000 }), czml: () => [] }));
  app.use('/api/stations/xinglong', station.router);
  app.use(createWebRouter({ distDir }));
  app.use(createOperatorApp({ graph: net.graph, kmes: net.kmes })); // last: it ends with a catch-all 404
  server = createServer(app);
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchChromium({ width: 1000, height: 800 });
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise<void>((res) => (server ? server.close(() => res()) : res()));
  await station?.close();
  net?.close();
});

describe('station console on the ground-station API', () => {
  it('shows the automation state and connects to its SSE stream', async () => {
    const page = browser.page;
    await page.goto(`${url}?globe=0&tab=station`);
    await page.waitForFunction(() => (window as unknown as { __satqkd?: { ready: boolean } }).__satqkd?.ready, null, { timeout: 30_000 });
    expect(await page.locator('td[data-field=state]').innerText()).toBe('idle');
    await expect.poll(() => page.locator('[data-testid=telemetry-status]').innerText(), { timeout: 10_000 }).toBe('live (SSE)');
  });

  it('follows a pass flown on sky-sim live, then lists its summary', async () => {
    const page = browser.page;
    // Record every state the console shows (the stepped clock may fly the pass faster than a screenshot could).
    await page.evaluate(() => {
      const td = document.querySelector('td[data-field=state]')!;
      const rates = document.querySelector('td[data-field=countRates]')!;
      const seen: string[] = [];
      const seenRates: string[] = [];
      Object.assign(window, { __states: seen, __rates: seenRates });
      new MutationObserver(() => seen.push(td.textContent ?? '')).observe(td, { childList: true, characterData: true, subtree: true });
      new MutationObserver(() => seenRates.push(rates.textContent ?? '')).observe(rates, { childList: true, characterData: true, subtree: true });
    });
    // Fly the pass in steps so the browser sees the stream as it happens.
    for (let t = T0; t < synth.pass.losMs + 120_000; t += 20_000) {
      await clock.advanceTo(t);
      await new Promise((r) => setTimeout(r, 30));
    }
    const states = await page.evaluate(() => (window as unknown as { __states: string[] }).__states);
    expect(states).toEqual(expect.arrayContaining(['slewing', 'tracking', 'keyExchange', 'idle']));
    expect(states.indexOf('keyExchange')).toBeGreaterThan(states.indexOf('slewing'));
    // Telemetry during the pass carried the detectors' count rates (sky-sim's, through the station's time tagger).
    const rates = await page.evaluate(() => (window as unknown as { __rates: string[] }).__rates);
    expect(rates.some((r) => /^H \d.* V \d.* D \d.* A \d/.test(r))).toBe(true);
    const row = page.locator(`[data-testid=pass-log] tr[data-pass-id="${synth.pass.id}"]`);
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.innerText()).toContain('completed');
    expect(problems()).toEqual([]);
  });

  it('sends park as the API expects (POST commands/park) and shows the answer', async () => {
    const page = browser.page;
    await page.click('button[data-command=park]');
    await expect.poll(() => page.locator('[data-testid=command-result]').innerText()).toBe('park accepted');
    const log = (await (await fetch(`${url}api/stations/xinglong/log`)).json()) as { entries: { kind: string; message: string }[] };
    expect(log.entries.some((e) => e.kind === 'operator' && /park/i.test(e.message))).toBe(true);
    expect(problems()).toEqual([]);
  });
});

describe('backbone console on the backbone operator API', () => {
  it('shows the pools of both links, the relay with its path, and no console errors', async () => {
    const page = browser.page;
    await page.goto(`${url}?globe=0&tab=backbone`);
    await page.waitForFunction(() => (window as unknown as { __satqkd?: { ready: boolean } }).__satqkd?.ready, null, { timeout: 30_000 });
    const links = page.locator('[data-testid=backbone-links] tr[data-link-id]');
    expect(await links.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.linkId).sort())).toEqual(['N0~N1', 'N1~N2']);
    expect(await links.first().innerText()).toMatch(/N0 – N1\s+[\d.]+ (k|M)?bit/);
    const relays = page.locator('[data-testid=backbone-relays] tr[data-relay-id]');
    expect(relayKeyIds).toHaveLength(3);
    expect(await relays.count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-testid=backbone-relays]').innerText()).toContain('N2 → N1 → N0');
    // No application has asked for keys through ETSI 014 here: an empty SAE table, not an error.
    expect(await page.locator('[data-testid=backbone-saes] [data-unavailable]').count()).toBe(0);
    expect(problems()).toEqual([]);
  });
});
