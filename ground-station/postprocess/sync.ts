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
 *
 * When the tagger also records the satellite's sync detector (SYNC_CHANNEL, a bright pulse on every
 * `syncPeriodPulses`-th pulse) the timing comes from that comb instead (`synchroniseOnSyncPulses`): it does not
 * depend on the quantum count rate, costs O(n), and pins pulse numbers to multiples of the sync period, so every
 * chunk of a clock segment shares one offset. Without sync detections the detection-only path above is used.
 */
import type { Basis, DetectionEvent, PulseRecord } from '../../planner/ports.ts';
import { DETECTOR_CHANNELS, SYNC_CHANNEL } from '../../planner/ports.ts';

export interface SyncOptions {
  pulsePeriodPs: number;
  /** Largest |rate error| searched at acquisition (default 100 ppm: quartz plus Doppler of LEO light time). */
  maxDriftPpm?: number;
  /** Detections per tracking chunk (default 4096). */
  chunkDetections?: number;
  /** Half-width of the coincidence gate in ps (default: 3σ of the measured jitter, at least 50 ps). */
  gatePs?: number;
  /**
   * The satellite's sync pulse comes on every `syncPeriodPulses`-th pulse (pulse indices that are multiples of it),
   * detected on SYNC_CHANNEL. When given and enough sync detections are present, they carry the timing
   * (`syncLocked`); otherwise (or with 0) the quantum detections alone are used.
   */
  syncPeriodPulses?: number;
  /** Predicted pulse index at tagger reading 0 (the pipeline's `tagZeroPulse`): sync pulses snap to multiples of
   * `syncPeriodPulses` in absolute numbering. Default 0. */
  zeroPulse?: number;
  /** Longest chunk, ps of tagger time, in sync-locked mode (default 0.3 s: the light time stays a cubic over it). */
  maxChunkSpanPs?: number;
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
  /** Clock segment (sync-locked mode): a tagger clock jump starts a new one. The numbering of a later segment is
   * predicted across the jump, so it is right up to a whole number of sync periods, which the sender finds. */
  segment?: number;
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
  /** True when the sync detector's pulse train carried the timing. */
  syncLocked?: boolean;
  /** Sync detections used / dropped as noise, and the clock segments (a jump starts a new one), in sync-locked mode. */
  syncDetections?: number;
  syncRejected?: number;
  segments?: number;
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

/** Acquisition: the period (rate) within T·(1 ± maxDrift) that best folds the detections onto one phase. */
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
  let nSync = 0;
  for (let i = 0; i < events.length; i++) {
    const c = events[i].channel;
    if (c >= 0 && c < DETECTOR_CHANNELS.length) quantum.push(i);
    else if (c === SYNC_CHANNEL) nSync++;
  }
  if (quantum.length < 32) return { error: `too few detections to synchronise (${quantum.length})` };
  const P = opts.syncPeriodPulses ?? 0;
  if (P > 0 && nSync >= 64) {
    const locked = synchroniseOnSyncPulses(events, quantum, T, P, opts);
    if (!('error' in locked)) return locked;
  }
  return synchroniseOnDetections(events, quantum, opts);
}

function synchroniseOnDetections(events: readonly DetectionEvent[], quantum: number[], opts: SyncOptions): SyncResult | { error: string } {
  const T = opts.pulsePeriodPs;
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
      // Re-acquire: first near the current rate (the light time's curvature moved it a little), and over the
      // full ±maxDrift only if that finds no lock (a jump or a gap) — the full grid costs ~10^3 times more.
      const head = times.slice(0, 512);
      const near = acquire(head, period, 2e-6);
      period = near.R >= 0.5 ? near.period : acquire(head, T, maxDrift).period;
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

/** Least-squares polynomial y = Σ c_i u^i (degree ≤ 3) by normal equations and Gaussian elimination with pivoting. */
function fitPoly(us: ArrayLike<number>, ys: ArrayLike<number>, n: number, degree: number): number[] {
  const d = degree + 1;
  const pw = new Float64Array(2 * d - 1);
  const a: number[][] = Array.from({ length: d }, () => new Array<number>(d + 1).fill(0));
  const rhs = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const u = us[i];
    let p = 1;
    for (let e = 0; e < 2 * d - 1; e++) {
      pw[e] += p;
      if (e < d) rhs[e] += ys[i] * p;
      p *= u;
    }
  }
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) a[r][c] = pw[r + c];
    a[r][d] = rhs[r];
  }
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
    [a[c], a[piv]] = [a[piv], a[c]];
    if (!(Math.abs(a[c][c]) > 1e-12 * n)) return degree > 0 ? [...fitPoly(us, ys, n, degree - 1), 0] : [0];
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= d; k++) a[r][k] -= f * a[c][k];
    }
  }
  return a.map((row, i) => row[d] / row[i]);
}

