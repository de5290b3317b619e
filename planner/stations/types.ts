/** Optical ground stations: where they are, what they can see, and the telescope properties later modules use. */

/** One vertex of an azimuth-dependent horizon: the lowest usable elevation at that azimuth. */
export interface HorizonPoint {
  azDeg: number;
  elDeg: number;
}

export interface Telescope {
  apertureM?: number;
  /** Maximum slew rate per axis, deg/s. */
  slewRateDegS?: number;
  /** Maximum acceleration per axis, deg/s². */
  slewAccelDegS2?: number;
  /** Mechanical elevation limits of the mount. */
  minElevationLimitDeg?: number;
  maxElevationLimitDeg?: number;
  /** Receiver field of view, full angle, µrad. */
  fieldOfViewUrad?: number;
  /** Optical transmittance of the receiver chain (0..1). */
  opticsTransmittance?: number;
  [extra: string]: unknown;
}

export interface Station {
  id: string;
  name: string;
  latDeg: number;
  lonDeg: number;
  /** WGS84 ellipsoidal height, metres. */
  heightM: number;
  /** Scalar elevation mask, degrees (default 10° in pass prediction when neither this nor a horizon mask is set). */
  minElevationDeg?: number;
  /** Azimuth-dependent mask, linear in azimuth between points, wrapping at 360°. Combined with minElevationDeg by max. */
  horizonMask?: HorizonPoint[];
  telescope?: Telescope;
  /** Free-text provenance of the coordinates (and whether the height is approximate). */
  source?: string;
  [extra: string]: unknown;
}
