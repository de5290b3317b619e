/**
 * Time-tag synchronisation, receiver side: recover the tagger's offset and rate against the satellite's pulse
 * clock from the detections themselves, then assign each detection a relative pulse number.
 *  1. Acquisition: on the first detections, search the rate (drift) on a grid fine enough that the phase error
 *     over the span stays below T/8, scoring each candidate by the circular resultant R = |Σ e^{2πi t/T'}|/N —
 *     the cross-correlation of the detections with a pulse comb. Signal clicks pile up at one phase (R → 1),
 *     dark counts spread uniformly (R ~ 1/√N).
 *  2. Tracking: chunk by chunk, predict each detection's pulse from the current (offset, period), then refit
 *     both by least squares on the in-gate residuals. Chunks follow slow changes (drift, light-time change);
 *     a clock jump breaks a chunk, whose integer pulse offset is then re-found.
 *  3. Clicks outside ±gate of their predicted pulse are dropped (background), which also lowers the QBER.
 * The absolute pulse number per chunk (an integer the timing cannot see) is found by the sender correlating a
 * public sample of (relative pulse, basis, bit) with her records (`resolvePulseOffset`).
 */
import type { Basis, DetectionEvent, PulseRecord } from '../../planner/ports.ts';
import { DETECTOR_CHANNELS } from '../../planner/ports.ts';

export interface SyncOptions {
  pulsePeriodPs: number;
  /** Largest |rate error| searched at acquisition (default 100 ppm: quartz plus Doppler of LEO light time). */
  maxDriftPpm?: number;
  /** Detections per tracking chunk (default 4096). */
  chunkDetections?: number;
  /** Half-width of the coincidence gate in ps (default: 3σ of the measured jitter, at least 50 ps). */
  gatePs?: number;
}

export interface TrackedDetection {
  /** Index into the input detections. */
  source: number;
  chunk: number;
  /** Pulse number relative to the chunk's reference pulse. */
  relPulse: number;
  residualPs: number;
}

export interface ChunkFit {
  /** Tagger time of the chunk's reference pulse (relative pulse 0), ps. */
  refPs: number;
  /** Pulse period as the tagger sees it at the reference pulse, ps. */
  periodPs: number;
  /** Curvature of tagger time against pulse number, ps per pulse² (changing light time). */
  curvPsPerPulse2: number;
  /** Nominal pulse number of the reference pulse from the tagger reading (absolute within ± the search window). */
  nominalPulse: number;
}

export interface SyncResult {
  detections: TrackedDetection[];
  chunks: ChunkFit[];
  /** Clock rate error of the tagger against the pulse clock, ppm (mean over chunks). */
  driftPpm: number;
  /** RMS of in-gate residuals, ps (timing jitter as seen after sync). */
  jitterRmsPs: number;
  gatePs: number;
  /** Fraction of detections inside the gate. */
  inGateFraction: number;
  /** Circular resultant at acquisition (1 = perfectly periodic). */
  acquisitionResultant: number;
}

const TWO_PI = 2 * Math.PI;

/** Circular statistics of detection times folded on `period`: resultant length R and mean phase in [0, period). */
function circular(times: readonly number[], t0: number, period: number): { R: number; phasePs: number } {
  let c = 0;
  let s = 0;
  const k = TWO_PI / period;
  for (const t of times) {
    const ph = k * (t - t0);
    c += Math.cos(ph);
    s += Math.sin(ph);
  }
  const a = Math.atan2(s, c);
  return { R: Math.hypot(c, s) / Math.max(1, times.length), phasePs: ((a < 0 ? a + TWO_PI : a) / TWO_PI) * period };
}

function resultant(times: readonly number[], t0: number, period: number): number {
  return circular(times, t0, period).R;
}

/** Acquisition: the period (rate) that best folds the first detections onto one phase. */
function acquire(times: number[], T: number, maxDrift: number): { period: number; R: number } {
  const span = Math.max(1, times[times.length - 1] - times[0]);
  const step = T / 8 / span;
  let best = { period: T, R: -1 };
  const steps = Math.min(200_000, Math.ceil(maxDrift / step));
  for (let i = -steps; i <= steps; i++) {
    const period = T * (1 + i * step);
    const R = resultant(times, times[0], period);
    if (R > best.R) best = { period, R };
  }
  // Golden-section refinement within one grid step.
  let lo = best.period - T * step;
  let hi = best.period + T * step;
  for (let k = 0; k < 30; k++) {
    const a = hi - (hi - lo) * 0.618;
    const b = lo + (hi - lo) * 0.618;
    if (resultant(times, times[0], a) > resultant(times, times[0], b)) hi = b;
    else lo = a;
  }
  const period = (lo + hi) / 2;
  return { period, R: resultant(times, times[0], period) };
}

