/**
 * Hamlib rotctld adapter behind the Mount port. Speaks the extended protocol (`+` prefix) for every command so each
 * reply ends in `RPRT n` and framing never depends on knowing how many lines a command prints. Per-command
 * timeouts and reconnect come from LineClient (rotctld goes silent after an unknown command).
 * Azimuth: rotators have a travel range (the dummy: −180…450°); a target is sent as the equivalent azimuth
 * (±360°) inside that range nearest to where the rotator is, so it never unwinds the long way mid-pass.
 */
import type { AzEl, Mount, MountStatus } from '../../planner/ports.ts';
import { LineClient } from './line-client.ts';

/** Hamlib's error codes (rig.h), so a failed command says why. */
const HAMLIB_ERRORS: Record<number, string> = {
  [-1]: 'invalid parameter (out of range?)', [-2]: 'invalid configuration', [-3]: 'out of memory', [-4]: 'not implemented',
  [-5]: 'communication timed out', [-6]: 'I/O error', [-7]: 'internal Hamlib error', [-8]: 'protocol error',
  [-9]: 'command rejected by the rotator', [-10]: 'argument truncated', [-11]: 'function not available', [-12]: 'target not available',
  [-13]: 'bus error', [-14]: 'bus busy', [-15]: 'invalid argument', [-16]: 'invalid VFO', [-17]: 'argument out of domain',
};

export class RotctldError extends Error {
  constructor(readonly command: string, readonly code: number) {
    super(`rotctld '${command}': RPRT ${code} (${HAMLIB_ERRORS[code] ?? 'unknown error'})`);
  }
}

export interface RotctldOptions {
  host: string;
  port: number;
  timeoutMs?: number;
  /** A position within this of the target counts as arrived (the dummy reports 0.01° steps). */
  arrivedToleranceDeg?: number;
  /**
   * Rotators want positions, not a 10 Hz stream: Hamlib's dummy restarts its move on every set_pos and stands
   * still under a flood, and real controllers (GS-232, SPID) queue or drop commands. Targets are coalesced so
   * at most one set_pos goes out per interval (the latest target wins; gpredict and SatNOGS do the same).
   */
  minCommandIntervalMs?: number;
  /** A new target closer than this to the last one sent is not sent at all. */
  commandThresholdDeg?: number;
}

export interface Travel {
  minAzDeg: number;
  maxAzDeg: number;
  minElDeg: number;
  maxElDeg: number;
}

const isReport = (line: string) => /^RPRT -?\d+$/.test(line.trim());

/** Picks az + k·360 inside [min, max] closest to `fromAzDeg`; null when no equivalent fits. */
export function unwrapAzimuth(azDeg: number, fromAzDeg: number, travel: Pick<Travel, 'minAzDeg' | 'maxAzDeg'>): number | null {
  const base = ((azDeg % 360) + 360) % 360;
  let best: number | null = null;
  for (let k = -2; k <= 2; k++) {
    const a = base + 360 * k;
    if (a < travel.minAzDeg - 1e-9 || a > travel.maxAzDeg + 1e-9) continue;
    if (best === null || Math.abs(a - fromAzDeg) < Math.abs(best - fromAzDeg)) best = a;
  }
  return best;
}

