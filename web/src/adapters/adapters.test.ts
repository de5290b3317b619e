/**
 * The page reads the ground-station and backbone APIs as they are built. The samples below are typed with those
 * modules' own types, so a change of their format breaks this file's typecheck before it breaks the page.
 */
import { describe, expect, it } from 'vitest';
import type { Telemetry as GsTelemetry } from '../../../ground-station/automation/driver.ts';
import type { PassSummary } from '../../../ground-station/automation/pass-log.ts';
import type { AutomationState } from '../../../ground-station/automation/types.ts';
import type { poolsReport } from '../../../backbone/operator/api.ts';
import type { Kme } from '../../../backbone/kme.ts';
import { parseSection } from '../api.ts';
import { PlanSchema } from '../api-types.ts';
import { parseTelemetry } from '../station/telemetry.ts';
import { BackbonePoolsSchema, BackboneRelaysArraySchema, BackboneUsageSchema } from './backbone.ts';
import { PassLogAnySchema, StationStateAnySchema } from './station.ts';

const T = Date.parse('2026-11-29T19:35:00Z');

const gsState: AutomationState = {
  phase: 'keyExchange', sinceMs: T, reason: 'beacon acquired', paused: false,
  pass: { id: '41731@xinglong@2026-11-29T19:33:16.362Z', satellite: '41731', aosMs: T - 100_000, losMs: T + 300_000 },
  lateJoin: false, abortReason: null, trackingStartMs: T - 90_000, acquiredMs: T - 80_000, recording: true, beaconLostSinceMs: null, offTrackSinceMs: null,
};
const gsTelemetry: GsTelemetry = {
  tMs: T + 1000, phase: 'keyExchange', passId: gsState.pass!.id, paused: false,
  achieved: { azDeg: 123.456, elDeg: 41.2 }, commanded: { azDeg: 123.5, elDeg: 41.21 }, mountErrorDeg: 0.001,
  beaconVisible: true, pointingErrorUrad: 2.5, countRatesHz: [1200, 1100, 1150, 1180], liveQber: 0.023, detections: 52_000,
};

describe('ground-station API format', () => {
  it('state response → console state, position from the achieved az/el', () => {
    const r = parseSection('state', StationStateAnySchema, { state: { ...gsState, sinceUtc: 'x' }, telemetry: gsTelemetry });
    expect(r).toEqual({ ok: true, data: expect.objectContaining({ state: 'keyExchange', currentPassId: gsState.pass!.id, azDeg: 123.456, elDeg: 41.2, pointingErrorUrad: 2.5 }) });
  });

  it('paused idle station with no telemetry yet', () => {
    const r = parseSection('state', StationStateAnySchema, { state: { ...gsState, phase: 'idle', paused: true, pass: null }, telemetry: null });
    expect(r.ok && r.data.state).toBe('idle (paused)');
  });

  it('the page contract still parses', () => {
    const r = parseSection('state', StationStateAnySchema, { id: 'xl', state: 'tracking', azDeg: 1 });
    expect(r.ok && r.data).toMatchObject({ id: 'xl', state: 'tracking', azDeg: 1 });
  });

  it.each([
    { event: 'telemetry', data: gsTelemetry, want: { state: 'keyExchange', qber: 0.023, detections: 52_000, azDeg: 123.456, countRatesHz: [1200, 1100, 1150, 1180] } },
    { event: 'state', data: { ...gsState, phase: 'parking', reason: 'operator abort' }, want: { state: 'parking', message: 'operator abort' } },
    { event: 'log', data: { tMs: T, passId: null, kind: 'operator', message: 'abort requested' }, want: { message: 'abort requested' } },
    { event: 'message', data: { t: '2026-11-29T19:35:00Z', state: 'tracking', accumulatedKeyBits: 10 }, want: { state: 'tracking', accumulatedKeyBits: 10 } },
  ])('SSE event $event', ({ event, data, want }) => {
    expect(parseTelemetry(JSON.stringify(data), event)).toMatchObject(want);
  });

  it('mount error stands in for the pointing error when the camera has none', () => {
    const t = parseTelemetry(JSON.stringify({ ...gsTelemetry, pointingErrorUrad: undefined, mountErrorDeg: 0.001 }), 'telemetry');
    expect(t?.pointingErrorUrad).toBeCloseTo(17.453, 2);
  });

  it('pass summaries → pass log with report', () => {
    const s: PassSummary = {
      passId: gsState.pass!.id, satellite: '41731', aosMs: T - 100_000, losMs: T + 300_000, status: 'completed', reason: 'LOS', lateJoin: false,
      trackingStartMs: null, acquiredMs: null, recordStartMs: null, recordEndMs: null, detections: 900_000,
      pointing: { samples: 10, rmsMountErrorDeg: 0.001, maxMountErrorDeg: 0.002, beaconSamples: 10, rmsBeaconErrorUrad: 2.1, maxBeaconErrorUrad: 4 },
      keyBlocks: 1, keyBits: 180_000, qber: 0.021,
    };
    const r = parseSection('passes', PassLogAnySchema, { passes: [s, { passId: 'own', outcome: 'key stored', report: { qber: 0.02 } }] });
    expect(r.ok && r.data.passes).toEqual([
      expect.objectContaining({ passId: s.passId, outcome: 'completed', start: '2026-11-29T19:33:20.000Z', report: expect.objectContaining({ qber: 0.021, secretKeyBits: 180_000, rmsPointingErrorUrad: 2.1 }) }),
      expect.objectContaining({ passId: 'own', outcome: 'key stored' }),
    ]);
  });
});

