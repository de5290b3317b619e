/**
 * Telemetry of a simulated pass, one sample per telemetry period plus fault transitions. Plain data (JSON
 * lines in files, an rxjs Observable at the edge: telemetry/rx.ts). No key material: counts only.
 */
import type { UtcMs } from '../../planner/time.ts';
import type { FaultKind } from '../faults/faults.ts';

export interface TelemetrySample {
  type: 'sample';
  tMs: UtcMs;
  periodMs: number;
  satellite: { azDeg: number; elDeg: number; rangeKm: number };
  mount: { azDeg: number; elDeg: number; slewing: boolean; parked: boolean; fault?: string };
  pointing: { errorUrad: number; residualUrad: number; fineLoopClosed: boolean; beaconVisible: boolean; coupling: number };
  channel: {
    /** Link model (mean), scintillation factor, cloud factor and the total to the detectors (efficiency excluded). */
    linkTransmittance: number;
    scintillation: number;
    cloudTransmittance: number;
    transmittance: number;
    lossDb: number;
    /** Extraneous rate per detector (dark + background + stray), Hz. */
    extraneousRateHz: number;
    /** True when the incident light was clipped at the detectors' limit (blinded). */
    saturated: boolean;
  };
  /** Detector clicks in the period per channel 0..4 (after dead time; 4 = sync), whether or not the tagger recorded them. */
  counts: number[];
}

export interface TelemetryFault {
  type: 'fault';
  tMs: UtcMs;
  kind: FaultKind;
  phase: 'start' | 'end' | 'instant';
  detail?: string;
}

export type TelemetryEvent = TelemetrySample | TelemetryFault;
export type TelemetryListener = (e: TelemetryEvent) => void;
