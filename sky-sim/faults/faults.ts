/**
 * Faults on demand. Each fault is active on [startMs, startMs + durationMs) (a clock jump is an instant). They
 * come from a list (a test, a scenario file, the CLI) or from `randomFaults` with a seed. Validated with zod at
 * the boundary; `parseFaults` names the offending entry and field.
 */
import { z } from 'zod';
import type { UtcMs } from '../../planner/time.ts';
import { Rng } from '../random/prng.ts';

export const FAULT_KINDS = ['mount-stall', 'lost-track', 'cloud', 'detector-saturation', 'tagger-gap', 'clock-jump', 'link-drop'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mount-stall'), startMs: z.number(), durationMs: z.number().positive() }).strict(),
  /** The tracking camera loses the beacon (e.g. a software lock loss): fine pointing opens. */
  z.object({ kind: z.literal('lost-track'), startMs: z.number(), durationMs: z.number().positive() }).strict(),
  /** A cloud in the line of sight: the channel (and the beacon) attenuated to `transmittance`. */
  z.object({ kind: z.literal('cloud'), startMs: z.number(), durationMs: z.number().positive(), transmittance: z.number().min(0).max(1).default(0.01) }).strict(),
  /** Stray light on the detectors: an extra incident rate per detector. */
  z.object({ kind: z.literal('detector-saturation'), startMs: z.number(), durationMs: z.number().positive(), strayRateHz: z.number().positive().default(5e6), channels: z.array(z.number().int().min(0).max(3)).default([0, 1, 2, 3]) }).strict(),
  /** The time tagger records nothing (buffer overflow, USB stall). */
  z.object({ kind: z.literal('tagger-gap'), startMs: z.number(), durationMs: z.number().positive() }).strict(),
  /** The tagger's clock jumps by `jumpPs` (PLL relock, 10 MHz reference switch-over). */
  z.object({ kind: z.literal('clock-jump'), startMs: z.number(), jumpPs: z.number().refine((v) => v !== 0, 'jumpPs must not be 0') }).strict(),
  /** The whole optical link is lost (satellite's transmitter off, occultation). */
  z.object({ kind: z.literal('link-drop'), startMs: z.number(), durationMs: z.number().positive() }).strict(),
]);
export type Fault = z.infer<typeof faultSchema>;
export type FaultInput = z.input<typeof faultSchema>;

export type ParseFaultsResult = { ok: true; faults: Fault[] } | { ok: false; reason: string };

/** Parses a fault list; `source` names the file or flag in the error. */
export function parseFaults(input: unknown, source = 'faults'): ParseFaultsResult {
  const r = z.array(faultSchema).safeParse(input);
  if (r.success) return { ok: true, faults: r.data.slice().sort((a, b) => a.startMs - b.startMs) };
  const issue = r.error.issues[0];
  return { ok: false, reason: `${source}: ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}` };
}

export function faultEndMs(f: Fault): UtcMs {
  return f.kind === 'clock-jump' ? f.startMs : f.startMs + f.durationMs;
}

export function activeAt(f: Fault, tMs: UtcMs): boolean {
  return f.kind !== 'clock-jump' && tMs >= f.startMs && tMs < f.startMs + f.durationMs;
}

export interface RandomFaultSpec {
  seed: number;
  startMs: UtcMs;
  endMs: UtcMs;
  /** Mean number of faults per hour for each kind wanted (Poisson arrivals). */
  ratePerHour: Partial<Record<FaultKind, number>>;
  /** Mean duration (exponential), ms. */
  meanDurationMs: number;
}

/** Random faults: Poisson arrivals per kind, exponential durations, deterministic for the seed. */
export function randomFaults(spec: RandomFaultSpec): Fault[] {
  const out: Fault[] = [];
  const base = new Rng(spec.seed).fork('faults');
  for (const kind of FAULT_KINDS) {
    const rate = spec.ratePerHour[kind] ?? 0;
    if (!(rate > 0)) continue;
    const rng = base.fork(kind);
    const meanGapMs = 3_600_000 / rate;
    for (let t = spec.startMs + rng.exponential(meanGapMs); t < spec.endMs; t += rng.exponential(meanGapMs)) {
      const durationMs = Math.max(1, Math.round(rng.exponential(spec.meanDurationMs)));
      const startMs = Math.round(t);
      const f: FaultInput =
        kind === 'clock-jump'
          ? { kind, startMs, jumpPs: Math.round((rng.uniform() - 0.5) * 2e6) }
          : kind === 'cloud'
            ? { kind, startMs, durationMs, transmittance: 0.3 * rng.uniform() }
            : { kind, startMs, durationMs };
      out.push(faultSchema.parse(f));
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}
