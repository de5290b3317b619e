/**
 * A synthetic, idealised pass for tests, demos and benches that must not depend on a TLE: a circular orbit over
 * a spherical non-rotating Earth, passing a station at a chosen maximum elevation. Geometry is exact for that
 * model (range, elevation and range rate follow from the orbit), so a Micius-like pass (500 km, culminating at
 * 60°, ~5 min above 15°) has realistic ranges (~575–1,400 km) and angular rates. Real passes come from
 * planner's trackingEphemeris; this stands in for it, it does not replace it.
 */
import type { LookSample } from '../../planner/types.ts';
import type { UtcMs } from '../../planner/time.ts';

const EARTH_RADIUS_KM = 6371.0;
const GM_KM3_S2 = 398600.4418;

export interface SyntheticPassSpec {
  tcaMs: UtcMs;
  altitudeKm: number;
  maxElevationDeg: number;
  /** Elevation of the first and last sample (the pass is cut where it drops below). */
  minElevationDeg: number;
  /** Azimuth of the ground-track direction at TCA (the satellite moves toward it); 0 = northbound. */
  headingDeg?: number;
  sampleRateHz?: number;
}

function lookFromAngle(thetaRad: number, psiRad: number, rKm: number, headingRad: number) {
  // Station at (R,0,0): up = x. Orbit: p(θ) = r (cosψ cosθ, sinθ', sinψ cosθ) rotated by the heading.
  const px = rKm * Math.cos(psiRad) * Math.cos(thetaRad);
  const along = rKm * Math.sin(thetaRad);
  const cross = rKm * Math.sin(psiRad) * Math.cos(thetaRad);
  // Local east/north components: along-track direction is the heading, cross-track is heading − 90°.
  const east = along * Math.sin(headingRad) + cross * Math.sin(headingRad - Math.PI / 2);
  const north = along * Math.cos(headingRad) + cross * Math.cos(headingRad - Math.PI / 2);
  const up = px - EARTH_RADIUS_KM;
  const rangeKm = Math.hypot(east, north, up);
  return { azDeg: ((Math.atan2(east, north) * 180) / Math.PI + 360) % 360, elDeg: (Math.asin(up / rangeKm) * 180) / Math.PI, rangeKm };
}

/** Central angle ψ between station and ground track that gives the requested culmination (bisection). */
function centralAngleFor(maxElDeg: number, rKm: number): number {
  let lo = 0, hi = Math.acos(EARTH_RADIUS_KM / rKm);
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    const el = lookFromAngle(0, mid, rKm, 0).elDeg;
    if (el > maxElDeg) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function syntheticPass(spec: SyntheticPassSpec): LookSample[] {
  if (!(spec.maxElevationDeg > spec.minElevationDeg && spec.maxElevationDeg <= 90)) throw new Error('syntheticPass: need minElevationDeg < maxElevationDeg ≤ 90');
  const rKm = EARTH_RADIUS_KM + spec.altitudeKm;
  const omegaRadS = Math.sqrt(GM_KM3_S2 / rKm ** 3);
  const psi = spec.maxElevationDeg >= 90 ? 0 : centralAngleFor(spec.maxElevationDeg, rKm);
  const heading = ((spec.headingDeg ?? 0) * Math.PI) / 180;
  // Half-duration: the θ where elevation falls to the minimum (bisection on the monotone half).
  let lo = 0, hi = Math.PI / 2;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (lookFromAngle(mid, psi, rKm, heading).elDeg > spec.minElevationDeg) lo = mid;
    else hi = mid;
  }
  const halfS = lo / omegaRadS;
  const stepMs = 1000 / (spec.sampleRateHz ?? 1);
  const out: LookSample[] = [];
  // Samples sit on a grid through TCA, so the culmination itself is a sample.
  const halfSteps = Math.floor((halfS * 1000) / stepMs);
  for (let i = -halfSteps; i <= halfSteps; i++) {
    const t = spec.tcaMs + i * stepMs;
    const th = ((t - spec.tcaMs) / 1000) * omegaRadS;
    const a = lookFromAngle(th, psi, rKm, heading);
    const b = lookFromAngle(th + omegaRadS * 1e-3, psi, rKm, heading);
    out.push({ tMs: t, azDeg: a.azDeg, elDeg: a.elDeg, rangeKm: a.rangeKm, rangeRateKmS: (b.rangeKm - a.rangeKm) / 1e-3 });
  }
  return out;
}
