/** The `Beacon` port: the tracking camera's latest frame at the clock's now. */
import type { Beacon, BeaconFix } from '../../planner/ports.ts';
import type { PassSimulation } from '../simulation.ts';

export class SimulatedBeacon implements Beacon {
  constructor(private readonly sim: PassSimulation) {}

  async read(): Promise<BeaconFix> {
    this.sim.sync();
    return this.sim.beaconFix();
  }
}
