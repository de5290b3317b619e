/**
 * Ground stations as CZML: a point, a label and the elevation mask as a translucent upward cone whose wall is
 * minElevationDeg above the local horizon; a satellite inside the cone is above the mask.
 */
import { geodeticToEcefM } from './geodesy.ts';
import { shortLabel, type CzmlPacket, type StationSite } from './types.ts';

export function stationPacketId(stationId: string): string {
  return `station/${stationId}`;
}

/** Cone height, metres: tall enough to read at globe scale, short enough not to hide the satellites above. */
export const DEFAULT_CONE_HEIGHT_M = 150_000;

export function stationPackets(site: StationSite, coneHeightM = DEFAULT_CONE_HEIGHT_M): CzmlPacket[] {
  if (!(site.minElevationDeg > 0 && site.minElevationDeg < 90)) {
    throw new RangeError(`station ${site.id}: minElevationDeg must be in (0, 90), got ${site.minElevationDeg}`);
  }
  const id = stationPacketId(site.id);
  const station: CzmlPacket = {
    id,
    name: site.name ?? site.id,
    properties: { kind: 'station', satqkdId: site.id },
    position: { cartesian: geodeticToEcefM(site.latDeg, site.lonDeg, site.heightM) },
    viewFrom: { cartesian: [0, -1_500_000, 1_500_000] },
    point: { pixelSize: 9, color: { rgba: [255, 200, 40, 255] }, outlineColor: { rgba: [0, 0, 0, 255] }, outlineWidth: 1 },
    label: {
      text: shortLabel(site.name ?? site.id),
      font: '13px sans-serif',
      pixelOffset: { cartesian2: [10, 8] },
      horizontalOrigin: 'LEFT',
      fillColor: { rgba: [255, 220, 120, 255] },
      showBackground: true,
      backgroundColor: { rgba: [0, 0, 0, 120] },
    },
  };
  // Cesium centres a cylinder on its position along the local up axis: the apex (bottomRadius 0) sits at the station
  // when the centre is half the height above it. Wall angle from the horizon = minElevation, so the top radius is
  // height / tan(minElevation).
  const topRadiusM = coneHeightM / Math.tan((site.minElevationDeg * Math.PI) / 180);
  const cone: CzmlPacket = {
    id: `${id}/mask`,
    name: `${site.name ?? site.id} elevation mask ${site.minElevationDeg}°`,
    parent: id,
    properties: { kind: 'station-mask', satqkdId: site.id },
    position: { cartesian: geodeticToEcefM(site.latDeg, site.lonDeg, site.heightM + coneHeightM / 2) },
    cylinder: {
      length: coneHeightM,
      topRadius: topRadiusM,
      bottomRadius: 0,
      material: { solidColor: { color: { rgba: [255, 200, 40, 40] } } },
      outline: true,
      outlineColor: { rgba: [255, 200, 40, 120] },
      numberOfVerticalLines: 8,
      slices: 32,
    },
  };
  return [station, cone];
}
