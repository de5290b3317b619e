/**
 * Geometric pass search for one satellite over many stations, the hot loop of the planner.
 *
 * Design (issue 2, "by design, not by tuning"):
 *  - one SGP4 evaluation per instant serves every station (Earth-fixed state, then a few dot products per station);
 *  - rigorous skips, the larger of two bounds per station: (a) the visibility cone — outside the central angle λ
 *    around the station the satellite is below the mask, and its sub-satellite point moves at most at ω_max;
 *    (b) the direction to the satellite turns at most at v_max/ρ, so `margin` rad below the mask it cannot rise
 *    for ρ(1 − e^−margin)/v_max seconds. The next instant is the smallest skip over the stations;
 *  - near a station, a coarse step of 1/100 orbit (≤ 2 min, ≥ 10 s): between two samples a crossing shows as a sign
 *    change of el − mask, a grazing pass that rises and sets between samples as a +→− sign change of the elevation
 *    rate (computed analytically from the SGP4 velocity), so short passes are not missed;
 *  - every event refined: AOS/LOS by safeguarded Newton on el − mask with the analytic rate (1 ms; Brent for
 *    azimuth-dependent masks), TCA by Brent on the elevation rate (1 ms: near zenith the peak is sharp).
 */
import type { CatalogEntry } from '../catalog/types.ts';
import type { EcefState } from '../frames/earth-rotation.ts';
import { EARTH_OMEGA_RAD_S } from '../frames/earth-rotation.ts';
import type { Site } from '../frames/geodesy.ts';
import { brentRoot, goldenMax, newtonRoot } from '../search/roots.ts';
import type { ElevationMask } from '../stations/mask.ts';
import { makeEcefPropagator, type EvalCounter } from './propagator.ts';
import { refractionDeg, standardPressureHpa } from '../frames/refraction.ts';

const DEG = Math.PI / 180;
const RAD = 180 / Math.PI;
const EARTH_RADIUS_SGP4_KM = 6378.135;
const MU_KM3_S2 = 398600.8;
const ROOT_TOLERANCE_MS = 1;
// Not looser: near an overhead pass the elevation peaks sharply (≈ 90° − ω|t|), so 10 ms would cost 3e-4°.
const TCA_TOLERANCE_MS = 1;
const DEEP_SPACE_TCA_WINDOW_MS = 60_000;
const MAX_STEP_MS = 1_800_000;

export interface GeometricPass {
  stationIndex: number;
  aosMs: number;
  tcaMs: number;
  losMs: number;
  maxElevationDeg: number;
  clippedStart: boolean;
  clippedEnd: boolean;
  /** Look at the events, from the last refinement evaluation (within 1 ms of the event) or exact at TCA. */
  aosAzimuthDeg: number;
  tcaAzimuthDeg: number;
  losAzimuthDeg: number;
  rangeAtTcaKm: number;
}

/** Upper bound of the satellite's speed relative to the rotating Earth, km/s (perigee speed + Earth rotation at apogee). */
export function speedBoundKmS(sat: Pick<CatalogEntry, 'satrec'>): number {
  const { ecco, no } = sat.satrec;
  // Semi-major axis from the mean motion (rad/min) by Kepler's third law; SGP4's own `a` differs by < 0.1 %.
  const nRadS = no / 60;
  const aKm = Math.cbrt(MU_KM3_S2 / (nRadS * nRadS));
  const e = Math.min(Math.max(ecco, 0), 0.99);
  const rp = aKm * (1 - e);
  const ra = aKm * (1 + e);
  const vp = Math.sqrt(MU_KM3_S2 * (2 / rp - 1 / aKm));
  // 5 % margin covers drag/J2 changes of the osculating speed over a week.
  return 1.05 * vp + EARTH_OMEGA_RAD_S * ra + 0.05;
}

/** Coarse step near a station: 1/100 of the orbital period, kept within [10 s, 120 s]. */
export function coarseStepMs(sat: Pick<CatalogEntry, 'satrec'>): number {
  const periodS = (2 * Math.PI) / (sat.satrec.no / 60);
  return Math.min(120_000, Math.max(10_000, (periodS / 100) * 1000));
}