/** Parses `Key: value` lines of an extended reply; throws RotctldError on a non-zero RPRT. */
export function parseExtended(command: string, lines: string[]): Record<string, string> {
  const last = lines.at(-1)?.trim() ?? '';
  const code = Number(last.slice(5));
  if (code !== 0) throw new RotctldError(command, code);
  const out: Record<string, string> = {};
  for (const line of lines.slice(1, -1)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

export class RotctldMount implements Mount {
  readonly kind = 'rotctld';
  /** Commands go out about once a second: aim half an interval ahead so the staircase straddles the track. */
  readonly commandLeadMs: number;
  private lastSentMs = -Infinity;
  private lastSent: AzEl | null = null;
  private deferred: { target: AzEl; timer: NodeJS.Timeout } | null = null;
  private readonly client: LineClient;
  private travel: Travel = { minAzDeg: 0, maxAzDeg: 360, minElDeg: 0, maxElDeg: 90 };
  private target: AzEl | null = null;
  private lastRawAz = 0;
  /** Where the last command sent the azimuth axis, in the rotator's own (unwrapped) range. */
  private lastCommandedRawAz = 0;
  private parked = false;

  constructor(private readonly o: RotctldOptions) {
    this.client = new LineClient({ host: o.host, port: o.port, timeoutMs: o.timeoutMs ?? 2000 });
    this.commandLeadMs = (o.minCommandIntervalMs ?? 1000) / 2;
  }

  get reconnects(): number {
    return this.client.reconnects;
  }

  /** Sends one extended command and returns its key/value lines. */
  async command(cmd: string): Promise<Record<string, string>> {
    const lines = await this.client.request(`+${cmd}`, (line) => isReport(line));
    return parseExtended(cmd, lines);
  }

  async connect(): Promise<void> {
    const caps = await this.command('\\dump_caps');
    const num = (k: string, fallback: number) => {
      const v = Number(caps[k]);
      return Number.isFinite(v) && caps[k] !== undefined ? v : fallback;
    };
    this.travel = {
      minAzDeg: num('Min Azimuth', 0),
      maxAzDeg: num('Max Azimuth', 360),
      minElDeg: num('Min Elevation', 0),
      maxElDeg: num('Max Elevation', 90),
    };
    const pos = await this.command('p');
    this.lastRawAz = Number(pos.Azimuth);
  }

  get travelRange(): Travel {
    return { ...this.travel };
  }

  async unpark(): Promise<void> {
    // rotctld has no unpark: a parked rotator moves on the next set_pos.
    this.parked = false;
  }

  async slewTo(t: AzEl): Promise<void> {
    const interval = this.o.minCommandIntervalMs ?? 1000;
    const now = performance.now();
    if (this.lastSent && Math.abs(this.lastSent.azDeg - t.azDeg) + Math.abs(this.lastSent.elDeg - t.elDeg) < (this.o.commandThresholdDeg ?? 0.05)) return;
    if (now - this.lastSentMs < interval) {
      // Too soon: remember it and send it when the interval is over, unless a newer target replaces it first.
      if (this.deferred) this.deferred.target = t;
      else {
        const d = { target: t, timer: setTimeout(() => {
          this.deferred = null;
          this.send(d.target).catch(() => undefined);
        }, interval - (now - this.lastSentMs)) };
        this.deferred = d;
      }
      return;
    }
    await this.send(t);
  }

  private async send(t: AzEl): Promise<void> {
    this.lastSentMs = performance.now();
    this.lastSent = t;
    const az = unwrapAzimuth(t.azDeg, this.target ? this.lastCommandedRawAz : this.lastRawAz, this.travel);
    if (az === null) throw new Error(`rotctld: azimuth ${t.azDeg.toFixed(2)}° outside travel ${this.travel.minAzDeg}…${this.travel.maxAzDeg}°`);
    const el = Math.min(this.travel.maxElDeg, Math.max(this.travel.minElDeg, t.elDeg));
    await this.command(`P ${az.toFixed(2)} ${el.toFixed(2)}`);
    this.lastCommandedRawAz = az;
    this.target = { azDeg: az, elDeg: el };
    this.parked = false;
  }

  async getStatus(): Promise<MountStatus> {
    const pos = await this.command('p');
    const az = Number(pos.Azimuth);
    const el = Number(pos.Elevation);
    if (!Number.isFinite(az) || !Number.isFinite(el)) throw new Error(`rotctld: unreadable position ${JSON.stringify(pos)}`);
    this.lastRawAz = az;
    const tol = this.o.arrivedToleranceDeg ?? 0.05;
    const slewing = this.target !== null && (Math.abs(this.target.azDeg - az) > tol || Math.abs(this.target.elDeg - el) > tol);
    return { azDeg: ((az % 360) + 360) % 360, elDeg: el, slewing, parked: this.parked };
  }

  private cancelDeferred(): void {
    if (this.deferred) clearTimeout(this.deferred.timer);
    this.deferred = null;
    this.lastSent = null;
  }

  async stop(): Promise<void> {
    this.cancelDeferred();
    await this.command('S');
    this.target = null;
  }

  async park(): Promise<void> {
    this.cancelDeferred();
    await this.command('K');
    this.target = null;
    this.parked = true;
  }

  async close(): Promise<void> {
    this.cancelDeferred();
    await this.client.close();
  }
}
