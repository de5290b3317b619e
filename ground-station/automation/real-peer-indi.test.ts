/** A pass flown by the automation on the real indiserver + indi_simulator_telescope (see testing/real-peer-pass.ts). */
import { afterEach, describe, expect, it } from 'vitest';
import { IndiMount } from '../adapters/indi.ts';
import { startIndiTelescope, type Peer } from '../adapters/testing/peers.ts';
import { flyOnRealPeer, site } from './testing/real-peer-pass.ts';
import { wallTimebase } from './ports.ts';

let peer: Peer | null = null;
afterEach(async () => {
  await peer?.stop();
  peer = null;
});

describe('a pass on the real INDI telescope simulator (wall clock)', () => {
  it('indiserver + indi_simulator_telescope: EQUATORIAL_EOD_COORD tracking from az/el, then park', async () => {
    peer = await startIndiTelescope();
    const mount = new IndiMount({ host: '127.0.0.1', port: peer.port, site, clock: wallTimebase, timeoutMs: 10_000 });
    // A fresh indiserver (temp HOME) starts unparked; park → unpark on the real peer is covered by
    // adapters/indi.test.ts, and the pre-pass checks unpark here all the same.
    const r = await flyOnRealPeer(mount);
    const s = r.automation.passSummary(r.pass.id)!;
    expect(s.status, s.reason).toBe('completed');
    expect(r.phases).toContain('keyExchange');
    expect(s.pointing.rmsMountErrorDeg).toBeLessThan(0.5);
    expect(r.status.parked).toBe(true);
    process.stdout.write(`INDI pass pointing: ${JSON.stringify(s.pointing)}\n`);
  }, 180_000);
});