/** One chunk's timing model in sync-locked mode: t(k) = t0 + Σ c_i u^i with u = (k − kc)/ks, k relative pulse. */
interface LockedModel {
  t0: number;
  kc: number;
  ks: number;
  c: number[];
}

function modelTime(m: LockedModel, k: number): number {
  const u = (k - m.kc) / m.ks;
  return m.t0 + m.c[0] + u * (m.c[1] + u * (m.c[2] + u * m.c[3]));
}

/** The (fractional) relative pulse whose modelled time is t: a linear guess and two Newton steps on the cubic. */
function modelPulse(m: LockedModel, t: number): number {
  const y = t - m.t0;
  const [c0, c1, c2, c3] = m.c;
  let u = (y - c0) / c1;
  for (let it = 0; it < 2; it++) u -= (c0 + u * (c1 + u * (c2 + u * c3)) - y) / (c1 + u * (2 * c2 + 3 * u * c3));
  return m.kc + m.ks * u;
}

/**
 * Sync-locked timing: the satellite's bright sync pulse (every P-th pulse, on SYNC_CHANNEL) is a comb of known
 * period. Successive sync tags are numbered by rounding their gaps to whole sync periods (the rate is learned
 * from the last 256 syncs, so a 100 ppm error or a gap of seconds still rounds right); a tag off the comb is
 * background unless the next two agree with it — then the tagger clock jumped and a new segment starts. Each
 * chunk's light time is a least-squares cubic t(k) through its syncs (thousands of points, so the sync jitter
 * averages out); the quantum channels' delay against the sync channel (a fraction of a pulse — the integer part
 * is left to the sender's offset search) is the circular mean phase of all detections against that model. Every
 * sync pulse's number is then a multiple of P: each segment's numbering snaps to the nearest multiple of P of
 * the prediction (`zeroPulse` for the first, the previous segment's model after a jump), so chunks agree on one
 * offset. All of it is O(n) in detections; chunk sizes follow the count rate (`chunkDetections` clicks, at most
 * `maxChunkSpanPs` of tagger time).
 */
