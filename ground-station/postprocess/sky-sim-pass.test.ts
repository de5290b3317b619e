import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finiteKeyLength } from '../../planner/keyrate/finite-key.ts';
import { loadTerminal } from '../../sky-sim/testing/micius-link.ts';
import { KeyStore } from '../keystore/key-store.ts';
import { syntheticPass as syntheticLooks } from '../../sky-sim/geometry/synthetic-pass.ts';
import { simulateAndPostProcess } from './sky-sim-pass.ts';

describe('a sky-sim pass end to end (Micius-like, 6 s around TCA)', () => {
  it('stores keys whose length is the finite-key bound of the observed counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pp-sky-'));
    const store = new KeyStore(join(dir, 'keys.sqlite'));
    try {
      const out = await simulateAndPostProcess({ tcaMs: Date.parse('2026-11-29T16:50:00Z'), recordSeconds: 6, seed: 3, sink: store });
      const r = out.report;
      expect(r.error).toBeUndefined();
      expect(r.verified).toBe(true);
      expect(r.sync!.chunksResolved).toBeGreaterThanOrEqual(r.sync!.chunks - 1);
      expect(r.sync!.jitterRmsPs).toBeGreaterThan(100); // sky-sim's 350 ps FWHM detectors: σ ≈ 150 ps
      expect(r.sync!.jitterRmsPs).toBeLessThan(200);
      expect(r.qber).toBeGreaterThan(0.005);
      expect(r.qber).toBeLessThan(0.03);
      const term = loadTerminal();
      if (!term.ok) throw new Error(term.reason);
      const bound = finiteKeyLength(r.counts, term.terminal.protocol, { leakageBits: r.reconciliationLeakedBits + Math.ceil(r.verificationExtraLeakedBits) });
      expect(r.finalKeyBits).toBe(bound.secretKeyBits);
      expect(r.finalKeyBits).toBeGreaterThan(0);
      const stored = store.list({ passId: r.passId });
      expect(stored.length).toBe(r.storedBlocks);
      expect(stored.reduce((s, b) => s + b.bits, 0)).toBe(r.storedKeyBits);
      expect(stored[0].provenance.finiteKeyBoundBits).toBe(r.finiteKeyBoundBits);
      out.station.bytes.forEach((b, i) => expect(Buffer.from(b).equals(Buffer.from(out.satellite.bytes[i]))).toBe(true));
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('follows the curved light time 100 s before TCA through a clock jump, a tagger gap and 800 ppb drift', async () => {
    const tca = Date.parse('2026-11-29T16:50:00Z');
    const out = await simulateAndPostProcess({
      tcaMs: tca,
      recordSeconds: 4,
      centreOffsetS: -100,
      seed: 7,
      taggerDriftPpb: 800,
      faults: [
        { kind: 'clock-jump', startMs: tca - 101_000, jumpPs: 123_456 },
        { kind: 'tagger-gap', startMs: tca - 99_500, durationMs: 300 },
      ],
    });
    const r = out.report;
    const looks = syntheticLooks({ tcaMs: tca, altitudeKm: 500, maxElevationDeg: 70, minElevationDeg: 15, sampleRateHz: 1 });
    const look = looks.reduce((a, b) => (Math.abs(b.tMs - (tca - 100_000)) < Math.abs(a.tMs - (tca - 100_000)) ? b : a));
    const lightTimeRatePpm = (look.rangeRateKmS / 299_792.458) * 1e6;
    // The rate seen is the light-time rate (about −20 ppm here) plus the tagger's own 0.8 ppm.
    expect(Math.abs(r.sync!.driftPpm - (lightTimeRatePpm + 0.8))).toBeLessThan(0.2);
    expect(r.sync!.jitterRmsPs).toBeLessThan(170); // a line per chunk leaves ~200 ps of curvature residual here
    expect(r.sync!.inGateFraction).toBeGreaterThan(0.97);
    // At most the chunk straddling the jump is lost.
    expect(r.sync!.chunksResolved).toBeGreaterThanOrEqual(r.sync!.chunks - 2);
    expect(r.qber).toBeLessThan(0.03);
    expect(r.verified).toBe(true);
  });

  it.each([1_234_567_891, -37_000_000_123])('keeps every chunk through a tagger clock jump of %d ps (whole sync periods found by the satellite)', async (jumpPs) => {
    const tca = Date.parse('2026-11-29T16:50:00Z');
    const run = (faults: Parameters<typeof simulateAndPostProcess>[0]['faults']) =>
      simulateAndPostProcess({ tcaMs: tca, recordSeconds: 4, centreOffsetS: -100, seed: 7, taggerDriftPpb: 800, faults });
    const jumped = (await run([{ kind: 'clock-jump', startMs: tca - 101_000, jumpPs }])).report;
    const steady = (await run([])).report;
    expect(jumped.sync!.syncLocked).toBe(true);
    expect(jumped.sync!.clockSegments).toBe(2);
    expect(steady.sync!.clockSegments).toBe(1);
    expect(jumped.sync!.chunksResolved).toBe(jumped.sync!.chunks);
    // The same detections sift to (nearly) the same key as without the jump: only the clicks beside it differ.
    expect(jumped.siftedBits).toBeGreaterThan(0.98 * steady.siftedBits);
    expect(jumped.qber).toBeLessThan(0.03);
  });
});
