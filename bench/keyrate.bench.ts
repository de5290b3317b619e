/**
 * `npm run bench -- keyrate`: the link model's agreement with the published Micius figures, and the speed of the
 * finite-key estimator, of the expected key of a pass and of the optimiser (passes per second), side by side.
 * Passes are synthetic (500 km circular orbit, max elevations 20°…85°) so the figures do not depend on SGP4.
 */
import { readFileSync } from 'node:fs';
import { channelTransmittance } from '../planner/link/channel.ts';
import { parseTerminalFile } from '../planner/link/terminal-file.ts';
import { elevationAtRangeDeg, syntheticPass } from '../planner/link/synthetic-pass.ts';
import { expectedPassKey } from '../planner/keyrate/pass-yield.ts';
import { finiteKeyLength } from '../planner/keyrate/finite-key.ts';
import { expectedCounts, dbToTransmittance } from '../planner/keyrate/expected-counts.ts';

const parsed = parseTerminalFile(readFileSync(new URL('../tle-data/terminals/micius-xinglong.json', import.meta.url), 'utf8'), 'micius-xinglong.json');
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const { link, protocol } = parsed.value;

function line(label: string, v: string): void {
  process.stdout.write(`${label.padEnd(52)} ${v}\n`);
}

/** Runs `fn` repeatedly for at least `minMs`; returns calls per second. */
function rate(fn: () => void, minMs = 1500): number {
  fn(); // warm-up
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    fn();
    n++;
    t = performance.now();
  }
  return (n * 1000) / (t - t0);
}

// ---- agreement with Liao et al., Nature 549, 43 (2017)
for (const [rangeKm, published] of [
  [645, '29.8 dB'],
  [1200, '~38–40 dB'],
] as const) {
  const el = elevationAtRangeDeg(500, rangeKm);
  const r = channelTransmittance({ tMs: 0, azDeg: 0, elDeg: el, rangeKm, rangeRateKmS: 0 }, link);
  line(`Micius loss at ${rangeKm} km (el ${el.toFixed(1)}°)`, `model ${r.lossDb.toFixed(2)} dB, published ${published}`);
}

// ---- key of Micius-like passes
const passes = [20, 30, 45, 60, 85].map((el) => ({ el, samples: syntheticPass({ altitudeKm: 500, maxElevationDeg: el, stepS: 1 }) }));
for (const p of passes) {
  const plain = expectedPassKey(p.samples, link, protocol);
  const opt = expectedPassKey(p.samples, link, protocol, { optimize: true });
  const winS = (opt.windowEndMs - opt.windowStartMs) / 1000;
  line(
    `pass max el ${p.el}° (${p.samples.length} s)`,
    `Micius protocol ${plain.expectedSecretKeyBits} bits; optimised ${opt.expectedSecretKeyBits} bits over ${winS.toFixed(0)} s (${(opt.expectedSecretKeyBits / Math.max(1, winS)).toFixed(0)} bit/s, ${opt.evaluations} evaluations)`,
  );
}

// ---- speed
const eta = new Float64Array(300).fill(dbToTransmittance(32));
const counts = expectedCounts(eta, 1, protocol);
const fk = rate(() => void finiteKeyLength(counts, protocol));
line('finiteKeyLength', `${(fk / 1e3).toFixed(0)} k calls/s`);
const ec = rate(() => void expectedCounts(eta, 1, protocol));
line('expectedCounts (300 slots)', `${(ec / 1e3).toFixed(1)} k calls/s`);
let i = 0;
const plainRate = rate(() => void expectedPassKey(passes[i++ % passes.length].samples, link, protocol));
line('expectedPassKey, fixed protocol (1 s slots)', `${plainRate.toFixed(0)} passes/s`);
i = 0;
const optRate = rate(() => void expectedPassKey(passes[i++ % passes.length].samples, link, protocol, { optimize: true }), 4000);
line('expectedPassKey --optimize (7-D, 3 starts + polish)', `${optRate.toFixed(1)} passes/s (${(1000 / optRate).toFixed(0)} ms/pass)`);
line('ratio fixed / optimised', `${(plainRate / optRate).toFixed(0)}×`);
