/**
 * The `Mount` port over the simulated mount. Each call first brings the world up to the clock's now, so a
 * command acts at the instant it is issued. Refused commands reject with an Error whose message says why
 * (what rotctld's `RPRT -1` or INDI's Alert state would tell).
 */
import type { AzEl, Mount, MountStatus } from '../../planner/ports.ts';
import type { PassSimulation } from '../simulation.ts';

export class SimulatedMount implements Mount {
  readonly kind: string;
  private connected = false;

  constructor(private readonly sim: PassSimulation) {
    this.kind = `sky-sim:${sim.config.mount.kind}`;
  }

  async connect(): Promise<void> {
    this.connected = true;
  }

  async unpark(): Promise<void> {
    this.ready().unpark();
  }

  async slewTo(target: AzEl): Promise<void> {
    const r = this.ready().slewTo(target);
    if (!r.ok) throw new Error(`slewTo(${target.azDeg}, ${target.elDeg}) refused: ${r.reason}`);
  }

  async getStatus(): Promise<MountStatus> {
    return this.ready().status();
  }

  async stop(): Promise<void> {
    this.ready().stop();
  }

  async park(): Promise<void> {
    const r = this.ready().park();
    if (!r.ok) throw new Error(`park refused: ${r.reason}`);
  }

  async close(): Promise<void> {
    this.connected = false;
  }

  private ready() {
    if (!this.connected) throw new Error('mount is not connected (call connect first)');
    this.sim.sync();
    return this.sim.mount;
  }
}
