/**
 * Diffraction of a Gaussian beam (TEM00) from a transmitter aperture to a receiver aperture.
 * w(L) = w0 √(1 + (L/z_R)²), z_R = π w0² / λ; far-field 1/e² half-angle θ = λ / (π w0).
 * The fraction of a beam of 1/e² radius W collected by an annular aperture (outer radius a, central obscuration
 * radius b) centred on the beam is exp(−2b²/W²) − exp(−2a²/W²).
 */

/** Waist radius w0 (1/e² intensity) giving a far-field 1/e² full-angle divergence `divergenceFullAngleRad`. */
export function waistFromDivergence(wavelengthM: number, divergenceFullAngleRad: number): number {
  return wavelengthM / (Math.PI * (divergenceFullAngleRad / 2));
}

/**
 * Without a stated divergence the beam fills the aperture: w0 = a / 1.12, the truncation that maximises the
 * far-field on-axis intensity (Siegman, Lasers, §17); the clipped power, 1 − exp(−2·1.12²) ≈ 8 %, is counted.
 */
export const APERTURE_FILL_RATIO = 1.12;

export function beamRadiusAt(w0M: number, wavelengthM: number, distanceM: number): number {
  const zR = (Math.PI * w0M * w0M) / wavelengthM;
  return w0M * Math.sqrt(1 + (distanceM / zR) ** 2);
}

/** Fraction of a centred Gaussian beam of 1/e² radius `beamRadiusM` entering an annular aperture. */
export function collectedFraction(beamRadiusM: number, apertureDiameterM: number, obscurationDiameterM = 0): number {
  const w2 = beamRadiusM * beamRadiusM;
  const a = apertureDiameterM / 2;
  const b = obscurationDiameterM / 2;
  return Math.exp((-2 * b * b) / w2) - Math.exp((-2 * a * a) / w2);
}

/** Power left after a Gaussian beam of waist w0 passes a circular aperture of diameter D (truncation). */
export function truncationTransmittance(w0M: number, apertureDiameterM: number): number {
  return 1 - Math.exp((-2 * (apertureDiameterM / 2) ** 2) / (w0M * w0M));
}
