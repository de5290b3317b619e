/**
 * Turbulence losses, with the Fried parameter r0 of the station's column as the one input:
 * r0(λ, z) = r0,500nm,zenith · (λ / 500 nm)^{6/5} · (cos z)^{3/5}   (Kolmogorov: r0 ∝ λ^{6/5} (sec z)^{−3/5}).
 *
 * Downlink (turbulence at the END of a 500+ km path): the beam itself is hardly broadened (the layer sees a
 * nearly plane wave, its coherence width is metres at the satellite), but the receiver images the source through
 * it: the long-exposure spot has FWHM ≈ 0.98 λ / r0, and a detector with a small field of view (needed to reject
 * background) loses what falls outside. For a Gaussian spot the collected fraction inside a full field of view Θ is
 *   η = 1 − exp(−ln 2 · Θ² / s²),   s² = (0.98 λ/r0)² + (λ/D)²  (seeing and diffraction of the receiver).
 * Uplink (turbulence at the START of the path): the beam leaves through the layer and spreads; the long-term
 * spot radius is W_LT² = W² + 2 (2L / (k ρ0))², with ρ0 = r0 / 2.1 the coherence radius (Fante 1975, Proc. IEEE 63,
 * 1669; Andrews & Phillips, Laser Beam Propagation through Random Media, ch. 6–7). Beam wander is part of the
 * long-term spot; the collected fraction is then that of the broadened Gaussian.
 */

export function friedParameterM(r0Zenith500nmM: number, wavelengthM: number, elevationDeg: number): number {
  const cosZ = Math.sin((Math.max(0.5, elevationDeg) * Math.PI) / 180);
  return r0Zenith500nmM * (wavelengthM / 500e-9) ** 1.2 * cosZ ** 0.6;
}

/** Downlink: fraction of the seeing-blurred spot inside the receiver's field of view. */
export function fieldOfViewCoupling(wavelengthM: number, r0M: number, apertureDiameterM: number, fieldOfViewFullAngleRad: number): number {
  const seeing = (0.98 * wavelengthM) / r0M;
  const diffraction = wavelengthM / apertureDiameterM;
  const s2 = seeing * seeing + diffraction * diffraction;
  return 1 - Math.exp((-Math.LN2 * fieldOfViewFullAngleRad * fieldOfViewFullAngleRad) / s2);
}

/** Uplink: long-term beam radius after turbulence near the transmitter. */
export function longTermBeamRadiusM(diffractionRadiusM: number, wavelengthM: number, distanceM: number, r0M: number): number {
  const k = (2 * Math.PI) / wavelengthM;
  const rho0 = r0M / 2.1;
  const spread = (2 * distanceM) / (k * rho0);
  return Math.sqrt(diffractionRadiusM * diffractionRadiusM + 2 * spread * spread);
}
