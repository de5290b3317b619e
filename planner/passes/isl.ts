/**
 * Inter-satellite windows: where the straight line between two satellites clears the Earth plus an atmosphere
 * margin (grazing altitude) and the range is below a maximum. Geometry in TEME (inertial; both ends move, the Earth
 * does not matter beyond its shape). The Earth is the WGS84 ellipsoid: scaling z by a/b turns it into a sphere of
 * radius a, where the closest approach of a segment to the centre is elementary; the grazing altitude is added to a.
 *
 * Positions of every satellite are computed once per grid instant and shared by all pairs; each sign change is
 * refined by Brent to 1 ms, the minimum range by Brent on the range rate.
 */
import type { CatalogEntry } from '../catalog/types.ts';
import { WGS84_A_KM, WGS84_F } from '../frames/geodesy.ts';
import { brentRoot, goldenMax } from '../search/roots.ts';
import { toIso } from '../time.ts';
import type { InterSatelliteWindow } from '../types.ts';
import { temeAt, type EvalCounter } from './propagator.ts';

export interface IslInput {
  satellites: readonly CatalogEntry[];
  /** Pairs of NORAD ids; default every pair of `satellites`. */
  pairs?: readonly (readonly [string, string])[];
  startMs: number;
  endMs: number;
  /** Default 100 km: below it refraction and extinction make a link impractical. */
  grazingAltitudeKm?: number;
  /** Default: no limit. */
  maxRangeKm?: number;
  counter?: EvalCounter;
}

const Z_SCALE = 1 / (1 - WGS84_F);
const ROOT_TOLERANCE_MS = 1;
// Two LEO satellites close at ≤ 16 km/s: in one 20 s step the constraint moves by < 320 km.
const GRAZE_SEARCH_KM = 320;

/** Clearance of the segment a–b above the scaled sphere, km (negative: blocked), and the range, km. */
export function lineOfSightClearanceKm(a: ArrayLike<number>, b: ArrayLike<number>, grazingAltitudeKm: number): number {
  const ax = a[0]!, ay = a[1]!, az = a[2]! * Z_SCALE;
  const bx = b[0]!, by = b[1]!, bz = b[2]! * Z_SCALE;
  const dx = bx - ax, dy = by - ay, dz = bz - az;
  const dd = dx * dx + dy * dy + dz * dz;
  let u = dd > 0 ? -(ax * dx + ay * dy + az * dz) / dd : 0;
  u = Math.min(1, Math.max(0, u));
  const px = ax + u * dx, py = ay + u * dy, pz = az + u * dz;
  return Math.sqrt(px * px + py * py + pz * pz) - (WGS84_A_KM + grazingAltitudeKm);
}

