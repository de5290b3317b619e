import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExtended, RotctldError, RotctldMount, unwrapAzimuth } from './rotctld.ts';
import { startRotctld, type Peer } from './testing/peers.ts';

describe('rotctld protocol helpers', () => {
  it.each([
    { az: 10, from: 0, want: 10 },
    { az: 350, from: 0, want: -10 }, // the short way, inside −180…450
    { az: 10, from: 355, want: 370 },
    { az: 100, from: 400, want: 100 }, // 460 would be nearer but is outside the travel
    { az: 200, from: -170, want: -160 },
  ])('unwrap $az° from $from° → $want°', ({ az, from, want }) => {
    expect(unwrapAzimuth(az, from, { minAzDeg: -180, maxAzDeg: 450 })).toBe(want);
  });

  it('parses extended replies and names Hamlib errors', () => {
    expect(parseExtended('p', ['get_pos:', 'Azimuth: 7.80', 'Elevation: 1.50', 'RPRT 0'])).toEqual({ Azimuth: '7.80', Elevation: '1.50' });
    expect(() => parseExtended('P 500 30', ['set_pos: 500 30', 'RPRT -1'])).toThrow(RotctldError);
    expect(() => parseExtended('P 500 30', ['RPRT -1'])).toThrow(/out of range/);
  });
});

describe('rotctld adapter against the real `rotctld -m 1`', () => {
  let peer: Peer;
  let mount: RotctldMount;
  beforeAll(async () => {
    peer = await startRotctld();
    mount = new RotctldMount({ host: '127.0.0.1', port: peer.port, timeoutMs: 1500 });
    await mount.connect();
    await mount.unpark();
  });
  afterAll(async () => {
    await mount?.close();
    await peer?.stop();
  });

  it('reads the travel range from dump_caps', () => {
    expect(mount.travelRange).toEqual({ minAzDeg: -180, maxAzDeg: 450, minElDeg: 0, maxElDeg: 90 });
  });

  it('slews, reports motion, arrives', async () => {
    await mount.slewTo({ azDeg: 12, elDeg: 9 });
    const moving = await mount.getStatus();
    expect(moving.slewing).toBe(true);
    let s = moving;
    for (let i = 0; i < 60 && s.slewing; i++) {
      await new Promise((r) => setTimeout(r, 100));
      s = await mount.getStatus();
    }
    expect(s.slewing).toBe(false);
    expect(s.azDeg).toBeCloseTo(12, 1);
    expect(s.elDeg).toBeCloseTo(9, 1);
  });

  it('rejects a target outside the rotator travel with the Hamlib reason', async () => {
    await expect(mount.command('P 500 30')).rejects.toThrow(/RPRT -1/);
  });

  it('survives a silent connection: times out, reconnects, keeps working', async () => {
    const before = mount.reconnects;
    // An unknown command: rotctld answers nothing; the adapter must not wait forever nor reuse the socket.
    await expect(mount.command('\\no_such_command')).rejects.toThrow(/no reply/);
    const s = await mount.getStatus();
    expect(Number.isFinite(s.azDeg)).toBe(true);
    expect(mount.reconnects).toBe(before + 1);
  });

  it('stops and parks', async () => {
    await mount.slewTo({ azDeg: 40, elDeg: 30 });
    await mount.stop();
    await mount.park();
    expect((await mount.getStatus()).parked).toBe(true);
  });
});
