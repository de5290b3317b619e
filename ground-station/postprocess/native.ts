/**
 * The native post-processing kernels (native/*.cc: Toeplitz hashing, LDPC decoding), built at `npm ci` by tools/build-native.mjs into
 * build/native/. Loaded once; null when the build was skipped (no compiler), and the JavaScript paths run instead.
 * `SATQKD_NATIVE=off` ignores the addon (to compare paths); `SATQKD_THREADS=1` keeps the kernel on one core.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

export interface NativeKernels {
  /** Worst rounding error seen, or −1 when a check failed (then `out` is garbage and an exact path must run). */
  toeplitzHashPacked(x: Uint8Array, seed: Uint8Array, m: number, out: Uint8Array, maxError: number, threads: number): number;
  /** Layered BP syndrome decoding (native/ldpc-decoder.cc): iterations used, or −maxIterations when it failed.
   * algorithm 0 = sum-product, 1 = normalised min-sum. */
  ldpcDecode(
    rowPtr: Int32Array,
    colIdx: Int32Array,
    n: number,
    syndrome: Uint8Array,
    prior: Float64Array,
    out: Uint8Array,
    maxIterations: number,
    algorithm: 0 | 1,
    alpha: number,
  ): number;
}

const addonPath = fileURLToPath(new URL('../../build/native/satqkd_native.node', import.meta.url));
let loaded: NativeKernels | null | undefined;

export function nativeKernels(): NativeKernels | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (process.env.SATQKD_NATIVE === 'off' || !existsSync(addonPath)) return loaded;
  loaded = createRequire(import.meta.url)(addonPath) as NativeKernels;
  return loaded;
}

/** Threads the native kernel may use: both cores unless told otherwise. */
export function nativeThreads(): number {
  const env = Number(process.env.SATQKD_THREADS);
  return Number.isInteger(env) && env >= 1 ? env : Math.min(2, availableParallelism());
}
