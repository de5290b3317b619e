/**
 * The time tagger's clock against the satellite's (the simulation's reference): a reading that starts at
 * `offsetPs` when the tagger is started, runs fast or slow by `driftPpb`, jumps at clock-jump faults, and is
 * quantised to the tag resolution. Gaps (tagger-gap faults, before start, after stop) record nothing.
 * Post-processing has to recover offset, drift and jumps from the sync pulses and the detections themselves,
 * as it would on a real link; `toTaggerPs` is the ground truth for its tests.
 */
export interface ClockJump {
  atPs: number;
  jumpPs: number;
}

export class TaggerClock {
  private startPs: number | null = null;
  private stopPs = Infinity;
  private readonly jumps: ClockJump[];
  private readonly gaps: [number, number][];

  constructor(
    private readonly p: { offsetPs: number; driftPpb: number; resolutionPs: number },
    jumps: ClockJump[],
    gaps: [number, number][],
  ) {
    this.jumps = jumps.slice().sort((a, b) => a.atPs - b.atPs);
    this.gaps = gaps.slice().sort((a, b) => a[0] - b[0]);
  }

  start(atPs: number): void {
    if (this.startPs === null) this.startPs = atPs;
    this.stopPs = Infinity;
  }

  stop(atPs: number): void {
    this.stopPs = atPs;
  }

  get started(): boolean {
    return this.startPs !== null;
  }

  /** Whether a click at true time tPs is recorded. */
  records(tPs: number): boolean {
    if (this.startPs === null || tPs < this.startPs || tPs >= this.stopPs) return false;
    for (const [a, b] of this.gaps) {
      if (tPs < a) break;
      if (tPs < b) return false;
    }
    return true;
  }

  /** When the tagger was started, ps after the simulation epoch (what a hardware tagger time-stamps against its PPS reference), or null. */
  get startedAtPs(): number | null {
    return this.startPs;
  }

  /**
   * The common case in one step, for the release loop: null when gaps, jumps or a resolution other than 1 ps
   * need the general path; else [startPs, rate, offsetPs, stopPs] with reading = round((t − start)·rate + offset).
   */
  simpleTransform(): { startPs: number; rate: number; offsetPs: number; stopPs: number } | null {
    if (this.startPs === null || this.gaps.length || this.jumps.length || this.p.resolutionPs !== 1) return null;
    return { startPs: this.startPs, rate: 1 + this.p.driftPpb * 1e-9, offsetPs: this.p.offsetPs, stopPs: this.stopPs };
  }

  /** The tagger's reading for true time tPs (ps after the simulation epoch). */
  toTaggerPs(tPs: number): number {
    const start = this.startPs ?? 0;
    let jump = 0;
    for (const j of this.jumps) {
      if (j.atPs > tPs) break;
      jump += j.jumpPs;
    }
    const raw = (tPs - start) * (1 + this.p.driftPpb * 1e-9) + this.p.offsetPs + jump;
    const r = this.p.resolutionPs;
    return r === 1 ? Math.round(raw) : Math.round(raw / r) * r;
  }
}
