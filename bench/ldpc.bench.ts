/**
 * Rate-adaptive LDPC reconciliation (ground-station/postprocess/ldpc) at QBER 1, 2, 5, 8 % on 10^6-bit keys, both
 * parties in this process over the in-memory port (CPU only, no network). Prints efficiency f = leak / (n·h(e))
 * over the frames kept, frame error rate (frames given up after every reveal round), the share of frames that
 * needed reveals, exchanges (round trips), decoder runs and throughput. Throughput is not LDPC's goal here (few
 * round trips is); the figure is for comparison with Cascade in postprocess.bench.ts.
 */
import { binaryEntropy } from '../ground-station/postprocess/bitops.ts';
import { ldpcReconcile } from '../ground-station/postprocess/ldpc/reconcile.ts';
import { LdpcSender, localLdpcPort } from '../ground-station/postprocess/ldpc/sender.ts';
import { parityCheckMatrix, MOTHER_RATES } from '../ground-station/postprocess/ldpc/matrix.ts';
import { seedFrom, Xoshiro128 } from '../ground-station/postprocess/prng.ts';

const nBits = 1_000_000;
const rng = new Xoshiro128(seedFrom(2027));
const cpuMs = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};

// Build the mother codes first so the rows time reconciliation, not the one-off matrix construction.
const b0 = performance.now();
for (const r of MOTHER_RATES) parityCheckMatrix(16384, r, 1);
console.log(`matrix construction, ${MOTHER_RATES.length} mother codes at n = 16384: ${(performance.now() - b0).toFixed(0)} ms (once per process)`);
console.log('QBER   f      n·h(e)/leak     FER    frames  re-runs  exchanges  decodings  Mbit/s wall  Mbit/s CPU');
for (const q of [0.01, 0.02, 0.05, 0.08]) {
  const alice = new Uint8Array(nBits);
  for (let i = 0; i < nBits; i++) alice[i] = rng.nextU32() & 1;
  const bob = alice.slice();
  let errors = 0;
  for (let i = 0; i < nBits; i++)
    if (rng.nextFloat() < q) {
      bob[i] ^= 1;
      errors++;
    }
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await ldpcReconcile(bob, q, localLdpcPort(new LdpcSender(alice)), { seed: 1000 + Math.round(q * 1000) });
  const wallMs = performance.now() - t0;
  const cpu = cpuMs(c0);
  // Honesty check: every kept frame equals Alice's.
  const failed = new Uint8Array(nBits);
  for (const f of r.failedFrames) failed.fill(1, f.keyStart, f.keyStart + f.keyLength);
  let wrong = 0;
  for (let i = 0; i < nBits; i++) if (!failed[i] && bob[i] !== alice[i]) wrong++;
  if (wrong) throw new Error(`ldpc bench: ${wrong} wrong bits in kept frames at QBER ${q}`);
  const retried = r.decodings - r.frames; // decoder re-runs after reveals
  console.log(
    [
      q.toFixed(2).padEnd(6),
      r.efficiency.toFixed(3).padEnd(6),
      `${Math.round(nBits * binaryEntropy(errors / nBits))}/${r.leakedBits}`.padEnd(15),
      (r.failedFrames.length / r.frames).toFixed(3).padEnd(6),
      String(r.frames).padEnd(7),
      String(retried).padEnd(8),
      String(r.exchanges).padEnd(10),
      String(r.decodings).padEnd(10),
      (nBits / 1e3 / wallMs).toFixed(3).padEnd(12),
      (nBits / 1e3 / cpu).toFixed(3),
    ].join(' '),
  );
}
