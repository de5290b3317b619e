/**
 * The web page in a real browser (Debian chromium via playwright-core, SwiftShader WebGL, lite scene): it loads
 * without console errors, the globe renders, the plan's passes are on the Gantt and the Cesium timeline, a click on
 * a pass opens its details, a live pass updates the station console, commands reach the station, and a server that
 * lacks sections still gets a working page. One browser for the file; the page is built once (content hash).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type Browser } from './chromium.ts';
import { FIXTURE_SPEED_UP, startFixtureServer, type FixtureServer } from './fixture-server.ts';
import { pixelStats } from './pixels.ts';

/** Where the screenshots go (printed, and named in docs/web.md). */
export const ARTIFACT_DIR = process.env.SATQKD_ARTIFACTS ?? join(tmpdir(), 'satqkd-web-artifacts');

let server: FixtureServer;
let browser: Browser;

type Probe = { ready: boolean; error?: string; firstGlobeRenderMs?: number; entityCount: number };

beforeAll(async () => {
  mkdirSync(ARTIFACT_DIR, { recursive: true });
  [server, browser] = await Promise.all([startFixtureServer({ telemetryStepMs: 120 }), launchChromium()]);
  await browser.page.goto(`${server.url}?lite=1&fps=4`);
  await browser.page.waitForFunction(() => (window as unknown as { __satqkd?: Probe }).__satqkd?.ready || (window as unknown as { __satqkd?: Probe }).__satqkd?.error, null, { timeout: 90_000 });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const probe = () => browser.page.evaluate(() => {
  const p = (window as unknown as { __satqkd: Probe }).__satqkd;
  return { ready: p.ready, error: p.error, firstGlobeRenderMs: p.firstGlobeRenderMs, entityCount: p.entityCount };
});

describe('web page in chromium', () => {
  it('starts without errors and loads every CZML entity', async () => {
    const p = await probe();
    expect(p.error).toBeUndefined();
    expect(p.ready).toBe(true);
    expect(p.entityCount).toBe(server.fixture.czml.length - 1); // all packets but the document
    const kinds = await browser.page.evaluate(() => {
      const v = (window as unknown as { __satqkd: { mission: { viewer: { dataSources: { get(i: number): { entities: { values: { properties?: { kind?: { getValue(): string } } }[] } } } } } } }).__satqkd.mission.viewer;
      return [...new Set(v.dataSources.get(0).entities.values.map((e) => e.properties?.kind?.getValue()))].sort();
    });
    expect(kinds).toEqual(['backbone-link', 'isl', 'node', 'pass', 'satellite', 'station', 'station-mask']);
    expect(browser.problems).toEqual([]);
  });

  it('renders the globe (screenshot is not blank)', async () => {
    const page = browser.page;
    await page.waitForFunction(() => (window as unknown as { __satqkd: Probe }).__satqkd.firstGlobeRenderMs !== undefined, null, { timeout: 60_000 });
    const png = await page.locator('#globe canvas').first().screenshot();
    const path = join(ARTIFACT_DIR, 'globe.png');
    writeFileSync(path, png);
    await page.screenshot({ path: join(ARTIFACT_DIR, 'page.png') });
    process.stdout.write(`globe screenshot: ${path}\n`);
    const s = await pixelStats(page, png);
    expect(s.width).toBeGreaterThan(300);
    // The Earth fills a good part of the default view; NaturalEarthII oceans are blue; imagery has many colours.
    expect(s.nonBlackFraction).toBeGreaterThan(0.2);
    expect(s.oceanFraction).toBeGreaterThan(0.05);
    expect(s.distinctColours).toBeGreaterThan(500);
  });

  it('shows every pass of the plan on the Gantt and on the Cesium timeline', async () => {
    const page = browser.page;
    const planIds = server.fixture.plan.passes.map((p) => p.id!).sort();
    expect(planIds.length).toBeGreaterThan(5);
    const barIds = await page.locator('.gantt-bar').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.passId!));
    expect(barIds.sort()).toEqual(planIds);
    // Each bar sits in its station's row.
    const misplaced = await page.locator('.gantt-row').evaluateAll((rows) =>
      rows.flatMap((r) => [...r.querySelectorAll<HTMLElement>('.gantt-bar')].filter((b) => !b.dataset.passId!.includes(`@${(r as HTMLElement).dataset.station}@`)).map((b) => b.dataset.passId)),
    );
    expect(misplaced).toEqual([]);
    expect(await page.locator('.cesium-timeline-highlight').count()).toBe(planIds.length);
  });

  it('filters by station and night-only', async () => {
    const page = browser.page;
    const passes = server.fixture.plan.passes;
    await page.selectOption('select[name=station]', 'graz');
    expect(await page.locator('.gantt-bar').count()).toBe(passes.filter((p) => p.station === 'graz').length);
    await page.selectOption('select[name=station]', '');
    await page.check('input[name=nightOnly]');
    const night = passes.filter((p) => p.sunElevationDegAtTca! < -12).length;
    expect(night).toBeGreaterThan(0);
    expect(night).toBeLessThan(passes.length);
    expect(await page.locator('.gantt-bar').count()).toBe(night);
    await page.uncheck('input[name=nightOnly]');
    expect(await page.locator('.gantt-bar').count()).toBe(passes.length);
  });

  it('opens the details of a clicked pass: profile, expected key, constraints', async () => {
    const page = browser.page;
    const best = [...server.fixture.plan.passes].sort((a, b) => (b.expectedSecretKeyBits ?? 0) - (a.expectedSecretKeyBits ?? 0))[0];
    const cut = server.fixture.plan.passes.find((p) => (p.cuts?.length ?? 0) > 0)!;
    await page.click(`.gantt-bar[data-pass-id="${best.id}"]`);
    const details = page.locator('[data-testid=pass-details]');
    await expect.poll(() => details.getAttribute('data-pass-id')).toBe(best.id);
    const text = await details.innerText();
    const name = server.fixture.plan.satellites!.find((s) => s.id === best.satellite)!.name;
    expect(text).toContain(`${name} over ${best.station}`);
    expect(text).toContain(`${(best.expectedSecretKeyBits! / 1e3).toFixed(1)} kbit`);
    expect(text).toContain(`${best.maxElevationDeg.toFixed(1)}°`);
    expect(text).toContain('none: usable from AOS to LOS');
    const points = await details.locator('polyline.elevation').getAttribute('points');
    expect(points!.split(' ').length).toBe(best.profile!.length);
    expect(await details.locator('polyline.loss').count()).toBe(1);

    await page.click(`.gantt-bar[data-pass-id="${cut.id}"]`);
    await expect.poll(() => details.getAttribute('data-pass-id')).toBe(cut.id);
    expect(await details.locator('ul.cuts li').count()).toBe(cut.cuts!.length);
    expect(await details.locator('rect.cut').count()).toBe(cut.cuts!.length);
  });

  it('follows the running mission\'s virtual clock (api/mission): time and rate', async () => {
    const page = browser.page;
    expect(await page.locator('input[name=live]').isVisible()).toBe(true);
    expect(await page.locator('input[name=live]').isChecked()).toBe(true);
    const m = await page.evaluate(() => {
      const w = (window as unknown as { __satqkd: { missionClock?: boolean; mission: { nowMs(): number; viewer: { clock: { multiplier: number } } } } }).__satqkd;
      return { following: w.missionClock, nowMs: w.mission.nowMs(), multiplier: w.mission.viewer.clock.multiplier };
    });
    expect(m.following).toBe(true);
    expect(m.multiplier).toBe(FIXTURE_SPEED_UP);
    // Within the re-sync tolerance (2 s of real time) plus the frames between the two readings, at 4 fps.
    expect(Math.abs(m.nowMs - server.missionNowMs())).toBeLessThan(4000 * FIXTURE_SPEED_UP);
    // A far jump of the mission (idle time skipped) is followed at the next poll.
    await page.evaluate(() => (window as unknown as { __satqkd: { mission: { setClock(t: number, r: number): void } } }).__satqkd.mission.setClock(0, 1));
    await expect.poll(() => page.evaluate(() => (window as unknown as { __satqkd: { mission: { nowMs(): number } } }).__satqkd.mission.nowMs()), { timeout: 15_000 }).toBeGreaterThan(server.missionNowMs() - 4000 * FIXTURE_SPEED_UP);
  });

  it('"Show in 3D" moves the Cesium clock to AOS and follows the satellite', async () => {
    const page = browser.page;
    const p = server.fixture.plan.passes[0];
    await page.click(`.gantt-bar[data-pass-id="${p.id}"]`);
    await page.click('button:has-text("Show in 3D")');
    const state = await page.evaluate(() => {
      const m = (window as unknown as { __satqkd: { mission: { nowMs(): number; viewer: { trackedEntity?: { id: string } } } } }).__satqkd.mission;
      return { nowMs: m.nowMs(), tracked: m.viewer.trackedEntity?.id };
    });
    expect(state.tracked).toBe(`sat/${p.satellite}`);
    expect(await page.locator('select[name=follow]').inputValue()).toBe(`sat/${p.satellite}`);
    expect(await page.locator('input[name=live]').isChecked()).toBe(false); // looking at AOS, not the mission's now
    // The clock animates (60× real time), so it is at or a little after AOS (the ISO string is rounded to 1 ms).
    expect(state.nowMs - Date.parse(p.aos)).toBeGreaterThanOrEqual(-1);
    expect(state.nowMs - Date.parse(p.aos)).toBeLessThan(10 * 60_000);
  });

  it('the Follow menu lists satellites and stations and tracks the chosen one', async () => {
    const page = browser.page;
    const options = await page.locator('select[name=follow] option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    expect(options).toEqual(expect.arrayContaining(['', 'sat/41731', 'sat/99901', 'station/xinglong', 'station/graz']));
    await page.selectOption('select[name=follow]', 'station/graz');
    const tracked = () => page.evaluate(() => (window as unknown as { __satqkd: { mission: { viewer: { trackedEntity?: { id: string } } } } }).__satqkd.mission.viewer.trackedEntity?.id ?? null);
    expect(await tracked()).toBe('station/graz');
    await expect.poll(() => page.locator('[data-testid=selection]').innerText()).toMatch(/^station: Graz/);
    await page.selectOption('select[name=follow]', '');
    expect(await tracked()).toBeNull();
  });

  it('a live pass updates the station console (SSE), then its report joins the pass log', async () => {
    const page = browser.page;
    await page.click('button[data-tab=station]');
    // Choosing a station opens its telemetry stream: the scripted pass starts now.
    await page.selectOption('select[name=consoleStation]', 'nanshan');
    await expect.poll(() => page.locator('[data-testid=telemetry-status]').innerText(), { timeout: 10_000 }).toBe('live (SSE)');
    const state = page.locator('td[data-field=state]');
    await expect.poll(() => state.innerText(), { timeout: 10_000 }).toBe('tracking');
    const key = page.locator('td[data-field=key]');
    const bits = async () => Number((await key.getAttribute('data-bits')) ?? 0);
    await expect.poll(bits, { timeout: 5_000 }).toBeGreaterThan(0);
    const first = await bits();
    await expect.poll(bits, { timeout: 5_000 }).toBeGreaterThan(first);
    expect(await page.locator('td[data-field=qber]').innerText()).toMatch(/^\d+\.\d\d %$/);
    expect(await page.locator('td[data-field=countRates]').innerText()).toMatch(/^H .+V .+D .+A /);
    expect(await page.locator('td[data-field=azEl]').innerText()).toMatch(/^-?\d+\.\d\d° \/ \d+\.\d\d°$/);
    await expect.poll(() => state.innerText(), { timeout: 15_000 }).toBe('done');
    const expected = server.fixture.passes.find((p) => p.pass.station === 'nanshan' && (p.json.expectedSecretKeyBits ?? 0) > 0)!;
    expect(await bits()).toBe(expected.json.expectedSecretKeyBits);
    await expect.poll(() => page.locator(`[data-testid=pass-log] tr[data-pass-id="${expected.pass.id}"]`).count(), { timeout: 5_000 }).toBe(1);
  });

  it('abort (after confirmation) and park reach the station and show in the console', async () => {
    const page = browser.page;
    // Declined first: nothing is sent.
    page.once('dialog', (d) => void d.dismiss());
    await page.click('button[data-command=abort]');
    expect(server.commands).toEqual([]);
    page.once('dialog', (d) => void d.accept());
    await page.click('button[data-command=abort]');
    await expect.poll(() => page.locator('[data-testid=command-result]').innerText()).toBe('abort accepted');
    await expect.poll(() => page.locator('td[data-field=state]').innerText()).toBe('aborted');
    await page.click('button[data-command=park]');
    await expect.poll(() => page.locator('td[data-field=state]').innerText()).toBe('parked');
    expect(server.commands).toEqual([
      { station: 'nanshan', command: 'abort' },
      { station: 'nanshan', command: 'park' },
    ]);
  });

  it('backbone console lists pools, relay paths and SAEs', async () => {
    const page = browser.page;
    await page.click('button[data-tab=backbone]');
    expect(await page.locator('[data-testid=backbone-links] tr[data-link-id]').count()).toBe(4);
    expect(await page.locator('[data-testid=backbone-relays]').innerText()).toContain('xinglong → beijing → jinan → hefei → shanghai');
    expect(await page.locator('[data-testid=backbone-saes] tr[data-sae-id=sae-bank-shanghai]').innerText()).toContain('12');
  });

  it('exports the shown plan as CSV', async () => {
    const page = browser.page;
    await page.click('button[data-tab=plan]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[data-export=csv]')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines.length).toBe(server.fixture.plan.passes.length + 1);
    expect(lines[0].startsWith('id,satellite,station,aos')).toBe(true);
  });

  it('had no console errors through all of the above', () => {
    expect(browser.problems).toEqual([]);
  });

  it('consoles without the globe, telemetry over WebSocket', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    try {
      await page.goto(`${server.url}?globe=0&telemetry=ws&tab=station&station=graz`);
      await page.waitForFunction(() => (window as unknown as { __satqkd?: Probe }).__satqkd?.ready, null, { timeout: 30_000 });
      expect(await page.locator('canvas').count()).toBe(0);
      await expect.poll(() => page.locator('[data-testid=telemetry-status]').innerText(), { timeout: 10_000 }).toBe('live (WebSocket)');
      const key = page.locator('td[data-field=key]');
      await expect.poll(async () => Number((await key.getAttribute('data-bits')) ?? 0), { timeout: 10_000 }).toBeGreaterThan(0);
      expect(await page.locator('.gantt-bar').count()).toBe(server.fixture.plan.passes.length);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('works with a server that offers only the plan and stations', async () => {
    const lean = await startFixtureServer({ without: ['czml', 'telemetry', 'backbone'] });
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      // The browser itself reports the 404s and the refused WebSocket; anything else is the page's fault.
      if (m.type() === 'error' && !/status of 404|WebSocket connection to .* failed|EventSource's response has a MIME type/.test(m.text())) problems.push(m.text());
    });
    try {
      await page.goto(`${lean.url}?lite=1&fps=4&tab=backbone`);
      await page.waitForFunction(() => (window as unknown as { __satqkd?: Probe }).__satqkd?.ready || (window as unknown as { __satqkd?: Probe }).__satqkd?.error, null, { timeout: 90_000 });
      expect(await page.evaluate(() => (window as unknown as { __satqkd: Probe }).__satqkd.error)).toBeUndefined();
      expect(await page.locator('[data-unavailable]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.unavailable))).toEqual(
        expect.arrayContaining(['Mission CZML', 'Backbone links', 'Relay requests', 'SAE statistics']),
      );
      expect(await page.locator('.gantt-bar').count()).toBe(lean.fixture.plan.passes.length);
      await page.click('button[data-tab=station]');
      await expect.poll(() => page.locator('[data-testid=telemetry-status]').innerText(), { timeout: 15_000 }).toBe('not offered');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
      await lean.close();
    }
  });
});
