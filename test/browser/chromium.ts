/**
 * Launching Debian's chromium through playwright-core the way every browser test and the benchmark do: a persistent
 * context in a fresh temp profile, headless, no network features that would reach out (DEVELOPERS.md flags).
 * WebGL runs on SwiftShader (software), hence the lite scene flag on the page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.SATQKD_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and failed requests seen so far. */
  problems: string[];
  close(): Promise<void>;
}

export async function launchChromium(viewport = { width: 1400, height: 850 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'satqkd-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, viewport });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // Not failures of the page: aborted downloads (the export buttons' object URLs), and a telemetry stream the
    // page closed itself when the operator switched station.
    const closedByPage = r.failure()?.errorText === 'net::ERR_ABORTED' && r.resourceType() === 'eventsource';
    if (!r.url().startsWith('blob:') && !closedByPage) problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
