/**
 * Vite build of the web page. Cesium is not bundled: its prebuilt Build/Cesium (Cesium.js plus the Workers,
 * ThirdParty, Assets and Widgets it loads at run time) is copied to dist/cesium/ and served from /cesium/ in dev,
 * and the page loads it with CESIUM_BASE_URL pointing there (src/cesium.ts). `base: './'` keeps every URL relative
 * so dist/ can be hosted under any path, or opened next to an API elsewhere (?api=…).
 */
import { cpSync, createReadStream, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const webDir = dirname(fileURLToPath(import.meta.url));

/** node_modules/cesium/Build/Cesium, resolved the way Node would. */
export function cesiumBuildDir(): string {
  const pkg = createRequire(import.meta.url).resolve('cesium/package.json');
  return join(dirname(pkg), 'Build', 'Cesium');
}

export const CESIUM_PARTS = ['Cesium.js', 'Workers', 'ThirdParty', 'Assets', 'Widgets'];

const MIME: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.jpg': 'image/jpeg', '.xml': 'application/xml', '.wasm': 'application/wasm', '.svg': 'image/svg+xml' };

function cesiumAssets(): Plugin {
  const src = cesiumBuildDir();
  let outDir = '';
  return {
    name: 'satqkd-cesium-assets',
    configResolved(c) {
      outDir = resolve(c.root, c.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use('/cesium', (req, res, next) => {
        const rel = normalize(decodeURIComponent((req.url ?? '/').split('?')[0])).replace(/^([/\\])+/, '');
        const file = join(src, rel);
        if (!file.startsWith(src) || !existsSync(file) || !statSync(file).isFile()) return next();
        res.setHeader('content-type', MIME[extname(file)] ?? 'application/octet-stream');
        createReadStream(file).pipe(res);
      });
    },
    writeBundle() {
      for (const part of CESIUM_PARTS) cpSync(join(src, part), join(outDir, 'cesium', part), { recursive: true });
    },
  };
}

export default defineConfig({
  root: webDir,
  base: './',
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    // Copying Cesium's 12 MB of assets is most of the build by design; rolldown would warn about that plugin's time.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  plugins: [cesiumAssets()],
});
