/**
 * The simulated world of one pass: geometry, mount, pointing, channel, source, detectors and time tagger,
 * advanced on one fixed grid of `sliceMs`. The world is lazy: it advances only when asked (`advanceTo`), and
 * the port adapters ask for "now" of the injected clock before they act. Because every random draw happens on
 * the grid from per-component streams, the same seed and the same command times give the same events,
 * whatever the polling pattern.
 *
 * Times: the satellite's clock is the reference. Pulse k leaves at epoch + k/f; it reaches the receiver after
 * range(t_emit)/c. Inside, times are ps after the epoch (plain numbers: a 10-minute pass is 6·10^14 ps < 2^53).
 */
import type { LookSample } from '../planner/types.ts';
import type { Clock, UtcMs } from '../planner/time.ts';
import { detectorsOf, type SimConfig } from './config.ts';
import { activeAt, faultEndMs, type Fault } from './faults/faults.ts';
import { createLookTrack, offsetUrad, type LookTrack } from './geometry/look-track.ts';
import { MountSim } from './mount/mount-sim.ts';
import { beaconFix, inCameraField } from './pointing/beacon-camera.ts';
import { FinePointing, type PointingState } from './pointing/fine-pointing.ts';
import { Rng } from './random/prng.ts';
import { Scintillation } from './channel/scintillation.ts';
import { backgroundRateHz, skyConditions, type SkyConditions } from './channel/sky-background.ts';
import { ClickKind, type Click } from './quantum/clicks.ts';
import { DetectorBank } from './quantum/detector-bank.ts';
import { SliceSampler, SYNC_CHANNEL } from './quantum/slice-sampler.ts';
import { DecoySource } from './quantum/source.ts';
import { TaggerClock } from './quantum/tagger-clock.ts';
import type { TelemetryEvent, TelemetryListener } from './telemetry/types.ts';
import type { BeaconFix, DetectionEvent } from '../planner/ports.ts';

const SPEED_OF_LIGHT_KM_PER_PS = 299_792.458e-12;
/** Below this cloud transmittance the tracking camera loses the beacon. */
const BEACON_CLOUD_THRESHOLD = 0.05;

export interface PassSimulationOptions {
  /** The pass geometry (planner's trackingEphemeris, or syntheticPass), at least 2 samples. */
  lookSamples: readonly LookSample[];
  /**
   * Channel transmittance from the source's output to the detectors' input (detector efficiency EXCLUDED: the
   * detectors apply their own) for one look. The planner's link model gives it (see simulated-pass.ts).
   */
  transmittance: (look: LookSample) => number;
  config: SimConfig;
  faults?: readonly Fault[];
  clock: Clock;
  /** Pulse 0 and the grid start here; default: the first look sample. */
  epochMs?: UtcMs;
}

export type CreateSimulationResult = { ok: true; simulation: PassSimulation } | { ok: false; reason: string };

export function createPassSimulation(opts: PassSimulationOptions): CreateSimulationResult {
  const r = createLookTrack(opts.lookSamples);
  if (!r.ok) return r;
  return { ok: true, simulation: new PassSimulation(opts, r.track) };
}

export class PassSimulation {
  readonly epochMs: UtcMs;
  readonly config: SimConfig;
  readonly source: DecoySource;
  readonly mount: MountSim;
  readonly taggerClock: TaggerClock;
  readonly track: LookTrack;
  readonly clock: Clock;

  private readonly sliceMs: number;
  private readonly pulsesPerSlice: number;
  private sliceIndex = 0;
  private readonly sampler: SliceSampler;
  private readonly bank: DetectorBank;
  private readonly fine: FinePointing;
  private readonly scint: Scintillation;
  private readonly cameraRng: Rng;
  private readonly faults: readonly Fault[];
  private readonly transitions: { tMs: UtcMs; fault: Fault; phase: 'start' | 'end' | 'instant' }[];
  private nextTransition = 0;
  private readonly active = new Set<Fault>();
  private readonly listeners = new Set<TelemetryListener>();
  private readonly recordedSignalListeners = new Set<(pulseIndex: number) => void>();
  private readonly transmittanceOf: (look: LookSample) => number;
  private linkCache: { aMs: number; a: number; bMs: number; b: number } | null = null;
  private skyCache: { tMs: number; sky: SkyConditions } | null = null;
  private readonly guardPs: number;
  private prevArrivalEndPs: number | null = null;

