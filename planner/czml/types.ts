/**
 * The subset of CZML (https://github.com/AnalyticalGraphicsInc/czml-writer/wiki/CZML-Structure) that satqkd emits,
 * and the planner-side inputs it is generated from. Positions in metres, Earth-fixed (ECEF / Cesium "FIXED"), times
 * as UtcMs until the packet is written, where they become ISO strings (or seconds from a packet epoch).
 */
import type { UtcMs, Interval } from '../time.ts';

/** RGBA, 0–255 per channel (CZML `rgba`). */
export type Rgba = [number, number, number, number];

export type CzmlPacket = { id: string; [property: string]: unknown };

/** A satellite's position history, sampled by the planner (see orbit-samples.ts). */
export interface SatelliteTrack {
  id: string;
  name?: string;
  /** Increasing times, each with an Earth-fixed position in metres. */
  samples: { tMs: UtcMs; positionEcefM: [number, number, number] }[];
}

/** A ground station as the mission view draws it. */
export interface StationSite {
  id: string;
  name?: string;
  latDeg: number;
  lonDeg: number;
  heightM: number;
  /** The elevation mask drawn as an upward cone whose wall sits this many degrees above the horizon. */
  minElevationDeg: number;
}

/** One pass drawn as a satellite–station link line while it is usable. */
export interface PassLink {
  id: string;
  satellite: string;
  station: string;
  aosMs: UtcMs;
  losMs: UtcMs;
  /** When absent the whole [aos, los) is drawn; otherwise only these windows. */
  usableWindows?: Interval[];
  expectedSecretKeyBits?: number;
}

/** One inter-satellite visibility window drawn as a link line. */
export interface IslLink {
  id: string;
  satelliteA: string;
  satelliteB: string;
  startMs: UtcMs;
  endMs: UtcMs;
}

export interface BackboneNodeSite {
  id: string;
  name?: string;
  latDeg: number;
  lonDeg: number;
}

/** A trusted-relay link; the pool level (0..1 of capacity) may change over time. */
export interface BackboneLinkLevels {
  id: string;
  a: string;
  b: string;
  /**
   * Pool fill fraction samples (0 empty … 1 full), increasing times. One sample draws a constant colour; none (a
   * topology file as it is) draws the link neutral until the page gets live levels from the backbone.
   */
  levels?: { tMs: UtcMs; fillFraction: number }[];
}

/**
 * The text drawn next to an entity on the globe: its name up to the first " (" or "," — "Graz Lustbühel
 * Observatory (IWF/ÖAW)" → "Graz Lustbühel Observatory", "QKDSAT-A1 (HYPOTHETICAL)" → "QKDSAT-A1". The full name
 * stays the entity's name (selection bar, Follow menu).
 */
export function shortLabel(name: string): string {
  const cut = name.search(/ \(|,/);
  return (cut > 0 ? name.slice(0, cut) : name).trim();
}
