/**
 * Privacy amplification figures (issue 7): Toeplitz hashing of n = 10^6 and 10^7 key bits to m = n/2, the paths
 * side by side in one run — the native kernel on both cores and on one, the JavaScript float FFT, and (10^6 only)
 * the exact NTT — with throughput in input Mbit/s (wall) and per CPU-second. Every path's output is compared with
 * the JavaScript FFT's. Published CPU figure to compare: Toeplitz-FFT 40–70 Mbit/s.
 */
import { cpus, loadavg } from 'node:os';
import { toeplitzHashFft } from '../ground-station/postprocess/fft.ts';
import { nativeKernels } from '../ground-station/postprocess/native.ts';
import { seedFrom, Xoshiro128 } from '../ground-station/postprocess/prng.ts';
import { toeplitzHash } from '../ground-station/postprocess/toeplitz.ts';

const rng = new Xoshiro128(seedFrom(2027));
function randomBits(n: number): Uint8Array {
  const a = new Uint8Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.nextU32() & 1;
  return a;
}
const median = (v: number[]) => v.slice().sort((a, b) => a - b)[Math.floor(v.length / 2)];
const native = nativeKernels();
console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at start`);
if (!native) console.log('native kernel NOT built (run `node tools/build-native.mjs`): only the JavaScript rows follow');

function row(label: string, n: number, reps: number, run: () => Uint8Array, ref: Uint8Array | null): Uint8Array {
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let out = run(); // warm-up: plans and JIT
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    out = run();
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuTimes.push((c.user + c.system) / 1000);
  }
  const ms = median(times);
  const cpu = median(cpuTimes);
  const same = ref ? (out.every((v, i) => v === ref[i]) ? 'identical' : 'DIFFERENT') : 'reference';
  console.log(
    `toeplitz PA ${label.padEnd(22)} n=${n.toExponential(0)} m=n/2  ${(n / ms / 1e3).toFixed(1).padStart(6)} Mbit/s wall  ${(n / cpu / 1e3).toFixed(1).padStart(6)} Mbit/s per CPU-s  (${ms.toFixed(0)} ms, output ${same})`,
  );
  return out;
}

for (const [n, reps] of [[1_000_000, 5], [10_000_000, 2]] as const) {
  const m = n / 2;
  const x = randomBits(n);
  const s = randomBits(n + m - 1);
  const ref = row('JavaScript FFT', n, reps, () => toeplitzHashFft(x, s, m)!, null);
  if (native) {
    for (const threads of [2, 1]) {
      row(`native, ${threads} thread${threads > 1 ? 's' : ''}`, n, reps, () => {
        const y = new Uint8Array(m);
        if (native.toeplitzHashPacked(x, s, m, y, 0.25, threads) < 0) throw new Error('native check failed on a uniform seed');
        return y;
      }, ref);
    }
  }
  if (n <= 1_000_000) row('exact NTT', n, 1, () => toeplitzHash(x, s, m, { chunkBits: 2 ** 19 }), ref);
}