  // Per-slice state exposed to the ports and telemetry.
  private pointing: PointingState = { errorDxUrad: 0, errorDyUrad: 0, tipTiltDxUrad: 0, tipTiltDyUrad: 0, fineLoopClosed: false, residualUrad: 0, coupling: 0 };
  private beaconUnblocked = false;
  private look: LookSample;
  private channelState = { linkTransmittance: 0, scintillation: 1, cloudTransmittance: 1, transmittance: 0, extraneousRateHz: 0, saturated: false };

  private readonly extraneous = [0, 0, 0, 0];
  private readonly stray = [0, 0, 0, 0];
  private readonly darkRateHz: number[];
  private accepted: Click[] = [];
  private pending: Click[] = [];
  private pendingHead = 0;
  private output: DetectionEvent[] = [];
  private readonly periodCounts = [0, 0, 0, 0, 0];
  private periodStartMs: UtcMs;
  /** Ground truth for tests: accepted clicks by kind (signal, extraneous, afterpulse, sync). */
  readonly clickCountsByKind = [0, 0, 0, 0];

  constructor(opts: PassSimulationOptions, track: LookTrack) {
    const c = (this.config = opts.config);
    this.track = track;
    this.clock = opts.clock;
    this.epochMs = opts.epochMs ?? track.startMs;
    this.sliceMs = c.simulation.sliceMs;
    this.pulsesPerSlice = (c.source.repetitionRateHz * this.sliceMs) / 1000;
    this.transmittanceOf = opts.transmittance;
    const root = new Rng(c.seed);
    this.source = new DecoySource(c.source, c.seed);
    const dets = detectorsOf(c);
    this.darkRateHz = dets.map((d) => d.darkCountRateHz);
    this.sampler = new SliceSampler(
      this.source,
      { keyBasisProbability: c.receiver.keyBasisProbability, misalignmentErrorProbability: c.receiver.misalignmentErrorProbability, efficiency: dets.map((d) => d.efficiency) },
      root.fork('detections'),
    );
    this.bank = new DetectorBank(dets, c.source.syncJitterFwhmPs, root.fork('detectors'));
    this.guardPs = 12 * this.bank.maxJitterSigmaPs() + 1000;
    this.fine = new FinePointing(c.pointing, root.fork('pointing'));
    this.scint = new Scintillation(c.scintillation, root.fork('scintillation'));
    this.cameraRng = root.fork('camera');
    this.mount = new MountSim(c.mount, this.epochMs, root.fork('mount-encoders'));
    this.faults = (opts.faults ?? []).slice().sort((a, b) => a.startMs - b.startMs);
    this.transitions = [];
    for (const f of this.faults) {
      if (f.kind === 'clock-jump') this.transitions.push({ tMs: f.startMs, fault: f, phase: 'instant' });
      else this.transitions.push({ tMs: f.startMs, fault: f, phase: 'start' }, { tMs: faultEndMs(f), fault: f, phase: 'end' });
    }
    this.transitions.sort((a, b) => a.tMs - b.tMs);
    const toPs = (tMs: number) => (tMs - this.epochMs) * 1e9;
    this.taggerClock = new TaggerClock(
      c.tagger,
      this.faults.flatMap((f) => (f.kind === 'clock-jump' ? [{ atPs: toPs(f.startMs), jumpPs: f.jumpPs }] : [])),
      this.faults.flatMap((f) => (f.kind === 'tagger-gap' ? [[toPs(f.startMs), toPs(f.startMs + f.durationMs)] as [number, number]] : [])),
    );
    this.look = track.at(this.epochMs);
    this.periodStartMs = this.epochMs;
  }

