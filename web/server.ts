/**
 * Serving the web page from express: `createWebRouter()` is mounted by the mission process (next to its /api
 * routers) and by the browser tests' fixture server; `ensureWebBuilt()` runs the vite build when web/dist is missing
 * or stale. Staleness is decided by a content hash of everything the bundle is made from (recorded at each build),
 * so a test run builds once (about 2 s) and later runs reuse dist/.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';

export const webDir = dirname(fileURLToPath(import.meta.url));
export const defaultDistDir = join(webDir, 'dist');
const repoDir = dirname(webDir);
const HASH_FILE = '.build-hash';
const INPUTS_FILE = '.build-inputs.json';

function listFiles(dir: string, keep: (f: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'dist') out.push(...listFiles(p, keep));
    } else if (keep(p)) out.push(p);
  }
  return out;
}

/** Files every build depends on whatever it imports. */
function fixedInputs(): string[] {
  return [join(webDir, 'index.html'), join(webDir, 'vite.config.ts'), join(repoDir, 'package-lock.json')];
}

/**
 * sha256 over the page's inputs: the fixed ones plus the source modules the last build bundled (recorded in
 * dist/.build-inputs.json), so edits elsewhere in planner/ do not trigger rebuilds. Without a record (fresh clone),
 * every web/src file counts.
 */
export function webSourceHash(distDir = defaultDistDir): string {
  const recorded = join(distDir, INPUTS_FILE);
  const modules = existsSync(recorded)
    ? (JSON.parse(readFileSync(recorded, 'utf8')) as string[]).map((f) => join(repoDir, f))
    : listFiles(join(webDir, 'src'), (f) => !f.endsWith('.test.ts'));
  // A module that appeared in web/src since the record (not yet imported) cannot change the bundle, but a deleted
  // one can: a missing file hashes as its absence.
  const files = [...new Set([...fixedInputs(), ...modules])].sort();
  const h = createHash('sha256');
  for (const f of files) h.update(relative(repoDir, f)).update('\0').update(existsSync(f) ? readFileSync(f) : 'missing').update('\0');
  return h.digest('hex');
}

export interface BuildResult {
  distDir: string;
  /** False when an up-to-date build was reused. */
  built: boolean;
  hash: string;
}

let inFlight: Promise<BuildResult> | undefined;

/**
 * Builds web/dist unless it already holds a build of the current sources. Concurrent callers in one process share
 * one build; across processes a lock directory serialises them (the loser waits, then finds the build fresh).
 */
export function ensureWebBuilt(opts: { force?: boolean; outDir?: string } = {}): Promise<BuildResult> {
  inFlight ??= buildOnce(opts).finally(() => (inFlight = undefined));
  return inFlight;
}

async function buildOnce(opts: { force?: boolean; outDir?: string }): Promise<BuildResult> {
  const distDir = opts.outDir ?? defaultDistDir;
  const fresh = () => {
    if (opts.force || !existsSync(join(distDir, HASH_FILE)) || !existsSync(join(distDir, 'cesium', 'Cesium.js'))) return null;
    const hash = webSourceHash(distDir);
    return readFileSync(join(distDir, HASH_FILE), 'utf8') === hash ? hash : null;
  };
  const reuse = fresh();
  if (reuse) return { distDir, built: false, hash: reuse };
  const lock = `${distDir}.lock`;
  await acquire(lock);
  try {
    const again = fresh();
    if (again) return { distDir, built: false, hash: again };
    const { build } = await import('vite');
    const out = await build({ configFile: join(webDir, 'vite.config.ts'), build: { outDir: distDir }, logLevel: 'warn' });
    // The repository sources the bundle was made of (node_modules excluded: package-lock.json stands for them).
    const modules = new Set<string>();
    for (const o of Array.isArray(out) ? out : [out]) {
      if (!('output' in o)) continue;
      for (const chunk of o.output) if (chunk.type === 'chunk') for (const id of chunk.moduleIds) if (id.startsWith(repoDir) && !id.includes('node_modules') && existsSync(id)) modules.add(relative(repoDir, id));
    }
    writeFileSync(join(distDir, INPUTS_FILE), JSON.stringify([...modules].sort(), null, 1));
    const hash = webSourceHash(distDir);
    writeFileSync(join(distDir, HASH_FILE), hash);
    return { distDir, built: true, hash };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function acquire(lock: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock older than 3 minutes belongs to a build that died.
      if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`web build lock ${lock} held for more than 3 minutes`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/**
 * Static files of the built page. Hashed bundles and the Cesium assets are cacheable; index.html is revalidated so
 * a rebuilt page is picked up. Mount it last (after /api routers): it only answers GETs for files that exist.
 */
export function createWebRouter(opts: { distDir?: string } = {}): express.Router {
  const distDir = opts.distDir ?? defaultDistDir;
  const router = express.Router();
  router.use(
    express.static(distDir, {
      index: 'index.html',
      dotfiles: 'ignore',
      setHeaders(res, path) {
        const rel = relative(distDir, path);
        if (rel.startsWith('assets') || rel.startsWith('cesium')) res.setHeader('cache-control', 'public, max-age=3600');
        else res.setHeader('cache-control', 'no-cache');
      },
    }),
  );
  return router;
}

/** A standalone app serving only the page (for hosting the view apart from the APIs; pass ?api=… to the page). */
export async function createWebApp(opts: { distDir?: string } = {}): Promise<express.Express> {
  const { distDir } = await ensureWebBuilt({ outDir: opts.distDir });
  const app = express();
  app.disable('x-powered-by');
  app.use(createWebRouter({ distDir }));
  return app;
}
