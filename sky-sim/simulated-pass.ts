/**
 * The integrator's entry point: one call builds a simulated pass behind the hardware ports.
 *
 *   const pass = createSimulatedPass({ lookSamples, link, clock, seed, faults });
 *   if (!pass.ok) → pass.reason names the bad field
 *   pass.mount / pass.beacon / pass.tagger      — planner/ports.ts Mount, Beacon, TimeTagger
 *   pass.satellite.pulseRecords(indices)         — the transmitter's records (sifting, decoy analysis)
 *   pass.onTelemetry(listener)                   — plain callback; telemetry$ in telemetry/rx.ts (rxjs edge)
 *
 * `link` is either the planner's LinkParams (planner/link/params.ts; transmittance from channelTransmittance,
 * whose detector efficiency is divided out and given to the simulated detectors) or a function look → channel
 * transmittance to the detectors' input.
 */
import type { LookSample } from '../planner/types.ts';
import type { Clock } from '../planner/time.ts';
import type { DecoyProtocolParams } from '../planner/keyrate/types.ts';
import { channelTransmittance } from '../planner/link/channel.ts';
import type { LinkParams } from '../planner/link/params.ts';
import { parseSimConfig, type SimConfigInput } from './config.ts';
import { parseFaults, type FaultInput } from './faults/faults.ts';
import { createPassSimulation, type PassSimulation } from './simulation.ts';
import { SimulatedMount } from './ports/sim-mount.ts';
import { SimulatedBeacon } from './ports/sim-beacon.ts';
import { SimulatedTimeTagger } from './ports/sim-tagger.ts';
import { SimulatedSatellite } from './ports/satellite.ts';
import type { TelemetryListener } from './telemetry/types.ts';

export interface SimulatedPassOptions {
  lookSamples: readonly LookSample[];
  link: LinkParams | ((look: LookSample) => number);
  clock: Clock;
  /** Overrides config.seed. */
  seed?: number;
  /** Any part of the configuration (config.ts); defaults are Micius/Xinglong-like. */
  config?: SimConfigInput;
  /** The protocol parameters of the finite-key model: sets the source's rate, intensities, probabilities, the
   * receiver's basis ratio and misalignment, and the detectors' afterpulse probability. */
  protocol?: DecoyProtocolParams;
  faults?: readonly FaultInput[];
}

export interface SimulatedPass {
  simulation: PassSimulation;
  mount: SimulatedMount;
  beacon: SimulatedBeacon;
  tagger: SimulatedTimeTagger;
  satellite: SimulatedSatellite;
  onTelemetry(listener: TelemetryListener): () => void;
}

export type CreateSimulatedPassResult = ({ ok: true } & SimulatedPass) | { ok: false; reason: string };

export function createSimulatedPass(opts: SimulatedPassOptions): CreateSimulatedPassResult {
  const input: Record<string, unknown> = structuredClone((opts.config ?? {}) as Record<string, unknown>);
  if (opts.seed !== undefined) input.seed = opts.seed;
  const linkFn = typeof opts.link === 'function' ? opts.link : null;
  if (!linkFn && input.detectors === undefined) input.detectors = { efficiency: (opts.link as LinkParams).receiver.detectorEfficiency };
  if (opts.protocol) applyProtocol(input, opts.protocol);
  const parsed = parseSimConfig(input, 'sky-sim config');
  if (!parsed.ok) return parsed;
  const faults = parseFaults(opts.faults ?? [], 'faults');
  if (!faults.ok) return faults;
  let transmittance: (look: LookSample) => number;
  if (linkFn) transmittance = linkFn;
  else {
    const link = opts.link as LinkParams;
    const eff = link.receiver.detectorEfficiency;
    transmittance = (look) => channelTransmittance(look, link).transmittance / eff;
  }
  const created = createPassSimulation({ lookSamples: opts.lookSamples, transmittance, config: parsed.config, faults: faults.faults, clock: opts.clock });
  if (!created.ok) return created;
  const sim = created.simulation;
  return {
    ok: true,
    simulation: sim,
    mount: new SimulatedMount(sim),
    beacon: new SimulatedBeacon(sim),
    tagger: new SimulatedTimeTagger(sim),
    satellite: new SimulatedSatellite(sim),
    onTelemetry: (l) => sim.onTelemetry(l),
  };
}

function applyProtocol(input: Record<string, unknown>, p: DecoyProtocolParams): void {
  const obj = (k: string) => ((input[k] ??= {}) as Record<string, unknown>);
  Object.assign(obj('source'), {
    repetitionRateHz: p.sourceRateHz,
    intensities: p.intensities,
    intensityProbabilities: p.intensityProbabilities,
    keyBasisProbability: p.keyBasisProbability,
  });
  Object.assign(obj('receiver'), { keyBasisProbability: p.keyBasisProbability, misalignmentErrorProbability: p.intrinsicQber });
  const d = input.detectors;
  if (Array.isArray(d)) input.detectors = d.map((x) => ({ ...(x as object), afterpulseProbability: p.afterpulseProbability }));
  else input.detectors = { ...((d as object) ?? {}), afterpulseProbability: p.afterpulseProbability };
}
