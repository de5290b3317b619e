#!/usr/bin/env node
// Builds the native post-processing kernels (ground-station/postprocess/native/*.cc: privacy amplification and the
// LDPC decoder, one addon) into build/native/ at
// `npm ci` (postinstall). Plain g++ against Node's own N-API headers: no node-gyp, no downloads. Compiled with
// -march=native because it is built on the machine that runs it. When no compiler is found the build is skipped
// with a warning and the JavaScript paths are used; `SATQKD_NATIVE=required` turns that into an error.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'ground-station/postprocess/native');
const sources = readdirSync(sourceDir).filter((f) => f.endsWith('.cc')).sort().map((f) => join(sourceDir, f));
const outDir = join(root, 'build/native');
const out = join(outDir, 'satqkd_native.node');
// Node's headers sit beside its binary (…/bin/node → …/include/node), or where npm's nodedir says.
const candidates = [
  process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include/node'),
  resolve(dirname(process.execPath), '../include/node'),
].filter(Boolean);
const include = candidates.find((d) => existsSync(join(d, 'node_api.h')));
const cxx = process.env.CXX || 'g++';
const required = process.env.SATQKD_NATIVE === 'required';

function skip(why) {
  const msg = `satqkd: native post-processing kernel not built (${why}); privacy amplification uses the slower JavaScript FFT`;
  if (required) {
    console.error(msg);
    process.exit(1);
  }
  console.warn(msg);
  process.exit(0);
}

if (!include) skip(`node_api.h not found in ${candidates.join(', ')}`);
mkdirSync(outDir, { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
try {
  execFileSync(
    cxx,
    ['-O3', '-march=native', '-std=c++17', '-shared', '-fPIC', '-pthread', `-I${include}`, '-DNODE_GYP_MODULE_NAME=satqkd_native', '-o', tmp, ...sources],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
} catch (e) {
  skip(`${cxx} failed: ${e.message.split('\n')[0]}`);
}
renameSync(tmp, out); // atomic: a half-written addon is never loaded
console.log(`satqkd: built ${out.slice(root.length + 1)}`);