  /** The simulation's own time: the end of the last simulated slice. */
  get worldMs(): UtcMs {
    return this.epochMs + this.sliceIndex * this.sliceMs;
  }

  /** ps after the epoch for a UTC instant (the simulation's internal time axis). */
  toEpochPs(tMs: UtcMs): number {
    return (tMs - this.epochMs) * 1e9;
  }

  /**
   * Ground truth for replay files and tests: the index of every pulse whose detection the tagger recorded
   * (what the satellite will be asked about; dark counts and afterpulses have no pulse).
   */
  onRecordedSignal(listener: (pulseIndex: number) => void): () => void {
    this.recordedSignalListeners.add(listener);
    return () => this.recordedSignalListeners.delete(listener);
  }

  onTelemetry(listener: TelemetryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Simulates every whole slice that ends at or before `tMs`. */
  advanceTo(tMs: UtcMs): void {
    const target = Math.floor((tMs - this.epochMs) / this.sliceMs + 1e-9);
    while (this.sliceIndex < target) this.step();
  }

  /** Brings the world up to the clock's now. */
  sync(): void {
    this.advanceTo(this.clock.nowMs());
  }

  // ------------------------------------------------------------------ port-facing state

  beaconFix(): BeaconFix {
    return beaconFix(this.config.pointing.camera, this.worldMs, this.pointing, this.beaconUnblocked, this.cameraRng);
  }

  startTagger(): void {
    this.taggerClock.start(this.toEpochPs(this.worldMs));
  }

  stopTagger(): void {
    this.taggerClock.stop(this.toEpochPs(this.worldMs));
  }

  /** Recorded events released so far (and not yet taken), in time order; clears them. */
  takeEvents(): DetectionEvent[] {
    const out = this.output;
    this.output = [];
    return out;
  }

  /** One-way photon delay at an emission instant, ps (ground truth for sync tests). */
  delayPsAt(tMs: UtcMs): number {
    return this.track.at(tMs).rangeKm / SPEED_OF_LIGHT_KM_PER_PS;
  }

  // ------------------------------------------------------------------ the grid step

  private step(): void {
    const j = this.sliceIndex;
    const c = this.config;
    const tStartMs = this.epochMs + j * this.sliceMs;
    const tEndMs = tStartMs + this.sliceMs;
    const dtS = this.sliceMs / 1000;
    this.applyFaultTransitions(tStartMs);
    let linkDrop = false, lostTrack = false, stall = false, cloud = 1;
    const stray = this.stray;
    stray.fill(0);
    for (const f of this.active) {
      if (f.kind === 'link-drop') linkDrop = true;
      else if (f.kind === 'lost-track') lostTrack = true;
      else if (f.kind === 'mount-stall') stall = true;
      else if (f.kind === 'cloud') cloud *= f.transmittance;
      else if (f.kind === 'detector-saturation') for (const ch of f.channels) stray[ch] += f.strayRateHz;
    }
    this.mount.setStall(stall);

    // Geometry and pointing.
    const look = (this.look = this.track.at(tStartMs + this.sliceMs / 2));
    this.mount.step(tEndMs, dtS);
    const err = offsetUrad(this.mount.truePointing(), look);
    const up = look.elDeg > 0;
    this.beaconUnblocked = up && !linkDrop && !lostTrack && cloud >= BEACON_CLOUD_THRESHOLD;
    const seen = this.beaconUnblocked && inCameraField(c.pointing.camera, err.dxUrad, err.dyUrad);
    this.pointing = this.fine.step(this.sliceMs, err.dxUrad, err.dyUrad, seen);

    // Channel.
    const link = up ? this.linkTransmittanceAt(tStartMs + this.sliceMs / 2) : 0;
    const scint = this.scint.step(this.sliceMs, look.elDeg);
    const eta = linkDrop || !up ? 0 : link * scint * cloud * this.pointing.coupling;
    let bg = c.sky.nightSkyRateHz;
    const sky = this.skyAt(tStartMs);
    if (sky) bg = backgroundRateHz(c.sky, sky, look);
    bg *= cloud < 1 ? Math.max(cloud, 0.2) : 1; // clouds dim the night sky less than a point source (diffuse)
    const extraneous = this.extraneous;
    let saturated = false;
    for (let ch = 0; ch < 4; ch++) {
      let r = this.darkRateHz[ch] + bg / 4 + stray[ch];
      if (r > c.sky.maxIncidentRateHz) {
        r = c.sky.maxIncidentRateHz;
        saturated = true;
      }
      extraneous[ch] = r;
    }
    if (stray.some((s) => s > 0)) saturated = true;
    const cs = this.channelState;
    cs.linkTransmittance = link;
    cs.scintillation = scint;
    cs.cloudTransmittance = cloud;
    cs.transmittance = eta;
    cs.extraneousRateHz = extraneous[0];
    cs.saturated = saturated;

    // Source → detections.
    const k0 = Math.floor(j * this.pulsesPerSlice + 1e-9);
    const k1 = Math.floor((j + 1) * this.pulsesPerSlice + 1e-9);
    const emit0Ps = this.source.emissionPs(k0);
    const emitLook = this.track.at(this.epochMs + emit0Ps * 1e-9);
    const delay0 = emitLook.rangeKm / SPEED_OF_LIGHT_KM_PER_PS;
    const delayRate = emitLook.rangeRateKmS / 299_792.458;
    const emit1Ps = this.source.emissionPs(k1);
    const arrivalStart = this.prevArrivalEndPs ?? emit0Ps + delay0;
    const arrivalEnd = emit1Ps + delay0 + delayRate * (emit1Ps - emit0Ps);
    this.prevArrivalEndPs = arrivalEnd;
    const raw = this.sampler.sample(
      { k0, n: k1 - k0, delayPs0: delay0, delayRate, arrivalStartPs: arrivalStart, arrivalEndPs: arrivalEnd, eta, extraneousRateHz: extraneous, syncProbability: up && !linkDrop ? c.source.syncDetectionProbability * Math.min(1, cloud / BEACON_CLOUD_THRESHOLD) : 0 },
    );
    this.accepted.length = 0;
    this.bank.process(raw, arrivalEnd, this.accepted);
    for (const a of this.accepted) {
      this.periodCounts[a.channel]++;
      this.clickCountsByKind[a.kind]++;
      this.addPending(a);
    }
    this.sliceIndex++;
    this.release(Math.min(arrivalEnd - this.guardPs, this.toEpochPs(tEndMs)));
    if (tEndMs - this.periodStartMs >= c.simulation.telemetryPeriodMs - 1e-9) this.emitSample(tEndMs);
  }

  /**
   * Moves pending clicks that can no longer be overtaken (true time < watermark) to the tagger's output.
   * `pending` is kept sorted by insertion: new clicks arrive nearly in order (only jitter near slice edges
   * reorders them), so insertion costs O(1) per click instead of a sort per slice.
   */
  private release(watermarkPs: number): void {
    const pend = this.pending;
    let n = this.pendingHead;
    const tc = this.taggerClock;
    const out = this.output;
    const fast = this.recordedSignalListeners.size === 0 ? tc.simpleTransform() : null;
    if (fast) {
      const { startPs, rate, offsetPs, stopPs } = fast;
      while (n < pend.length && pend[n].tPs < watermarkPs) {
        const cl = pend[n++];
        if (cl.tPs < startPs || cl.tPs >= stopPs) continue;
        out.push({ timePs: Math.round((cl.tPs - startPs) * rate + offsetPs), channel: cl.channel });
      }
    }
    while (n < pend.length && pend[n].tPs < watermarkPs) {
      const cl = pend[n++];
      if (!tc.records(cl.tPs)) continue;
      out.push({ timePs: tc.toTaggerPs(cl.tPs), channel: cl.channel });
      if (cl.kind === ClickKind.Signal && this.recordedSignalListeners.size) for (const l of this.recordedSignalListeners) l(cl.pulseIndex);
    }
    if (n === pend.length) {
      pend.length = 0;
      n = 0;
    } else if (n > 4096) {
      pend.splice(0, n);
      n = 0;
    }
    this.pendingHead = n;
  }

  private addPending(c: Click): void {
    const pend = this.pending;
    let i = pend.length;
    pend.push(c);
    while (i > this.pendingHead && pend[i - 1].tPs > c.tPs) {
      pend[i] = pend[i - 1];
      i--;
    }
    pend[i] = c;
  }

  private linkTransmittanceAt(tMs: UtcMs): number {
    const step = this.config.simulation.linkEvaluationMs;
    const aMs = Math.floor((tMs - this.epochMs) / step) * step + this.epochMs;
    let cache = this.linkCache;
    if (!cache || cache.aMs !== aMs) {
      const bMs = aMs + step;
      const a = cache && cache.bMs === aMs ? cache.b : this.evalLink(aMs);
      cache = this.linkCache = { aMs, a, bMs, b: this.evalLink(bMs) };
    }
    const f = (tMs - cache.aMs) / step;
    return cache.a + f * (cache.b - cache.a);
  }

  private evalLink(tMs: UtcMs): number {
    const look = this.track.at(tMs);
    if (look.elDeg <= 0) return 0;
    const t = this.transmittanceOf(look);
    return Number.isFinite(t) && t > 0 ? Math.min(1, t) : 0;
  }

  private skyAt(tMs: UtcMs): SkyConditions | null {
    const site = this.config.sky.site;
    if (!site) return null;
    const step = this.config.simulation.skyEvaluationMs;
    const key = Math.floor(tMs / step) * step;
    if (!this.skyCache || this.skyCache.tMs !== key) this.skyCache = { tMs: key, sky: skyConditions(site, key) };
    return this.skyCache.sky;
  }

  private applyFaultTransitions(tMs: UtcMs): void {
    while (this.nextTransition < this.transitions.length && this.transitions[this.nextTransition].tMs <= tMs) {
      const tr = this.transitions[this.nextTransition++];
      if (tr.phase === 'start') this.active.add(tr.fault);
      else if (tr.phase === 'end') this.active.delete(tr.fault);
      const detail = tr.fault.kind === 'clock-jump' ? `${tr.fault.jumpPs} ps` : tr.fault.kind === 'cloud' ? `transmittance ${tr.fault.transmittance}` : undefined;
      this.emit({ type: 'fault', tMs: tr.tMs, kind: tr.fault.kind, phase: tr.phase, ...(detail ? { detail } : {}) });
    }
  }

  /** Active faults at an instant (for tests and the operator view). */
  faultsActiveAt(tMs: UtcMs): Fault[] {
    return this.faults.filter((f) => activeAt(f, tMs));
  }

  private emitSample(tEndMs: UtcMs): void {
    const m = this.mount.status();
    const p = this.pointing;
    const ch = this.channelState;
    const e: TelemetryEvent = {
      type: 'sample',
      tMs: tEndMs,
      periodMs: tEndMs - this.periodStartMs,
      satellite: { azDeg: this.look.azDeg, elDeg: this.look.elDeg, rangeKm: this.look.rangeKm },
      mount: { azDeg: m.azDeg, elDeg: m.elDeg, slewing: m.slewing, parked: m.parked, ...(m.fault ? { fault: m.fault } : {}) },
      pointing: { errorUrad: Math.hypot(p.errorDxUrad, p.errorDyUrad), residualUrad: p.residualUrad, fineLoopClosed: p.fineLoopClosed, beaconVisible: this.beaconUnblocked && inCameraField(this.config.pointing.camera, p.errorDxUrad, p.errorDyUrad), coupling: p.coupling },
      channel: { ...ch, lossDb: ch.transmittance > 0 ? -10 * Math.log10(ch.transmittance) : Infinity },
      counts: this.periodCounts.slice(),
    };
    this.periodCounts.fill(0);
    this.periodStartMs = tEndMs;
    this.emit(e);
  }

  private emit(e: TelemetryEvent): void {
    for (const l of this.listeners) l(e);
  }
}

export { SYNC_CHANNEL };
