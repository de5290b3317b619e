/**
 * Earth's shadow on a satellite: conical umbra and penumbra of a spherical Earth (mean radius 6371 km plus a
 * ~20 km grazing atmosphere that blocks the Sun's disc in practice). "Sunlit" means outside the umbra, so a
 * satellite in penumbra still counts as lit (its beacon or retro-reflector can still be seen in part).
 */
const SUN_RADIUS_KM = 695_700;
const EARTH_SHADOW_RADIUS_KM = 6371 + 20;

export type Illumination = 'sunlit' | 'penumbra' | 'umbra';

export function illumination(sat: readonly [number, number, number] | { x: number; y: number; z: number }, sunKm: readonly [number, number, number]): Illumination {
  const [x, y, z] = Array.isArray(sat) ? (sat as [number, number, number]) : [(sat as { x: number }).x, (sat as { y: number }).y, (sat as { z: number }).z];
  const sd = Math.hypot(sunKm[0], sunKm[1], sunKm[2]);
  const ux = sunKm[0] / sd;
  const uy = sunKm[1] / sd;
  const uz = sunKm[2] / sd;
  // Distance of the satellite behind the Earth along the anti-Sun axis, and from that axis.
  const along = -(x * ux + y * uy + z * uz);
  if (along <= 0) return 'sunlit';
  const px = x + along * ux;
  const py = y + along * uy;
  const pz = z + along * uz;
  const off = Math.hypot(px, py, pz);
  const umbraHalf = Math.asin((SUN_RADIUS_KM - EARTH_SHADOW_RADIUS_KM) / sd);
  const penHalf = Math.asin((SUN_RADIUS_KM + EARTH_SHADOW_RADIUS_KM) / sd);
  const umbraR = EARTH_SHADOW_RADIUS_KM - along * Math.tan(umbraHalf);
  const penR = EARTH_SHADOW_RADIUS_KM + along * Math.tan(penHalf);
  if (off < umbraR) return 'umbra';
  if (off < penR) return 'penumbra';
  return 'sunlit';
}
