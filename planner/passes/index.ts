/**
 * Pass prediction, inter-satellite windows and tracking ephemeris (pure: runs in the browser too).
 * The worker-thread runner is in parallel-node.ts (Node only).
 */
export { predictPasses, passesForSatellite, makePassContext, sortPasses, type PredictPassesInput, type PassContext } from './predict.ts';
export { DEFAULT_SUN_MAX_ELEVATION_DEG, type PassConstraints } from './constraints.ts';
export { lookAt } from './look-at.ts';
export { trackingEphemeris, DEFAULT_TRACK_RATE_HZ, SPEED_OF_LIGHT_KM_S, type TrackingOptions } from './track.ts';
export { findInterSatelliteWindows, lineOfSightClearanceKm, type IslInput } from './isl.ts';
export { searchGeometricPasses, speedBoundKmS, coarseStepMs, type GeometricPass } from './geometric.ts';
export { makeEcefPropagator, temeAt, type EvalCounter } from './propagator.ts';
export { passRecord, passesCsv, passesIcs, islRecord, lookRecord, textTable, toCsv, type PassRecord } from './export.ts';