function synchroniseOnSyncPulses(events: readonly DetectionEvent[], quantum: number[], T: number, P: number, opts: SyncOptions): SyncResult | { error: string } {
  const Ps = P * T;
  const chunkSize = opts.chunkDetections ?? 4096;
  const maxSpan = opts.maxChunkSpanPs ?? 3e11;
  const zeroPulse = opts.zeroPulse ?? 0;
  // ---- number the sync tags, segment at clock jumps
  interface Segment { ev: number[]; s: number[]; m: number[] }
  const segments: Segment[] = [];
  let seg: Segment | null = null;
  let rejected = 0;
  const syncEv: number[] = [];
  for (let i = 0; i < events.length; i++) if (events[i].channel === SYNC_CHANNEL) syncEv.push(i);
  const onComb = (dt: number, period: number, tol: number) => {
    const q = Math.round(dt / period);
    return q >= 1 && Math.abs(dt - q * period) <= tol;
  };
  for (let j = 0; j < syncEv.length; j++) {
    const t = events[syncEv[j]].timePs;
    if (seg) {
      const n = seg.s.length;
      const j0 = Math.max(0, n - 256);
      const learned = n >= 16;
      const period = learned ? (seg.s[n - 1] - seg.s[j0]) / (seg.m[n - 1] - seg.m[j0]) : Ps;
      const dt = t - seg.s[n - 1];
      // Before the rate is learned a period may be off by 100 ppm; after, the tolerance covers the sync jitter
      // and the light-time curvature over the gap.
      const tol = Math.min(Ps / 4, learned ? 2000 + 1e-7 * Math.abs(dt) + 1e-19 * dt * dt : 50_000 + 1e-4 * Math.abs(dt));
      if (onComb(dt, period, tol)) {
        seg.ev.push(syncEv[j]);
        seg.s.push(t);
        seg.m.push(seg.m[n - 1] + Math.round(dt / period));
        continue;
      }
      // Off the comb: background, or a clock jump if the next two syncs agree with this one.
      const next = j + 2 < syncEv.length ? [events[syncEv[j + 1]].timePs, events[syncEv[j + 2]].timePs] : null;
      const jump = next !== null && onComb(next[0] - t, period, 50_000) && onComb(next[1] - next[0], period, 50_000);
      if (!jump) {
        rejected++;
        continue;
      }
    }
    seg = { ev: [syncEv[j]], s: [t], m: [0] };
    segments.push(seg);
  }
  const kept = segments.filter((g) => g.s.length >= 16);
  if (kept.length === 0) return { error: 'too few sync detections on the comb' };
  for (const g of segments) if (g.s.length < 16) rejected += g.s.length;

  // ---- chunks: contiguous event ranges cut at sync tags, fitted on their syncs
  const qBefore = new Int32Array(events.length + 1);
  for (let i = 0, q = 0; i <= events.length; i++) {
    qBefore[i] = q;
    if (i < events.length && events[i].channel >= 0 && events[i].channel < DETECTOR_CHANNELS.length) q++;
  }
  interface LockedChunk { evStart: number; evEnd: number; model: LockedModel; fit: ChunkFit }
  const lchunks: LockedChunk[] = [];
  for (let g = 0; g < kept.length; g++) {
    const sg = kept[g];
    const evStart = g === 0 ? 0 : sg.ev[0];
    const evEnd = g + 1 < kept.length ? kept[g + 1].ev[0] : events.length;
    // cut points (indices into the segment's syncs)
    const cuts: number[] = [0];
    for (let p = 1; p < sg.s.length; p++) {
      const p0 = cuts[cuts.length - 1];
      const from = p0 === 0 ? evStart : sg.ev[p0];
      if (p - p0 >= 16 && (qBefore[sg.ev[p]] - qBefore[from] >= chunkSize || sg.s[p] - sg.s[p0] >= maxSpan)) cuts.push(p);
    }
    // A short tail joins the previous chunk.
    const last = cuts[cuts.length - 1];
    if (cuts.length > 1 && (sg.s.length - 1 - last < 16 || (qBefore[evEnd] - qBefore[sg.ev[last]] < chunkSize / 4 && sg.s[sg.s.length - 1] - sg.s[last] < maxSpan / 4))) cuts.pop();
    for (let c = 0; c < cuts.length; c++) {
      const p0 = cuts[c];
      const p1 = c + 1 < cuts.length ? cuts[c + 1] : sg.s.length - 1;
      const n = p1 - p0 + 1;
      const kc = ((sg.m[p0] + sg.m[p1]) / 2 - sg.m[p0]) * P;
      const ks = Math.max(1, ((sg.m[p1] - sg.m[p0]) / 2) * P);
      const us = new Float64Array(n);
      const ys = new Float64Array(n);
      const t0 = sg.s[p0];
      for (let i = 0; i < n; i++) {
        us[i] = ((sg.m[p0 + i] - sg.m[p0]) * P - kc) / ks;
        ys[i] = sg.s[p0 + i] - t0;
      }
      const coef = fitPoly(us, ys, n, n >= 16 ? 3 : 1);
      while (coef.length < 4) coef.push(0);
      const model: LockedModel = { t0, kc, ks, c: coef };
      // Numbering: sync pulses are multiples of P in absolute numbering; chunks of one segment share its base.
      let nominalPulse: number;
      if (c === 0) {
        const prev = lchunks[lchunks.length - 1];
        const predicted = prev ? prev.fit.nominalPulse + zeroPulse + modelPulse(prev.model, t0) : zeroPulse + t0 / T;
        nominalPulse = Math.round(predicted / P) * P - zeroPulse;
      } else nominalPulse = lchunks[lchunks.length - 1].fit.nominalPulse + (sg.m[p0] - sg.m[cuts[c - 1]]) * P;
      const u0 = -kc / ks;
      const fit: ChunkFit = {
        refPs: modelTime(model, 0),
        periodPs: (coef[1] + u0 * (2 * coef[2] + 3 * u0 * coef[3])) / ks,
        curvPsPerPulse2: (coef[2] + 3 * u0 * coef[3]) / (ks * ks),
        nominalPulse,
        segment: g,
      };
      lchunks.push({ evStart: c === 0 ? evStart : sg.ev[p0], evEnd: c + 1 < cuts.length ? sg.ev[cuts[c + 1]] : evEnd, model, fit });
    }
  }

  // ---- quantum detections: fractional pulse against the model, the channels' delay, gate
  const nq = quantum.length;
  const kCont = new Float64Array(nq);
  const chunkOf = new Int32Array(nq);
  let C = 0;
  let S = 0;
  for (let i = 0, c = 0; i < nq; i++) {
    const e = quantum[i];
    while (c + 1 < lchunks.length && e >= lchunks[c].evEnd) c++;
    chunkOf[i] = c;
    const k = modelPulse(lchunks[c].model, events[e].timePs);
    kCont[i] = k;
    const f = TWO_PI * (k - Math.round(k));
    C += Math.cos(f);
    S += Math.sin(f);
  }
  const R = Math.hypot(C, S) / nq;
  if (R < 0.2) return { error: `no pulse-clock correlation against the sync comb (resultant ${R.toFixed(3)})` };
  const phi = Math.atan2(S, C) / TWO_PI; // delay of the quantum channels behind the sync channel, pulses (mod 1)
  const residual = new Float64Array(nq);
  const rel = new Float64Array(nq);
  for (let i = 0; i < nq; i++) {
    const x = kCont[i] - phi;
    const k = Math.round(x);
    rel[i] = k;
    residual[i] = (x - k) * lchunks[chunkOf[i]].fit.periodPs;
  }
  let gate = opts.gatePs;
  if (gate === undefined) {
    let lim = T / 4;
    for (let it = 0; it < 3; it++) {
      let ss = 0;
      let n = 0;
      for (let i = 0; i < nq; i++) if (Math.abs(residual[i]) <= lim) {
        ss += residual[i] * residual[i];
        n++;
      }
      lim = Math.max(50, 3 * Math.sqrt(ss / Math.max(1, n)));
    }
    gate = lim;
  }
  const detections: TrackedDetection[] = [];
  let ss = 0;
  for (let i = 0; i < nq; i++) {
    if (Math.abs(residual[i]) > gate) continue;
    detections.push({ source: quantum[i], chunk: chunkOf[i], relPulse: rel[i], residualPs: residual[i] });
    ss += residual[i] * residual[i];
  }
  // Chunks that kept no detection still count (their offsets stay unresolved); drift is the mean tagger period.
  const chunks = lchunks.map((c) => c.fit);
  const driftPpm = (chunks.reduce((s, c) => s + c.periodPs, 0) / chunks.length / T - 1) * 1e6;
  return {
    detections,
    chunks,
    driftPpm,
    jitterRmsPs: Math.sqrt(ss / Math.max(1, detections.length)),
    gatePs: gate,
    inGateFraction: detections.length / nq,
    acquisitionResultant: R,
    syncLocked: true,
    syncDetections: syncEv.length - rejected,
    syncRejected: rejected,
    segments: kept.length,
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
  return bestShift(sample, record, 2 * windowPulses + 1, (i) => i - windowPulses);
}

/**
 * Sender side after a tagger clock jump: the receiver predicted the new segment's numbering across the jump and
 * snapped it to the sync comb, so its offset is the last one plus a whole number k of sync periods P (the
 * channels' delay behind the sync pulse does not change). Searches base + k·P + {−1, 0, 1} for |k| ≤ maxPeriods:
 * a jump of up to maxPeriods·P pulses, about 1 s at 100 MHz with P = 10^4 and the default 10^4 periods.
 */
export function resolvePulseOffsetOnComb(
  sample: readonly SyncSample[],
  record: (pulseIndex: number) => PulseRecord | undefined,
  basePulses: number,
  periodPulses: number,
  maxPeriods = 10_000,
): OffsetResolution | null {
  return bestShift(sample, record, 3 * (2 * maxPeriods + 1), (i) => basePulses + (Math.floor(i / 3) - maxPeriods) * periodPulses + (i % 3) - 1);
}

/** Scores the shifts shiftAt(0 … count−1); the best one and its margin over the runner-up. */
function bestShift(
  sample: readonly SyncSample[],
  record: (pulseIndex: number) => PulseRecord | undefined,
  count: number,
  shiftAt: (i: number) => number,
): OffsetResolution | null {
  let best = { shift: 0, score: -Infinity, agree: 0, pairs: 0 };
  let second = -Infinity;
  for (let i = 0; i < count; i++) {
    const s = shiftAt(i);
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
