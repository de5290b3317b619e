/**
 * The `TimeTagger` port: detection events `{timePs, channel}` on the tagger's own clock (offset, drift, jumps;
 * quantum/tagger-clock.ts). Channels 0..3 follow DETECTOR_CHANNELS of planner/ports.ts (H, V, D, A); channel 4
 * (SYNC_CHANNEL) carries the sync pulses. `read` returns what happened since the previous read, in arrival
 * order (time order, except across a backward clock jump, as a real tagger would).
 */
import type { DetectionEvent, TimeTagger } from '../../planner/ports.ts';
import type { PassSimulation } from '../simulation.ts';

export class SimulatedTimeTagger implements TimeTagger {
  readonly kind = 'sky-sim';
  private running = false;

  constructor(private readonly sim: PassSimulation) {}

  async start(): Promise<void> {
    this.sim.sync();
    this.sim.startTagger();
    this.running = true;
  }

  async read(): Promise<DetectionEvent[]> {
    if (!this.running) return [];
    this.sim.sync();
    return this.sim.takeEvents();
  }

  async stop(): Promise<void> {
    this.sim.sync();
    this.sim.stopTagger();
    this.running = false;
  }
}