/**
 * Visibility cone of each station: a satellite at geocentric radius r is above elevation ε (spherical Earth through
 * the station) only within the central angle λ = acos(R cos ε / r) − ε of the station. Evaluated at the largest r
 * the orbit reaches and at the station's lowest mask lowered by 0.3° (geodetic vs geocentric vertical ≤ 0.19°) and
 * by the largest refraction when it is on, λ bounds every possible rise. The sub-satellite point moves at most at
 * ω_max = v_max / r_perigee, so a satellite ψ − λ outside the cone cannot rise for (ψ − λ) / ω_max seconds.
 */
interface Cone {
  ux: number;
  uy: number;
  uz: number;
  lambdaMaxRad: number;
}

function visibilityCones(sat: Pick<CatalogEntry, 'satrec'>, sites: readonly Site[], masks: readonly ElevationMask[], vBound: number, refraction: boolean): Cone[] & { omegaMaxRadS: number } {
  const nRadS = sat.satrec.no / 60;
  const aKm = Math.cbrt(MU_KM3_S2 / (nRadS * nRadS));
  const e = Math.min(Math.max(sat.satrec.ecco, 0), 0.99);
  // 2 % on the radii covers SGP4's short-period terms and a week of drag.
  const rApo = aKm * (1 + e) * 1.02;
  const rPeri = Math.max(EARTH_RADIUS_SGP4_KM, aKm * (1 - e) * 0.98);
  const cones = sites.map((site, i) => {
    const R = Math.sqrt(site.x * site.x + site.y * site.y + site.z * site.z);
    const eps = (masks[i]!.minDeg - 0.3 - (refraction ? 0.6 : 0)) * DEG;
    const lambda = R * Math.cos(eps) >= rApo ? 0 : Math.acos((R * Math.cos(eps)) / rApo) - eps;
    return { ux: site.x / R, uy: site.y / R, uz: site.z / R, lambdaMaxRad: lambda };
  }) as Cone[] & { omegaMaxRadS: number };
  cones.omegaMaxRadS = vBound / rPeri;
  return cones;
}

interface Sample {
  f: number; // el − mask(az), deg
  el: number; // deg
  rate: number; // deg/s
  rho: number; // km
  az: number; // deg; only computed for single-station evaluations and non-flat masks
}

