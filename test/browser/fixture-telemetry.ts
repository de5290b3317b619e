/**
 * A scripted live pass for the station console: replays one planned pass (its real look samples and link loss),
 * compressed into a few seconds, as the telemetry messages of web/src/api-types.ts. Deterministic: the same pass
 * and step give the same stream. Count rates follow the link loss (100 MHz source, μ ≈ 0.5 mean photon number),
 * QBER the intrinsic error plus background, the key grows toward the pass's expected secret key.
 */
import type { Telemetry } from '../../web/src/api-types.ts';
import type { LookSample } from '../../planner/types.ts';
import { toIso } from '../../planner/time.ts';

export interface ScriptedPass {
  passId: string;
  samples: LookSample[];
  lossDb: number[];
  expectedSecretKeyBits: number;
}

/** The messages of one pass, in order: slew, acquisition, tracking with key, post-processing, done. */
export function scriptPass(p: ScriptedPass, steps = 40): Telemetry[] {
  const out: Telemetry[] = [];
  const first = p.samples[0];
  const at = (i: number) => p.samples[Math.min(p.samples.length - 1, Math.round((i / (steps - 1)) * (p.samples.length - 1)))];
  const lossAt = (i: number) => p.lossDb[Math.min(p.lossDb.length - 1, Math.round((i / (steps - 1)) * (p.lossDb.length - 1)))];
  out.push({ t: toIso(first.tMs - 60_000), state: 'slewing', passId: p.passId, azDeg: first.azDeg - 20, elDeg: 5, pointingErrorUrad: 3000 });
  out.push({ t: toIso(first.tMs - 5_000), state: 'acquiring', passId: p.passId, azDeg: first.azDeg, elDeg: first.elDeg, pointingErrorUrad: 400 });
  let key = 0;
  let sifted = 0;
  for (let i = 0; i < steps; i++) {
    const s = at(i);
    const eta = Math.pow(10, -lossAt(i) / 10);
    const clicksHz = 1e8 * 0.5 * eta + 400; // signal + dark/background
    key += p.expectedSecretKeyBits / steps;
    sifted += (clicksHz * 0.5 * ((p.samples[p.samples.length - 1].tMs - first.tMs) / 1000)) / steps;
    out.push({
      t: toIso(s.tMs),
      state: 'tracking',
      passId: p.passId,
      azDeg: s.azDeg,
      elDeg: s.elDeg,
      // Closed-loop residual of a few µrad, a little worse at low elevation (more turbulence).
      pointingErrorUrad: 2 + 3 * Math.abs(Math.sin(i * 1.7)) * (30 / Math.max(10, s.elDeg)),
      countRatesHz: [0, 1, 2, 3].map((c) => Math.round((clicksHz / 4) * (1 + 0.05 * Math.sin(i + c)))),
      qber: 0.01 + 400 / clicksHz / 2 + 0.003 * Math.abs(Math.sin(i * 0.9)),
      siftedBits: Math.round(sifted),
      accumulatedKeyBits: Math.round(key),
    });
  }
  const last = p.samples[p.samples.length - 1];
  out.push({ t: toIso(last.tMs + 2_000), state: 'post-processing', passId: p.passId, accumulatedKeyBits: Math.round(key) });
  out.push({ t: toIso(last.tMs + 10_000), state: 'done', passId: null, accumulatedKeyBits: Math.round(key), message: 'key stored' });
  return out;
}