export function findInterSatelliteWindows(input: IslInput): InterSatelliteWindow[] {
  const { startMs, endMs } = input;
  if (!(endMs > startMs)) throw new RangeError(`end ${toIso(endMs)} is not after start ${toIso(startMs)}`);
  const graze = input.grazingAltitudeKm ?? 100;
  const maxRange = input.maxRangeKm ?? Infinity;
  const byId = new Map(input.satellites.map((s) => [s.noradId, s]));
  const pairs: [CatalogEntry, CatalogEntry][] = [];
  if (input.pairs) {
    for (const [x, y] of input.pairs) {
      const a = byId.get(x);
      const b = byId.get(y);
      if (!a || !b) throw new RangeError(`unknown satellite in pair ${x}/${y}`);
      pairs.push([a, b]);
    }
  } else {
    const sats = [...input.satellites];
    for (let i = 0; i < sats.length; i++) for (let j = i + 1; j < sats.length; j++) pairs.push([sats[i]!, sats[j]!]);
  }
  // Grid step: the clearance of two LEO satellites changes at most by their relative speed (≤ 16 km/s); 20 s keeps
  // windows longer than ~20 s from slipping between samples; shorter ones show as a local maximum just below zero,
  // which is refined below.
  const stepMs = 20_000;
  const n = Math.ceil((endMs - startMs) / stepMs) + 1;
  const times = Array.from({ length: n }, (_, i) => Math.min(endMs, startMs + i * stepMs));
  const used = new Set(pairs.flatMap(([a, b]) => [a.noradId, b.noradId]));
  const grid = new Map<string, Float64Array>();
  for (const id of used) {
    const sat = byId.get(id)!;
    const g = new Float64Array(n * 3).fill(NaN);
    times.forEach((t, i) => {
      const pv = temeAt(sat, t, input.counter);
      if (pv) g.set(pv.r, i * 3);
    });
    grid.set(id, g);
  }
  const out: InterSatelliteWindow[] = [];
  for (const [a, b] of pairs) {
    const ga = grid.get(a.noradId)!;
    const gb = grid.get(b.noradId)!;
    const at = (t: number) => {
      const pa = temeAt(a, t, input.counter);
      const pb = temeAt(b, t, input.counter);
      return pa && pb ? { ra: pa.r, rb: pb.r, va: pa.v, vb: pb.v } : null;
    };
    const g = (t: number) => {
      const s = at(t);
      if (!s) return -1;
      const range = Math.hypot(s.rb[0] - s.ra[0], s.rb[1] - s.ra[1], s.rb[2] - s.ra[2]);
      return Math.min(lineOfSightClearanceKm(s.ra, s.rb, graze), maxRange - range);
    };
    const rangeRate = (t: number) => {
      const s = at(t);
      if (!s) return 0;
      const d = [s.rb[0] - s.ra[0], s.rb[1] - s.ra[1], s.rb[2] - s.ra[2]];
      const v = [s.vb[0] - s.va[0], s.vb[1] - s.va[1], s.vb[2] - s.va[2]];
      return (d[0]! * v[0]! + d[1]! * v[1]! + d[2]! * v[2]!) / Math.hypot(d[0]!, d[1]!, d[2]!);
    };
    const gi = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const pa = ga.subarray(i * 3, i * 3 + 3);
      const pb = gb.subarray(i * 3, i * 3 + 3);
      const range = Math.hypot(pb[0]! - pa[0]!, pb[1]! - pa[1]!, pb[2]! - pa[2]!);
      const v = Math.min(lineOfSightClearanceKm(pa, pb, graze), maxRange - range);
      gi[i] = Number.isFinite(v) ? v : -1;
    }
    const windows: { s: number; e: number; cs: boolean; ce: boolean }[] = [];
    let openAt: number | null = gi[0]! > 0 ? startMs : null;
    for (let i = 0; i + 1 < n; i++) {
      const t0 = times[i]!, t1 = times[i + 1]!;
      if (t1 <= t0) break;
      const g0 = gi[i]!, g1 = gi[i + 1]!;
      if (g0 > 0 !== g1 > 0) {
        const tc = brentRoot(g, t0, t1, g0, g1, ROOT_TOLERANCE_MS);
        if (g1 > 0) openAt = tc;
        else if (openAt !== null) {
          windows.push({ s: openAt, e: tc, cs: openAt === startMs, ce: false });
          openAt = null;
        }
      }
    }
    if (openAt !== null) windows.push({ s: openAt, e: endMs, cs: openAt === startMs, ce: true });
    // A short window can open and close between two grid points: refine every discrete local maximum of the
    // constraint that sits just below zero (within what the relative motion can change in one step).
    for (let j = 1; j + 1 < n; j++) {
      const gj = gi[j]!;
      if (!(gj <= 0 && gj > -GRAZE_SEARCH_KM && gj >= gi[j - 1]! && gj > gi[j + 1]! && gi[j - 1]! <= 0 && gi[j + 1]! <= 0)) continue;
      const lo = times[j - 1]!;
      const hi = times[j + 1]!;
      if (!(hi > lo)) continue;
      const m = goldenMax(g, lo, hi, ROOT_TOLERANCE_MS);
      if (m.value > 0) {
        windows.push({ s: brentRoot(g, lo, m.t, g(lo), m.value, ROOT_TOLERANCE_MS), e: brentRoot(g, m.t, hi, m.value, g(hi), ROOT_TOLERANCE_MS), cs: false, ce: false });
      }
    }
    windows.sort((x, y) => x.s - y.s);
    for (const w of windows) {
      // Minimum range: a sign change of the range rate inside the window, else the nearer end.
      let best = { t: w.s, r: rangeAt(at, w.s) };
      const eR = rangeAt(at, w.e);
      if (eR < best.r) best = { t: w.e, r: eR };
      let t0 = w.s;
      let r0 = rangeRate(t0);
      while (t0 < w.e) {
        const t1 = Math.min(w.e, t0 + stepMs);
        const r1 = rangeRate(t1);
        if (r0 < 0 && r1 >= 0) {
          const tm = brentRoot(rangeRate, t0, t1, r0, r1, ROOT_TOLERANCE_MS);
          const rm = rangeAt(at, tm);
          if (rm < best.r) best = { t: tm, r: rm };
        }
        t0 = t1;
        r0 = r1;
      }
      out.push({
        id: `${a.noradId}~${b.noradId}@${toIso(w.s)}`,
        satelliteA: a.noradId,
        satelliteB: b.noradId,
        startMs: w.s,
        endMs: w.e,
        minRangeKm: best.r,
        minRangeMs: best.t,
        clippedStart: w.cs,
        clippedEnd: w.ce,
      });
    }
  }
  return out.sort((x, y) => x.startMs - y.startMs || x.id.localeCompare(y.id));
}

function rangeAt(at: (t: number) => { ra: number[]; rb: number[] } | null, t: number): number {
  const s = at(t);
  return s ? Math.hypot(s.rb[0]! - s.ra[0]!, s.rb[1]! - s.ra[1]!, s.rb[2]! - s.ra[2]!) : Infinity;
}
