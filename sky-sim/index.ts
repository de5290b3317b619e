/**
 * sky-sim's public API (framework-free; the rxjs edge is sky-sim/telemetry/rx.ts). See docs/sky-sim.md.
 */
export { createSimulatedPass, type SimulatedPass, type SimulatedPassOptions, type CreateSimulatedPassResult } from './simulated-pass.ts';
export { createPassSimulation, PassSimulation, type PassSimulationOptions } from './simulation.ts';
export { VirtualClock, type ClockPace, type WallClock } from './clock/virtual-clock.ts';
export { parseSimConfig, simConfigSchema, type SimConfig, type SimConfigInput } from './config.ts';
export { parseFaults, randomFaults, faultSchema, FAULT_KINDS, type Fault, type FaultInput, type FaultKind, type RandomFaultSpec } from './faults/faults.ts';
export { TELESCOPE_MOUNT, ROTCTLD_DUMMY_MOUNT, mountModelSchema, type MountModel } from './mount/profiles.ts';
export { SimulatedMount } from './ports/sim-mount.ts';
export { SimulatedBeacon } from './ports/sim-beacon.ts';
export { SimulatedTimeTagger } from './ports/sim-tagger.ts';
export { SimulatedSatellite, type SatelliteInfo } from './ports/satellite.ts';
export { syntheticPass, type SyntheticPassSpec } from './geometry/synthetic-pass.ts';
export { createLookTrack, type LookTrack } from './geometry/look-track.ts';
export { drivePass, staticLook, type DriveOptions } from './testing/drive.ts';
export { Rng } from './random/prng.ts';
export type { TelemetryEvent, TelemetrySample, TelemetryFault, TelemetryListener } from './telemetry/types.ts';
export { SYNC_CHANNEL, DETECTOR_CHANNELS, detectorChannel } from '../planner/ports.ts';
