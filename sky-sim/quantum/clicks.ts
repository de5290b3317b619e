/** A detector click inside the simulation, before the time tagger turns it into a `DetectionEvent`. */
export const enum ClickKind {
  Signal = 0,
  /** Dark count, background light or stray light: not caused by a pulse. */
  Extraneous = 1,
  Afterpulse = 2,
  Sync = 3,
}

export interface Click {
  /** True time of the detector's output edge, ps after the simulation epoch (jitter included once applied). */
  tPs: number;
  channel: number;
  /** The pulse that caused it, or −1. */
  pulseIndex: number;
  kind: ClickKind;
}
