/**
 * Clear-sky atmospheric transmittance along a slant path: T(el) = T_zenith(λ) ^ AM(el).
 *
 * Air mass: Kasten & Young, Appl. Opt. 28, 4735 (1989), AM = 1 / (cos z + 0.50572 (96.07995° − z)^−1.6364),
 * z the zenith angle in degrees; within 0.1 % of a layered-atmosphere ray trace to z = 85° and finite (≈ 38) at the
 * horizon, unlike sec z.
 *
 * Zenith transmittance per wavelength is a TABLE, not a formula, because water and O2 bands are narrow: 810 nm sits
 * on a water band (0.81) while 785 nm (0.88) and 850 nm (0.90) do not (docs/link-budget.md gives the sources:
 * clear sky, rural aerosol, 23 km visibility, sea level). Between entries it is interpolated linearly; a station
 * can override it with its own measured value.
 */

export function kastenYoungAirMass(elevationDeg: number): number {
  const z = 90 - Math.min(90, Math.max(0, elevationDeg));
  return 1 / (Math.cos((z * Math.PI) / 180) + 0.50572 * (96.07995 - z) ** -1.6364);
}

/** [wavelength nm, zenith transmittance], sorted by wavelength. */
export const ZENITH_TRANSMITTANCE_TABLE: ReadonlyArray<readonly [number, number]> = [
  [405, 0.5],
  [532, 0.74],
  [633, 0.82],
  [694, 0.8],
  [720, 0.76],
  [760, 0.7], // O2 A band, averaged over a ~1 nm filter
  [785, 0.88],
  [810, 0.81], // water band
  [850, 0.9],
  [905, 0.78], // water band
  [940, 0.55], // water band
  [1064, 0.93],
  [1310, 0.94],
  [1550, 0.96],
];

/** Zenith transmittance at a wavelength from the table (clamped to its ends), or null outside 400–1600 nm. */
export function zenithTransmittance(wavelengthM: number): number | null {
  const nm = wavelengthM * 1e9;
  const t = ZENITH_TRANSMITTANCE_TABLE;
  if (nm < 400 || nm > 1600) return null;
  if (nm <= t[0][0]) return t[0][1];
  for (let i = 1; i < t.length; i++) {
    const [x1, y1] = t[i];
    if (nm <= x1) {
      const [x0, y0] = t[i - 1];
      return y0 + ((y1 - y0) * (nm - x0)) / (x1 - x0);
    }
  }
  return t[t.length - 1][1];
}

/** Slant-path transmittance at an elevation. */
export function slantTransmittance(zenithT: number, elevationDeg: number): number {
  if (elevationDeg <= 0) return 0;
  return zenithT ** kastenYoungAirMass(elevationDeg);
}
