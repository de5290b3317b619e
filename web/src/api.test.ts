import { describe, expect, it } from 'vitest';
import { parseSection } from './api.ts';
import { BackboneLinksSchema, PlanSchema, StationStateSchema, TelemetrySchema } from './api-types.ts';
import { fillFraction } from './backbone/console.ts';
import { Rolling, sparklinePoints } from './station/sparkline.ts';
import { parseTelemetry } from './station/telemetry.ts';

const okPass = { satellite: '41731', station: 'xinglong', aos: '2026-11-29T19:33:16.362Z', tca: '2026-11-29T19:38:00Z', los: '2026-11-29T19:43:00Z', maxElevationDeg: 41.2 };

describe('section parsing (the page input boundary)', () => {
  it.each([
    { name: 'minimal plan', schema: PlanSchema, body: { passes: [okPass] }, ok: true },
    { name: 'extra fields ignored', schema: PlanSchema, body: { passes: [{ ...okPass, somethingNew: 1 }], version: 3 }, ok: true },
    { name: 'bad instant', schema: PlanSchema, body: { passes: [{ ...okPass, aos: 'tomorrow' }] }, ok: false, field: 'passes.0.aos' },
    { name: 'negative key', schema: PlanSchema, body: { passes: [{ ...okPass, expectedSecretKeyBits: -1 }] }, ok: false, field: 'passes.0.expectedSecretKeyBits' },
    { name: 'no passes array', schema: PlanSchema, body: { pass: [] }, ok: false, field: 'passes' },
    { name: 'station state', schema: StationStateSchema, body: { id: 'x', state: 'tracking', azDeg: 12 }, ok: true },
    { name: 'link pool negative', schema: BackboneLinksSchema, body: { links: [{ id: 'l', a: 'a', b: 'b', poolBits: -5 }] }, ok: false, field: 'links.0.poolBits' },
  ])('$name', ({ schema, body, ok, field }) => {
    const r = parseSection('api/x', schema, body);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.reason).toContain(`api/x: field ${field}:`);
  });

  it('telemetry: valid JSON of the schema only', () => {
    expect(parseTelemetry(JSON.stringify({ t: '2026-11-29T19:40:00Z', state: 'tracking', qber: 0.02 }))).toMatchObject({ state: 'tracking', qber: 0.02 });
    expect(parseTelemetry('{not json')).toBeNull();
    expect(parseTelemetry(JSON.stringify({ t: '2026-11-29T19:40:00Z', qber: 1.5 }))).toBeNull();
    expect(TelemetrySchema.safeParse({ state: 'x' }).success).toBe(false); // time is required
  });
});

describe('console helpers', () => {
  it.each([
    { pool: 5e5, cap: 1e6, fullest: 9e9, want: 0.5 },
    { pool: 2e6, cap: 1e6, fullest: 0, want: 1 },
    { pool: 3, cap: undefined, fullest: 6, want: 0.5 },
    { pool: 3, cap: undefined, fullest: 0, want: 0 },
  ])('fillFraction($pool, $cap, $fullest) = $want', ({ pool, cap, fullest, want }) => expect(fillFraction(pool, cap, fullest)).toBe(want));

  it('sparkline spans the box, clamps to the range, needs two points', () => {
    expect(sparklinePoints([0, 0.5, 2], 100, 10, 0, 1)).toBe('0.0,10.0 50.0,5.0 100.0,0.0');
    expect(sparklinePoints([1], 100, 10)).toBe('');
  });

  it('Rolling keeps the last n values', () => {
    const r = new Rolling(3);
    for (const v of [1, 2, 3, 4, 5]) r.push(v);
    expect(r.values).toEqual([3, 4, 5]);
  });
});