/** Least-squares line t = ref + period·k through (k, t) pairs. */
function fitLine(ks: number[], ts: number[], ref0: number): { ref: number; period: number } {
  const n = ks.length;
  let sk = 0;
  let st = 0;
  for (let i = 0; i < n; i++) {
    sk += ks[i];
    st += ts[i] - ref0;
  }
  const mk = sk / n;
  const mt = st / n;
  let skk = 0;
  let skt = 0;
  for (let i = 0; i < n; i++) {
    const dk = ks[i] - mk;
    skk += dk * dk;
    skt += dk * (ts[i] - ref0 - mt);
  }
  const period = skt / skk;
  return { ref: ref0 + mt - period * mk, period };
}

/**
 * Least-squares parabola t = ref + period·k + curv·k² through (k, t) pairs: the light time of a LEO pass is
 * curved (range acceleration up to ~50 m/s²), which a line per chunk would turn into residual jitter and lost
 * clicks at the gate. k is centred and scaled for conditioning.
 */
function fitQuadratic(ks: number[], ts: number[], ref0: number): { ref: number; period: number; curv: number } {
  const n = ks.length;
  let km = 0;
  for (const k of ks) km += k;
  km /= n;
  let sc = 0;
  for (const k of ks) sc = Math.max(sc, Math.abs(k - km));
  sc = sc || 1;
  let s1 = 0, s2 = 0, s3 = 0, s4 = 0, y0 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < n; i++) {
    const u = (ks[i] - km) / sc;
    const y = ts[i] - ref0;
    const u2 = u * u;
    s1 += u;
    s2 += u2;
    s3 += u2 * u;
    s4 += u2 * u2;
    y0 += y;
    y1 += y * u;
    y2 += y * u2;
  }
  // Normal equations [n s1 s2; s1 s2 s3; s2 s3 s4]·[a b c] = [y0 y1 y2], by Cramer's rule.
  const det = n * (s2 * s4 - s3 * s3) - s1 * (s1 * s4 - s3 * s2) + s2 * (s1 * s3 - s2 * s2);
  if (!(Math.abs(det) > 1e-12 * n * n * n)) {
    const l = fitLine(ks, ts, ref0);
    return { ...l, curv: 0 };
  }
  const a = (y0 * (s2 * s4 - s3 * s3) - s1 * (y1 * s4 - s3 * y2) + s2 * (y1 * s3 - s2 * y2)) / det;
  const b = (n * (y1 * s4 - s3 * y2) - y0 * (s1 * s4 - s3 * s2) + s2 * (s1 * y2 - y1 * s2)) / det;
  const c = (n * (s2 * y2 - y1 * s3) - s1 * (s1 * y2 - y1 * s2) + y0 * (s1 * s3 - s2 * s2)) / det;
  const curv = c / (sc * sc);
  return { ref: ref0 + a - (b * km) / sc + curv * km * km, period: b / sc - 2 * curv * km, curv };
}

