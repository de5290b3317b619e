/** A pass flown by the automation on Hamlib's real `rotctld -m 1` (see testing/real-peer-pass.ts). */
import { afterEach, describe, expect, it } from 'vitest';
import { RotctldMount } from '../adapters/rotctld.ts';
import { startRotctld, type Peer } from '../adapters/testing/peers.ts';
import { flyOnRealPeer } from './testing/real-peer-pass.ts';

let peer: Peer | null = null;
afterEach(async () => {
  await peer?.stop();
  peer = null;
});

describe('a pass on the real rotctld (wall clock)', () => {
  it('rotctld -m 1: slews to AOS, tracks at 10 Hz (coalesced to 1 Hz for the rotator), records, parks', async () => {
    peer = await startRotctld();
    const r = await flyOnRealPeer(new RotctldMount({ host: '127.0.0.1', port: peer.port, timeoutMs: 2000 }));
    const s = r.automation.passSummary(r.pass.id)!;
    expect(s.status, s.reason).toBe('completed');
    // The dummy slews at 6°/s: it may reach the AOS point just before or just after AOS.
    expect(r.phases.filter((p) => p !== 'waiting')).toEqual(['idle', 'prechecks', 'slewing', 'tracking', 'keyExchange', 'parking', 'postProcessing', 'idle']);
    // A 1 Hz staircase aimed half a step ahead: within ±(rate × 0.5 s) of the track.
    expect(s.pointing.rmsMountErrorDeg).toBeLessThan(0.5);
    expect(r.seen[0].events.length).toBeGreaterThan(5_000); // 2 kHz replayed over the key exchange
    expect(r.status.parked).toBe(true);
    process.stdout.write(`rotctld pass pointing: ${JSON.stringify(s.pointing)}\n`);
  }, 150_000);
});