describe('backbone operator API format', () => {
  it('pools → links (pool = spendable key)', () => {
    const pools: ReturnType<typeof poolsReport> = [
      { linkId: 'bj-jn', kind: 'fibre', keyRateBps: 1000, lengthKm: 360, ends: [
        { node: 'bj', local: true, producedBits: 9000, storedBits: 5000, spendableBits: 4096, consumedBits: 3000, wastedBits: 1000 },
        { node: 'jn', local: false, producedBits: 0, storedBits: 0, spendableBits: 0, consumedBits: 0, wastedBits: 0 },
      ] },
    ];
    expect(BackbonePoolsSchema.parse(pools)).toEqual({ links: [{ id: 'bj-jn', a: 'bj', b: 'jn', poolBits: 4096 }] });
  });

  it('relays array → relay rows with every share path', () => {
    const relays: ReturnType<Kme['relays']> = [
      { relayId: 'r1', keyId: '00000000-0000-4000-8000-000000000000', origin: 'bj', dest: 'sh', bits: 256, shares: 2, paths: [['bj', 'jn', 'sh'], ['bj', 'hf', 'sh']], state: 'delivered', reason: null, createdMs: T, doneMs: T + 5 },
    ];
    expect(BackboneRelaysArraySchema.parse(relays)).toEqual({
      relays: [{ id: 'r1', t: '2026-11-29T19:35:00.000Z', source: 'bj', destination: 'sh', paths: [['bj', 'jn', 'sh'], ['bj', 'hf', 'sh']], bits: 256, status: 'delivered' }],
    });
  });

  it('usage per node and role → keys served per SAE', () => {
    const usage = [
      { node: 'bj', sae: 'sae-a', role: 'master', peer: 'sae-b', keys: 3, bits: 768 },
      { node: 'bj', sae: 'sae-a', role: 'master', peer: 'sae-c', keys: 1, bits: 256 },
      { node: 'sh', sae: 'sae-b', role: 'slave', peer: 'sae-a', keys: 3, bits: 768 },
    ];
    expect(BackboneUsageSchema.parse(usage).saes).toEqual([
      { saeId: 'sae-a', kmeId: 'bj', keysServed: 4, bitsServed: 1024 },
      { saeId: 'sae-b', kmeId: 'sh', keysServed: 3, bitsServed: 768 },
    ]);
  });
});

describe('plan as the planner Pass', () => {
  it('aosMs/tcaMs/losMs and startMs/endMs windows are read as ISO', () => {
    const r = parseSection('plan', PlanSchema, {
      passes: [{ id: 'p', satellite: '41731', station: 'xl', aosMs: T, tcaMs: T + 200_000, losMs: T + 400_000, maxElevationDeg: 40, usableWindows: [{ startMs: T + 10_000, endMs: T + 390_000 }], sunlitAtTca: false }],
    });
    expect(r.ok && r.data.passes[0]).toMatchObject({ aos: '2026-11-29T19:35:00.000Z', los: '2026-11-29T19:41:40.000Z', usableWindows: [{ start: '2026-11-29T19:35:10.000Z', end: '2026-11-29T19:41:30.000Z' }] });
  });
});