export function synchronise(events: readonly DetectionEvent[], opts: SyncOptions): SyncResult | { error: string } {
  const T = opts.pulsePeriodPs;
  if (!(T > 0)) return { error: 'pulsePeriodPs must be positive' };
  const quantum: number[] = [];
  for (let i = 0; i < events.length; i++) if (events[i].channel >= 0 && events[i].channel < DETECTOR_CHANNELS.length) quantum.push(i);
  if (quantum.length < 32) return { error: `too few detections to synchronise (${quantum.length})` };
  const chunkSize = opts.chunkDetections ?? 4096;
  const maxDrift = (opts.maxDriftPpm ?? 100) * 1e-6;

  const firstTimes = quantum.slice(0, Math.min(512, quantum.length)).map((i) => events[i].timePs);
  const acq = acquire(firstTimes, T, maxDrift);
  if (acq.R < 0.2) return { error: `no pulse-clock correlation found (resultant ${acq.R.toFixed(3)})` };

  let period = acq.period;
  const detections: TrackedDetection[] = [];
  const chunks: ChunkFit[] = [];
  const residualsSq: number[] = [];
  let gate = opts.gatePs ?? Math.max(50, T / 4);
  /** Fits one chunk; returns false (committing nothing) when too few clicks fit — a clock jump inside it. */
  const processChunk = (idx: number[], mayRefuse: boolean): boolean => {
    const chunk = chunks.length;
    const times = idx.map((i) => events[i].timePs);
    const [period0, gate0] = [period, gate];
    // Re-lock the phase on this chunk (robust to a clock jump before it), then refine (ref, period) by least squares.
    let fold = circular(times, times[0], period);
    if (fold.R < 0.5) {
      period = acquire(times.slice(0, 512), T, maxDrift).period;
      fold = circular(times, times[0], period);
    }
    let ref = times[0] + fold.phasePs - (fold.phasePs > period / 2 ? period : 0);
    // Model t(k) = ref + period·k + curv·k²: a line first (sets the gate), then parabolas.
    let curv = 0;
    const pulseOf = (t: number) => {
      const k0 = Math.round((t - ref) / period);
      return curv === 0 ? k0 : Math.round((t - ref - curv * k0 * k0) / period);
    };
    const residual = (t: number, k: number) => t - ref - k * period - curv * k * k;
    for (let iter = 0; iter < 4; iter++) {
      const ks: number[] = [];
      const ts: number[] = [];
      for (const t of times) {
        const k = pulseOf(t);
        if (Math.abs(residual(t, k)) <= gate) {
          ks.push(k);
          ts.push(t);
        }
      }
      if (ks.length < 8) break;
      if (iter === 0) {
        const f = fitLine(ks, ts, ref);
        ref = f.ref;
        period = f.period;
      } else ({ ref, period, curv } = fitQuadratic(ks, ts, ref));
      if ((iter === 0 || iter === 2) && opts.gatePs === undefined) {
        let ss = 0;
        for (let i = 0; i < ks.length; i++) ss += residual(ts[i], ks[i]) ** 2;
        gate = Math.max(50, 3 * Math.sqrt(ss / ks.length));
      }
    }
    let fitting = 0;
    for (const t of times) if (Math.abs(residual(t, pulseOf(t))) <= gate) fitting++;
    if (mayRefuse && fitting < 0.9 * times.length) {
      [period, gate] = [period0, gate0];
      return false;
    }
    // Chain the nominal pulse number across chunks with the previous chunk's model (a nominal T would slip by
    // drift × pulses); the sender's offset search absorbs what the chain gets wrong.
    const prev = chunks[chunks.length - 1];
    let nominalPulse = Math.round(ref / T);
    if (prev) {
      let k = (ref - prev.refPs) / prev.periodPs;
      k = (ref - prev.refPs - prev.curvPsPerPulse2 * k * k) / prev.periodPs;
      nominalPulse = prev.nominalPulse + Math.round(k);
    }
    chunks.push({ refPs: ref, periodPs: period, curvPsPerPulse2: curv, nominalPulse });
    for (let j = 0; j < idx.length; j++) {
      const k = pulseOf(times[j]);
      const r = residual(times[j], k);
      if (Math.abs(r) <= gate) {
        detections.push({ source: idx[j], chunk, relPulse: k, residualPs: r });
        residualsSq.push(r * r);
      }
    }
    return true;
  };
  // A chunk that a clock jump cuts in two fits badly: split it until each part fits (or is too small to split).
  const fitOrSplit = (idx: number[]) => {
    if (processChunk(idx, idx.length >= 1024)) return;
    const mid = idx.length >>> 1;
    fitOrSplit(idx.slice(0, mid));
    fitOrSplit(idx.slice(mid));
  };
  for (let c0 = 0; c0 < quantum.length; c0 += chunkSize) fitOrSplit(quantum.slice(c0, c0 + chunkSize));
  const driftPpm = (chunks.reduce((s, c) => s + c.periodPs, 0) / chunks.length / T - 1) * 1e6;
  return {
    detections,
    chunks,
    driftPpm,
    jitterRmsPs: Math.sqrt(residualsSq.reduce((s, v) => s + v, 0) / Math.max(1, residualsSq.length)),
    gatePs: gate,
    inGateFraction: detections.length / quantum.length,
    acquisitionResultant: acq.R,
  };
}

/** A public sample for offset resolution: relative pulse, basis and bit of a few detections of one chunk. */
export interface SyncSample {
  pulse: number;
  basis: Basis;
  bit: 0 | 1;
}

export interface OffsetResolution {
  /** Add to (nominal + relative) pulse numbers to get the sender's pulse index. */
  offsetPulses: number;
  /** Error rate of the sample at that offset (basis-matched pairs). */
  sampleQber: number;
  matchedPairs: number;
  /** Best score over the runner-up's (> 3 is a clear lock). */
  margin: number;
}

/**
 * Sender side: slides the sample over ±window pulses and keeps the shift where basis-matched bits agree most.
 * At the right shift agreement ≈ 1 − QBER; elsewhere ≈ 1/2, so the score (agree − disagree) peaks sharply.
 */
export function resolvePulseOffset(sample: readonly SyncSample[], record: (pulseIndex: number) => PulseRecord | undefined, windowPulses: number): OffsetResolution | null {
  let best = { shift: 0, score: -Infinity, agree: 0, pairs: 0 };
  let second = -Infinity;
  for (let s = -windowPulses; s <= windowPulses; s++) {
    let agree = 0;
    let pairs = 0;
    for (const d of sample) {
      const idx = d.pulse + s;
      if (idx < 0) continue;
      const r = record(idx);
      if (!r || r.basis !== d.basis) continue;
      pairs++;
      if (r.bit === d.bit) agree++;
    }
    const score = 2 * agree - pairs;
    if (score > best.score) {
      second = best.score;
      best = { shift: s, score, agree, pairs };
    } else if (score > second) second = score;
  }
  if (best.pairs === 0) return null;
  return {
    offsetPulses: best.shift,
    sampleQber: 1 - best.agree / best.pairs,
    matchedPairs: best.pairs,
    margin: second > 0 ? best.score / second : Infinity,
  };
}