export function searchGeometricPasses(
  sat: Pick<CatalogEntry, 'satrec' | 'epochMs'>,
  sites: readonly Site[],
  masks: readonly ElevationMask[],
  startMs: number,
  endMs: number,
  counter?: EvalCounter,
  opts: { refraction?: boolean } = {},
): GeometricPass[] {
  const out: GeometricPass[] = [];
  // With refraction, elevations are apparent: el + R(el). R is monotonic, so the maximum is at the same instant.
  const pressures = opts.refraction ? sites.map((x) => standardPressureHpa(x.heightM)) : null;
  if (!(endMs > startMs) || sites.length === 0) return out;
  const prop = makeEcefPropagator(sat, counter);
  const vBound = speedBoundKmS(sat);
  const hCoarse = coarseStepMs(sat);
  const n = sites.length;
  const deepSpace = sat.satrec.method === 'd';
  const cone = visibilityCones(sat, sites, masks, vBound, opts.refraction ?? false);
  const st: EcefState = { x: 0, y: 0, z: 0, vx: 0, vy: 0, vz: 0 };

  const look = (s: number, smp: Sample, withAz = false): void => {
    const site = sites[s]!;
    const dx = st.x - site.x;
    const dy = st.y - site.y;
    const dz = st.z - site.z;
    const rho2 = dx * dx + dy * dy + dz * dz;
    const rho = Math.sqrt(rho2);
    const up = dx * site.ux + dy * site.uy + dz * site.uz;
    const rhoDot = (dx * st.vx + dy * st.vy + dz * st.vz) / rho;
    const upDot = st.vx * site.ux + st.vy * site.uy + st.vz * site.uz;
    const sinEl = up / rho;
    const cosEl = Math.sqrt(Math.max(1e-300, 1 - sinEl * sinEl));
    const elTrue = Math.asin(sinEl) * RAD;
    const el = pressures ? elTrue + refractionDeg(elTrue, pressures[s]) : elTrue;
    const m = masks[s]!;
    let mask = m.minDeg;
    if (!m.flat || withAz) {
      const east = dx * site.ex + dy * site.ey + dz * site.ez;
      const north = dx * site.nx + dy * site.ny + dz * site.nz;
      let az = Math.atan2(east, north) * RAD;
      if (az < 0) az += 360;
      smp.az = az;
      if (!m.flat) mask = m.atDeg(az);
    }
    smp.f = el - mask;
    smp.el = el;
    smp.rate = ((upDot / rho - (up * rhoDot) / rho2) / cosEl) * RAD;
    smp.rho = rho;
  };
  const tmp: Sample = { f: 0, el: 0, rate: 0, rho: 0, az: 0 };
  // Single-station evaluations for root finding (one SGP4 each); `tmp` keeps the last one's look.
  const fAt = (s: number) => (t: number) => (prop(t, st) ? (look(s, tmp, true), tmp.f) : NaN);
  const rateAt = (s: number) => (t: number) => (prop(t, st) ? (look(s, tmp, true), tmp.rate) : NaN);
  const lookAtT = (s: number, t: number): Sample => {
    if (!prop(t, st)) return { f: NaN, el: -90, rate: 0, rho: NaN, az: NaN };
    look(s, tmp, true);
    return { ...tmp };
  };
  // Crossing of the mask: Newton with the analytic elevation rate for flat masks, Brent otherwise. Returns the time
  // and the azimuth of the last evaluation (within the tolerance of the crossing).
  const crossing = (s: number, t0: number, t1: number, f0: number, f1: number): { t: number; az: number } => {
    const t = masks[s]!.flat
      ? newtonRoot((x, o) => {
          if (prop(x, st)) {
            look(s, tmp, true);
            o[0] = tmp.f;
            o[1] = tmp.rate / 1000; // deg/s → deg/ms: time runs in ms
          } else {
            o[0] = NaN;
            o[1] = NaN;
          }
        }, t0, t1, f0, f1, ROOT_TOLERANCE_MS)
      : brentRoot(fAt(s), t0, t1, f0, f1, ROOT_TOLERANCE_MS);
    return { t, az: tmp.az };
  };

  const mk = () => Array.from({ length: n }, (): Sample => ({ f: 0, el: 0, rate: 0, rho: 0, az: 0 }));
  let prev = mk();
  let next = mk();
  const open: boolean[] = new Array(n).fill(false);
  const aos: number[] = new Array(n).fill(0);
  const aosAz: number[] = new Array(n).fill(NaN);
  const clipS: boolean[] = new Array(n).fill(false);
  const bestT: number[] = new Array(n).fill(0);
  const bestEl: number[] = new Array(n).fill(-Infinity);

  const candidate = (s: number, t: number, el: number) => {
    if (el > bestEl[s]!) {
      bestEl[s] = el;
      bestT[s] = t;
    }
  };
  const emit = (s: number, los: number, losAz: number, clippedEnd: boolean) => {
    // One exact evaluation at TCA gives its azimuth and range (the maximum's elevation is re-read there too).
    const atTca = lookAtT(s, bestT[s]!);
    out.push({
      stationIndex: s,
      aosMs: aos[s]!,
      tcaMs: bestT[s]!,
      losMs: los,
      maxElevationDeg: Number.isFinite(atTca.f) ? atTca.el : bestEl[s]!,
      clippedStart: clipS[s]!,
      clippedEnd,
      aosAzimuthDeg: aosAz[s]!,
      tcaAzimuthDeg: atTca.az,
      losAzimuthDeg: losAz,
      rangeAtTcaKm: atTca.rho,
    });
    open[s] = false;
    bestEl[s] = -Infinity;
  };
  const maxIn = (s: number, t0: number, t1: number, r0: number, r1: number) => {
    const tm = brentRoot(rateAt(s), t0, t1, r0, r1, TCA_TOLERANCE_MS);
    if (!deepSpace) return { t: tm, el: tmp.el, f: tmp.f };
    // SDP4's velocity is not the exact derivative of its position (lunar-solar periodics, ~1 m/s): harmless for
    // crossings, but a high orbit's maximum is so flat that the rate root can sit 10 s off it. Polish on the
    // elevation itself (derivative-free) around it.
    const m = goldenMax((t) => (prop(t, st) ? (look(s, tmp, true), tmp.el) : -90), Math.max(startMs, tm - DEEP_SPACE_TCA_WINDOW_MS), Math.min(endMs, tm + DEEP_SPACE_TCA_WINDOW_MS), TCA_TOLERANCE_MS);
    const f = fAt(s)(m.t);
    return { t: m.t, el: tmp.el, f };
  };
  // Satellite position at the last full sample (st is reused by the root finders).
  const pos = new Float64Array(3);
  const sampleAll = (t: number, into: Sample[]): boolean => {
    if (!prop(t, st)) return false;
    pos[0] = st.x;
    pos[1] = st.y;
    pos[2] = st.z;
    for (let s = 0; s < n; s++) look(s, into[s]!);
    return true;
  };

  if (!sampleAll(startMs, prev)) return out;
  for (let s = 0; s < n; s++) {
    if (prev[s]!.f >= 0) {
      open[s] = true;
      aos[s] = startMs;
      aosAz[s] = lookAtT(s, startMs).az;
      clipS[s] = true;
      candidate(s, startMs, prev[s]!.el);
    }
  }
  let t0 = startMs;
  while (t0 < endMs) {
    // Largest step no station can rise within; never below the coarse step.
    let skipMs = MAX_STEP_MS;
    const px = pos[0]!, py = pos[1]!, pz = pos[2]!;
    const r = Math.sqrt(px * px + py * py + pz * pz);
    for (let s = 0; s < n; s++) {
      const p = prev[s]!;
      let sk = 0;
      if (!open[s]) {
        // Two rigorous bounds; either alone is safe, so the larger wins.
        const marginRad = (masks[s]!.minDeg - p.el) * DEG;
        if (marginRad > 0) sk = ((p.rho * (1 - Math.exp(-marginRad))) / vBound) * 1000;
        const c = cone[s]!;
        const psi = Math.acos(Math.min(1, (px * c.ux + py * c.uy + pz * c.uz) / r));
        const coneSk = ((psi - c.lambdaMaxRad) / cone.omegaMaxRadS) * 1000;
        if (coneSk > sk) sk = coneSk;
      }
      if (sk < skipMs) skipMs = sk;
    }
    const step = Math.max(hCoarse, skipMs);
    const t1 = Math.min(endMs, t0 + step);
    if (!sampleAll(t1, next)) {
      // SGP4 gave up (decay): passes in progress end here.
      for (let s = 0; s < n; s++) if (open[s]) emit(s, t0, lookAtT(s, t0).az, true);
      return out;
    }
    for (let s = 0; s < n; s++) {
      const a = prev[s]!;
      const b = next[s]!;
      if (!open[s] && a.f < 0 && b.f < 0) {
        // Both below the mask: only a grazing pass between the samples can hide here.
        if (t1 - t0 > hCoarse * 1.000001 || !(a.rate > 0 && b.rate < 0)) continue;
        const m = maxIn(s, t0, t1, a.rate, b.rate);
        // The rate root's last evaluation is within 1 ms of the maximum: its f decides (a 1 ms error is < 1e-6°).
        if (!(m.f >= 0)) continue;
        const up = crossing(s, t0, m.t, a.f, m.f);
        aos[s] = up.t;
        aosAz[s] = up.az;
        clipS[s] = false;
        candidate(s, m.t, m.el);
        const down = crossing(s, m.t, t1, m.f, b.f);
        emit(s, down.t, down.az, false);
        continue;
      }
      if (!open[s] && a.f < 0 && b.f >= 0) {
        const up = crossing(s, t0, t1, a.f, b.f);
        aos[s] = up.t;
        aosAz[s] = up.az;
        open[s] = true;
        clipS[s] = false;
      }
      if (open[s]) {
        if (a.rate > 0 && b.rate <= 0) {
          const m = maxIn(s, t0, t1, a.rate, b.rate);
          candidate(s, m.t, m.el);
        }
        if (b.f < 0) {
          const down = crossing(s, t0, t1, a.f, b.f);
          // A pass with no interior maximum (mask rising faster than the satellite): its highest point is an end.
          if (bestEl[s] === -Infinity) {
            candidate(s, aos[s]!, lookAtT(s, aos[s]!).el);
            candidate(s, down.t, lookAtT(s, down.t).el);
          }
          emit(s, down.t, down.az, false);
        }
      }
    }
    [prev, next] = [next, prev];
    t0 = t1;
  }
  for (let s = 0; s < n; s++) {
    if (open[s]) {
      candidate(s, endMs, prev[s]!.el);
      emit(s, endMs, lookAtT(s, endMs).az, true);
    }
  }
  out.sort((x, y) => x.aosMs - y.aosMs || x.stationIndex - y.stationIndex);
  return out;
}
