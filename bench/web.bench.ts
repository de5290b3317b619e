/**
 * Web view performance in headless chromium (SwiftShader software WebGL, so absolute figures are far slower than on
 * a GPU; the ratios are what to watch):
 *  - first globe render: navigation start → first frame with every globe tile loaded, for the scenario mission
 *    (Micius + 6 constellation satellites, 10 stations, ~200 passes, ~110 inter-satellite windows), lite and full;
 *  - frame time while the clock runs at 60× with the scenario mission and with 500 satellites (with and without
 *    orbit trails), lite scene, uncapped frame rate; and Cesium's own main-thread time per frame, the part that
 *    grows with the number of satellites (rasterisation does not).
 * Prints one line per figure.
 */
import { cpus, loadavg } from 'node:os';
import { launchChromium } from '../test/browser/chromium.ts';
import { startFixtureServer, type FixtureServer } from '../test/browser/fixture-server.ts';

type Stats = { frames: number; meanMs: number; p50Ms: number; p95Ms: number; maxMs: number };
type Probe = { ready: boolean; error?: string; firstGlobeRenderMs?: number; entityCount: number; measureFrames(ms: number): Promise<Stats & { sceneCpu?: Stats }> };

const MEASURE_MS = 8000;

async function run(): Promise<void> {
  const small = await startFixtureServer();
  const big = await startFixtureServer({ satellites: 500, hours: 2 });
  const bigBare = await startFixtureServer({ satellites: 500, hours: 2, trails: false });
  const browser = await launchChromium({ width: 1280, height: 800 });
  const n = small.fixture.satellites.length;
  try {
    const load = async (srv: FixtureServer, query: string) => {
      const page = await browser.context.newPage();
      await page.goto(`${srv.url}?${query}`);
      await page.waitForFunction(() => (window as unknown as { __satqkd?: Probe }).__satqkd?.ready || (window as unknown as { __satqkd?: Probe }).__satqkd?.error, null, { timeout: 180_000 });
      await page.waitForFunction(() => (window as unknown as { __satqkd: Probe }).__satqkd.firstGlobeRenderMs !== undefined, null, { timeout: 180_000 });
      const info = await page.evaluate(() => {
        const p = (window as unknown as { __satqkd: Probe }).__satqkd;
        return { error: p.error, firstGlobeRenderMs: p.firstGlobeRenderMs!, entityCount: p.entityCount };
      });
      if (info.error) throw new Error(info.error);
      return { page, ...info };
    };
    const frames = async (page: Awaited<ReturnType<typeof load>>['page']) => {
      await page.waitForTimeout(1500); // let the first orbit-trail geometry settle
      return page.evaluate((ms) => (window as unknown as { __satqkd: Probe }).__satqkd.measureFrames(ms), MEASURE_MS);
    };
    const out = (label: string, v: string) => process.stdout.write(`${label.padEnd(52)} ${v}\n`);

    const lite = await load(small, 'lite=1');
    out(`first globe render, ${n} satellites, lite scene`, `${lite.firstGlobeRenderMs.toFixed(0)} ms`);
    const f2 = await frames(lite.page);
    await lite.page.close();
    const full = await load(small, '');
    out(`first globe render, ${n} satellites, full scene`, `${full.firstGlobeRenderMs.toFixed(0)} ms`);
    const f2full = await frames(full.page);
    await full.page.close();
    const many = await load(big, 'lite=1');
    out('first globe render, 500 satellites, lite scene', `${many.firstGlobeRenderMs.toFixed(0)} ms (${many.entityCount} entities)`);
    const f500 = await frames(many.page);
    await many.page.close();
    const bare = await load(bigBare, 'lite=1');
    const f500bare = await frames(bare.page);
    await bare.page.close();

    const fmt = (f: { frames: number; meanMs: number; p50Ms: number; p95Ms: number }) => `mean ${f.meanMs.toFixed(1)} ms, p50 ${f.p50Ms.toFixed(1)} ms, p95 ${f.p95Ms.toFixed(1)} ms (${f.frames} frames, ${(1000 / f.meanMs).toFixed(1)} fps)`;
    out(`frame time, ${n} satellites, lite scene`, fmt(f2));
    out(`frame time, ${n} satellites, full scene`, fmt(f2full));
    out('frame time, 500 satellites, lite scene', fmt(f500));
    out('frame time, 500 satellites without trails, lite', fmt(f500bare));
    const cpu = (f: Stats & { sceneCpu?: Stats }) => (f.sceneCpu ? `mean ${f.sceneCpu.meanMs.toFixed(1)} ms, p95 ${f.sceneCpu.p95Ms.toFixed(1)} ms` : 'n/a');
    out(`Cesium main-thread time per frame, ${n} satellites`, cpu(f2));
    out('Cesium main-thread time per frame, 500 satellites', cpu(f500));
    out('Cesium main-thread time, 500 satellites no trails', cpu(f500bare));
    out(`ratio 500 / ${n} satellites (mean frame time, lite)`, `${(f500.meanMs / f2.meanMs).toFixed(2)}×`);
    if (f500.sceneCpu && f2.sceneCpu) out(`ratio 500 / ${n} satellites (Cesium main-thread time)`, `${(f500.sceneCpu.meanMs / f2.sceneCpu.meanMs).toFixed(2)}×`);
    out(`ratio full / lite scene (mean frame time, ${n} sats)`, `${(f2full.meanMs / f2.meanMs).toFixed(2)}×`);
    // Software rendering shares the CPU with everything else: the load says how contended these figures are.
    out('load average (1 min) / cores', `${loadavg()[0].toFixed(1)} / ${cpus().length}`);
  } finally {
    await browser.close();
    await small.close();
    await big.close();
    await bigBare.close();
  }
}

await run();
