import { describe, expect, it } from 'vitest';
import { TelemetrySchema } from '../../web/src/api-types.ts';
import { scriptPass } from './fixture-telemetry.ts';

const t0 = Date.parse('2026-11-29T19:30:00Z');
const samples = Array.from({ length: 61 }, (_, i) => ({ tMs: t0 + i * 5000, azDeg: 100 + i, elDeg: 10 + 40 * Math.sin((Math.PI * i) / 60), rangeKm: 1200 - 500 * Math.sin((Math.PI * i) / 60), rangeRateKmS: 0 }));
const lossDb = samples.map((s) => 30 + (s.rangeKm - 700) / 50);

describe('scripted pass telemetry', () => {
  const msgs = scriptPass({ passId: 'p', samples, lossDb, expectedSecretKeyBits: 1e5 }, 20);

  it('every message satisfies the telemetry contract', () => {
    for (const m of msgs) expect(TelemetrySchema.safeParse(m).success).toBe(true);
  });

  it('walks slew → acquire → track → post-process → done, with time increasing', () => {
    const states = msgs.map((m) => m.state).filter((s, i, a) => s !== a[i - 1]);
    expect(states).toEqual(['slewing', 'acquiring', 'tracking', 'post-processing', 'done']);
    for (let i = 1; i < msgs.length; i++) expect(Date.parse(msgs[i].t)).toBeGreaterThan(Date.parse(msgs[i - 1].t));
  });

  it('key grows monotonically to the expected key; QBER stays in the BB84 regime', () => {
    const keys = msgs.filter((m) => m.state === 'tracking').map((m) => m.accumulatedKeyBits!);
    for (let i = 1; i < keys.length; i++) expect(keys[i]).toBeGreaterThan(keys[i - 1]);
    expect(keys[keys.length - 1]).toBe(1e5);
    for (const m of msgs) if (m.qber !== undefined) expect(m.qber).toBeGreaterThan(0.005), expect(m.qber).toBeLessThan(0.11);
  });

  it('count rates are higher at lower loss (mid-pass)', () => {
    const tracking = msgs.filter((m) => m.state === 'tracking');
    const sum = (m: (typeof msgs)[number]) => m.countRatesHz!.reduce((a, b) => a + b, 0);
    expect(sum(tracking[10])).toBeGreaterThan(5 * sum(tracking[0]));
  });
});
