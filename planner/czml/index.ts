/**
 * planner/czml: pure CZML generation for the mission view. `missionCzmlFromPlanner` turns planner objects into the
 * document a server returns from GET /api/czml; `missionCzml` assembles it from tracks and sites; the per-kind
 * writers are exported for callers that stream parts.
 */
export * from './types.ts';
export { missionCzml, type MissionCzmlInput } from './mission.ts';
export { missionCzmlFromPlanner, trackFromCatalog, type PlannerCzmlInput } from './from-planner.ts';
export { documentPacket, type DocumentOptions } from './document.ts';
export { satellitePacket, satellitePacketId, type SatelliteStyle } from './satellites.ts';
export { stationPackets, stationPacketId, DEFAULT_CONE_HEIGHT_M } from './stations.ts';
export { passLinkPacket, islLinkPacket } from './links.ts';
export { backbonePackets, backboneNodePacketId } from './backbone.ts';
export { keyColour, rampColour, cssColour } from './colour.ts';
export { geodeticToEcefM } from './geodesy.ts';
export { sampleTleTrack, type OrbitSampleOptions, type TrackResult } from './orbit-samples.ts';
