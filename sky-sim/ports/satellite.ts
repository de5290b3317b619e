/**
 * The satellite's side of the classical channel: its public protocol constants and the records of the pulses
 * the ground station asks about (after the pass, for the indices it detected). Records are recomputed from the
 * seed (quantum/source.ts), never stored per pulse.
 */
import type { PulseRecord } from '../../planner/ports.ts';
import type { UtcMs } from '../../planner/time.ts';
import type { PassSimulation } from '../simulation.ts';

export interface SatelliteInfo {
  /** Pulse 0 leaves the satellite at this instant (satellite clock). */
  epochMs: UtcMs;
  repetitionRateHz: number;
  intensities: [number, number, number];
  intensityProbabilities: [number, number, number];
  keyBasisProbability: number;
  /** Pulse indices that are multiples of this carry a sync pulse (0 = no sync). */
  syncPeriodPulses: number;
}

export class SimulatedSatellite {
  constructor(private readonly sim: PassSimulation) {}

  info(): SatelliteInfo {
    const s = this.sim.config.source;
    return {
      epochMs: this.sim.epochMs,
      repetitionRateHz: s.repetitionRateHz,
      intensities: [...s.intensities],
      intensityProbabilities: [...s.intensityProbabilities],
      keyBasisProbability: s.keyBasisProbability,
      syncPeriodPulses: s.syncPeriodPulses,
    };
  }

  /** Records of the given pulses, in the order asked. Rejects indices that are not non-negative integers. */
  pulseRecords(indices: readonly number[]): PulseRecord[] {
    return indices.map((k) => this.sim.source.pulseRecord(k));
  }
}
