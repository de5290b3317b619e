import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../planner/log.ts';
import { VirtualClock } from '../../sky-sim/clock/virtual-clock.ts';
import { syntheticPlannedPass } from '../automation/testing/sky-sim-rig.ts';
import { parseStationConfig } from '../station-config.ts';
import { startStation, type RunningStation } from '../station.ts';

const T0 = Date.parse('2026-11-29T16:00:00Z');
const synth = syntheticPlannedPass('xinglong', T0 + 300_000, 70, 30, 40);

let station: RunningStation;
let clock: VirtualClock;
let base: string;

async function call(method: string, path: string, body?: unknown, raw?: string) {
  const res = await fetch(base + path, {
    method,
    headers: body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {},
    body: raw ?? (body !== undefined ? JSON.stringify(body) : undefined),
  });
  return { status: res.status, json: (await res.json()) as any };
}

beforeAll(async () => {
  clock = new VirtualClock({ startMs: T0 });
  const cfg = parseStationConfig(JSON.stringify({ stationsFile: 'x', stationId: 'xinglong', tleFiles: ['x'], api: { host: '127.0.0.1', port: 0 }, timing: { leadMs: 60_000 } }), '/tmp/station.json');
  if (!cfg.ok) throw new Error(cfg.reason);
  const r = await startStation({
    config: cfg.value,
    clock,
    plan: { passes: [synth.pass], ephemeris: async () => synth.ephemeris },
    postProcess: async (rec) => ({ blocks: [], note: `${rec.events.length} detections` }),
    keySink: { put: async () => {} },
    logger: silentLogger,
    skySim: { seed: 3, preRollMs: 90_000, config: { simulation: { sliceMs: 10 }, source: { repetitionRateHz: 10e6, syncPeriodPulses: 100_000 } } },
    interlocks: [],
  });
  if (!r.ok) throw new Error(r.reason);
  station = r.station;
  base = station.url!;
});
afterAll(async () => {
  await station?.close();
});

describe('operator API', () => {
  it('serves the plan with readable instants', async () => {
    const r = await call('GET', '/plan');
    expect(r.status).toBe(200);
    expect(r.json.passes.map((p: any) => p.id)).toEqual([synth.pass.id]);
    expect(r.json.passes[0].aosUtc).toBe(new Date(synth.pass.aosMs).toISOString());
  });

  it('serves the state', async () => {
    const r = await call('GET', '/state');
    expect(r.status).toBe(200);
    expect(r.json.state.phase).toBe('idle');
  });

  it('pauses and resumes automation, logging who asked why', async () => {
    const p = await call('POST', '/commands/pause', { note: 'dome maintenance' });
    expect(p.status).toBe(202);
    expect(p.json.state.paused).toBe(true);
    const q = await call('POST', '/commands/resume', {});
    expect(q.json.state.paused).toBe(false);
    const log = await call('GET', '/log');
    expect(log.json.entries.some((e: any) => e.kind === 'operator' && e.message.includes('dome maintenance'))).toBe(true);
  });

  it.each([
    { name: 'unknown command', method: 'POST', path: '/commands/explode', body: {}, status: 404, field: 'command' },
    { name: 'bad command body', method: 'POST', path: '/commands/abort', body: { note: 5 }, status: 400, field: 'note' },
    { name: 'unexpected field', method: 'POST', path: '/commands/abort', body: { force: true }, status: 400, field: '(body)' },
    { name: 'bad log query', method: 'GET', path: '/log?since=yesterday', status: 400, field: 'since' },
    { name: 'unknown pass', method: 'GET', path: '/passes/nope', status: 404, field: 'passId' },
    { name: 'bad plan', method: 'PUT', path: '/plan', body: { passes: [{ ...synth.pass, losMs: synth.pass.aosMs - 1 }] }, status: 400, field: 'passes.0.losMs' },
    { name: 'unknown route', method: 'GET', path: '/nothing', status: 404, field: undefined },
  ])('rejects $name with a JSON error', async ({ method, path, body, status, field }) => {
    const r = await call(method, path, body);
    expect(r.status).toBe(status);
    expect(typeof r.json.error.message).toBe('string');
    expect(r.json.error.field).toBe(field);
  });

  it('rejects a body that is not JSON', async () => {
    const r = await call('POST', '/commands/pause', undefined, '{not json');
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/not valid JSON/);
  });

  it('re-sending the same plan changes nothing', async () => {
    const r = await call('PUT', '/plan', { passes: [synth.pass] });
    expect(r.status).toBe(200);
    expect(r.json.changed).toBe(false);
  });

  it('streams state, log and telemetry as Server-Sent Events while a pass flies, then serves its summary', async () => {
    const ac = new AbortController();
    const res = await fetch(base + '/telemetry', { signal: ac.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const seen = new Set<string>();
    let text = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        text += new TextDecoder().decode(value);
        for (const m of text.matchAll(/^event: (\w+)$/gm)) seen.add(m[1]);
      }
    })();
    await clock.advanceTo(synth.pass.losMs + 120_000);
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    await reading;
    expect([...seen].sort()).toEqual(['log', 'state', 'telemetry']);
    expect(text).toMatch(/"phase":"keyExchange"/);
    const s = await call('GET', `/passes/${encodeURIComponent(synth.pass.id)}`);
    expect(s.status).toBe(200);
    expect(s.json.pass.status).toBe('completed');
    expect(s.json.pass.detections).toBeGreaterThan(0);
    expect(s.json.log.map((e: any) => e.to).filter(Boolean)).toContain('keyExchange');
    const all = await call('GET', '/passes');
    expect(all.json.passes).toHaveLength(1);
  });
});
