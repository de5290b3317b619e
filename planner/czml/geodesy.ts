/** WGS84 geodetic ↔ Earth-fixed Cartesian, the only geodesy the CZML writer needs (no Cesium dependency). */

const WGS84_A_M = 6_378_137;
const WGS84_F = 1 / 298.257223563;
const WGS84_E2 = WGS84_F * (2 - WGS84_F);

export function geodeticToEcefM(latDeg: number, lonDeg: number, heightM: number): [number, number, number] {
  const lat = (latDeg * Math.PI) / 180;
  const lon = (lonDeg * Math.PI) / 180;
  const sinLat = Math.sin(lat);
  // Prime-vertical radius of curvature.
  const n = WGS84_A_M / Math.sqrt(1 - WGS84_E2 * sinLat * sinLat);
  const cosLat = Math.cos(lat);
  return [(n + heightM) * cosLat * Math.cos(lon), (n + heightM) * cosLat * Math.sin(lon), (n * (1 - WGS84_E2) + heightM) * sinLat];
}
