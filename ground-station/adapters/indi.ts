/**
 * INDI telescope adapter behind the Mount port. INDI mounts speak equatorial coordinates of date
 * (EQUATORIAL_EOD_COORD, RA hours / Dec degrees); the automation speaks az/el, so every command and every reading
 * is converted at the instant it applies (radec.ts). The site and UTC are pushed to the driver on connect so its
 * own sidereal time agrees with ours. The injected clock must be real time here: the INDI driver runs on the wall
 * clock, and a virtual clock would put its sidereal time and ours apart.
 * A slew reports Busy, then Ok on arrival; Alert is a fault (limit, stall) and carries the driver's last message.
 */
import type { AzEl, Mount, MountStatus } from '../../planner/ports.ts';
import type { Clock } from '../../planner/time.ts';
import { IndiClient, type IndiProperty } from './indi-client.ts';
import { azElToRaDecOfDate, raDecOfDateToAzEl, type Site } from './radec.ts';

export interface IndiMountOptions {
  host: string;
  port: number;
  device?: string;
  site: Site;
  clock: Clock;
  timeoutMs?: number;
  /** Park can take a full slew. */
  parkTimeoutMs?: number;
}

export class IndiMount implements Mount {
  readonly kind = 'indi';
  readonly device: string;
  readonly client: IndiClient;
  private readonly timeoutMs: number;

  constructor(private readonly o: IndiMountOptions) {
    this.device = o.device ?? 'Telescope Simulator';
    this.client = new IndiClient({ host: o.host, port: o.port });
    this.timeoutMs = o.timeoutMs ?? 10_000;
  }

  private prop(name: string): IndiProperty | undefined {
    return this.client.get(this.device, name);
  }

  private waitProp(name: string, ok: (p: IndiProperty) => boolean, what: string, timeoutMs = this.timeoutMs): Promise<IndiProperty> {
    return this.client.waitFor(`${this.device} ${name}: ${what}`, () => {
      const p = this.prop(name);
      if (p && p.state === 'Alert' && what !== 'defined') throw new Error(`INDI ${this.device} ${name} went Alert${this.client.lastMessage()}`);
      return p && ok(p) ? p : undefined;
    }, timeoutMs);
  }

  async connect(): Promise<void> {
    await this.client.connect();
    const conn = await this.waitProp('CONNECTION', () => true, 'defined');
    if (conn.values.CONNECT !== 'On') {
      this.client.sendSwitch(this.device, 'CONNECTION', { CONNECT: 'On' });
      await this.waitProp('CONNECTION', (p) => p.values.CONNECT === 'On' && p.state === 'Ok', 'connected');
    }
    await this.waitProp('EQUATORIAL_EOD_COORD', () => true, 'defined');
    // The driver computes sidereal time from its site and clock: give it ours.
    if (this.prop('GEOGRAPHIC_COORD')) {
      const lon = ((this.o.site.lonDeg % 360) + 360) % 360; // INDI longitude is 0…360 east
      this.client.sendNumber(this.device, 'GEOGRAPHIC_COORD', { LAT: this.o.site.latDeg, LONG: lon, ELEV: this.o.site.heightM });
      await this.waitProp('GEOGRAPHIC_COORD', (p) => Math.abs(Number(p.values.LAT) - this.o.site.latDeg) < 1e-6, 'site set');
    }
    if (this.prop('TIME_UTC')) {
      const utc = new Date(this.o.clock.nowMs()).toISOString().slice(0, 19);
      this.client.sendText(this.device, 'TIME_UTC', { UTC: utc, OFFSET: '0' });
    }
    // Satellites cross the sky at up to ~1°/s: use the driver's fastest slew rate (the last member of the switch).
    const rate = this.prop('TELESCOPE_SLEW_RATE');
    const fastest = rate ? Object.keys(rate.values).at(-1) : undefined;
    if (rate && fastest && rate.values[fastest] !== 'On') {
      this.client.sendSwitch(this.device, 'TELESCOPE_SLEW_RATE', Object.fromEntries(Object.keys(rate.values).map((k) => [k, k === fastest ? 'On' : 'Off'])) as Record<string, 'On' | 'Off'>);
    }
    // Position updates at 10 Hz so getStatus is never more than a tracking step old.
    if (this.prop('POLLING_PERIOD')) this.client.sendNumber(this.device, 'POLLING_PERIOD', { PERIOD_MS: 100 });
  }

  async unpark(): Promise<void> {
    const park = this.prop('TELESCOPE_PARK');
    if (!park || park.values.PARK !== 'On') return;
    this.client.sendSwitch(this.device, 'TELESCOPE_PARK', { PARK: 'Off', UNPARK: 'On' });
    await this.waitProp('TELESCOPE_PARK', (p) => p.values.UNPARK === 'On' && p.state === 'Ok', 'unparked');
  }

  async slewTo(t: AzEl): Promise<void> {
    const coordSet = this.prop('ON_COORD_SET');
    // TRACK: after arriving the mount keeps following the sky; the automation re-commands at ≥ 10 Hz anyway.
    if (coordSet && coordSet.values.TRACK !== 'On') this.client.sendSwitch(this.device, 'ON_COORD_SET', { TRACK: 'On', SLEW: 'Off', SYNC: 'Off' });
    const eod = this.prop('EQUATORIAL_EOD_COORD');
    const v0 = eod?.version ?? 0;
    const { raHours, decDeg } = azElToRaDecOfDate(t, this.o.site, this.o.clock.nowMs());
    this.client.sendNumber(this.device, 'EQUATORIAL_EOD_COORD', { RA: raHours, DEC: decDeg });
    // Accepted = the driver answered with a fresh coordinate vector that is not Alert.
    await this.waitProp('EQUATORIAL_EOD_COORD', (p) => p.version > v0 && (p.state === 'Busy' || p.state === 'Ok'), 'slew accepted');
  }

  async getStatus(): Promise<MountStatus> {
    const eod = this.prop('EQUATORIAL_EOD_COORD');
    if (!eod) throw new Error(`INDI ${this.device}: not connected`);
    const azEl = raDecOfDateToAzEl({ raHours: Number(eod.values.RA), decDeg: Number(eod.values.DEC) }, this.o.site, this.o.clock.nowMs());
    const park = this.prop('TELESCOPE_PARK');
    const status: MountStatus = { ...azEl, slewing: eod.state === 'Busy', parked: park?.values.PARK === 'On' };
    if (eod.state === 'Alert') status.fault = `EQUATORIAL_EOD_COORD Alert${this.client.lastMessage()}`;
    return status;
  }

  async stop(): Promise<void> {
    this.client.sendSwitch(this.device, 'TELESCOPE_ABORT_MOTION', { ABORT: 'On' });
    await this.waitProp('TELESCOPE_ABORT_MOTION', (p) => p.state === 'Ok' || p.state === 'Idle', 'abort acknowledged').catch(() => undefined);
  }

  async park(): Promise<void> {
    this.client.sendSwitch(this.device, 'TELESCOPE_PARK', { PARK: 'On', UNPARK: 'Off' });
    await this.waitProp('TELESCOPE_PARK', (p) => p.values.PARK === 'On' && p.state === 'Ok', 'parked', this.o.parkTimeoutMs ?? 180_000);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
