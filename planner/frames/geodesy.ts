/**
 * WGS84 geodesy: station positions and their local east-north-up frame in the Earth-fixed frame (km).
 * Elevations are measured from the plane normal to the ellipsoid (geodetic), as Skyfield's `wgs84` does.
 */
export const WGS84_A_KM = 6378.137;
export const WGS84_F = 1 / 298.257223563;
const E2 = WGS84_F * (2 - WGS84_F);
const DEG = Math.PI / 180;

/** A site fixed to the Earth: position and local unit vectors, all Earth-fixed (ITRS ≈ SGP4's pseudo-ECEF). */
export interface Site {
  latDeg: number;
  lonDeg: number;
  heightM: number;
  /** Position, km. */
  x: number;
  y: number;
  z: number;
  /** Up (ellipsoid normal), east and north unit vectors. */
  ux: number;
  uy: number;
  uz: number;
  ex: number;
  ey: number;
  ez: number;
  nx: number;
  ny: number;
  nz: number;
}

export function geodeticToEcefKm(latDeg: number, lonDeg: number, heightM: number): [number, number, number] {
  const lat = latDeg * DEG;
  const lon = lonDeg * DEG;
  const s = Math.sin(lat);
  const c = Math.cos(lat);
  const n = WGS84_A_KM / Math.sqrt(1 - E2 * s * s);
  const h = heightM / 1000;
  return [(n + h) * c * Math.cos(lon), (n + h) * c * Math.sin(lon), (n * (1 - E2) + h) * s];
}

export function makeSite(latDeg: number, lonDeg: number, heightM: number): Site {
  const [x, y, z] = geodeticToEcefKm(latDeg, lonDeg, heightM);
  const lat = latDeg * DEG;
  const lon = lonDeg * DEG;
  const sl = Math.sin(lat);
  const cl = Math.cos(lat);
  const so = Math.sin(lon);
  const co = Math.cos(lon);
  return {
    latDeg,
    lonDeg,
    heightM,
    x,
    y,
    z,
    ux: cl * co,
    uy: cl * so,
    uz: sl,
    ex: -so,
    ey: co,
    ez: 0,
    nx: -sl * co,
    ny: -sl * so,
    nz: cl,
  };
}

/** Geodetic latitude/longitude/height of an Earth-fixed point (Bowring's iteration; sub-mm after 3 steps). */
export function ecefToGeodetic(x: number, y: number, z: number): { latDeg: number; lonDeg: number; heightKm: number } {
  const p = Math.hypot(x, y);
  const lon = Math.atan2(y, x);
  let lat = Math.atan2(z, p * (1 - E2));
  let h = 0;
  for (let i = 0; i < 5; i++) {
    const s = Math.sin(lat);
    const n = WGS84_A_KM / Math.sqrt(1 - E2 * s * s);
    h = p / Math.cos(lat) - n;
    lat = Math.atan2(z, p * (1 - (E2 * n) / (n + h)));
  }
  return { latDeg: lat / DEG, lonDeg: lon / DEG, heightKm: h };
}
