/**
 * The ground-station operator API as built (ground-station/api/router.ts, mounted per station at
 * /api/stations/:id) speaks its own JSON: `{ state: AutomationState, telemetry }`, pass summaries with `status` and
 * `keyBits`, SSE events named `state`, `telemetry` and `log`, times as `*Ms` numbers. These schemas read that format
 * and turn it into the page's (api-types.ts), so the console works against the real station and the documented
 * contract alike. Only the fields the console shows are read; the rest is ignored.
 */
import { z } from 'zod';
import { PassLogEntrySchema, StationStateSchema, type PassLog, type StationState, type Telemetry } from '../api-types.ts';

const azEl = z.object({ azDeg: z.number(), elDeg: z.number() });
const ms = z.number();
const isoOfMs = (t: number) => new Date(Math.round(t)).toISOString();

/** AutomationState (ground-station/automation/types.ts). */
export const GsAutomationStateSchema = z.object({
  phase: z.string(),
  reason: z.string().optional(),
  paused: z.boolean().optional(),
  pass: z.object({ id: z.string() }).nullable().optional(),
  abortReason: z.string().nullable().optional(),
});

/** Telemetry (ground-station/automation/driver.ts). */
export const GsTelemetrySchema = z.object({
  tMs: ms,
  phase: z.string(),
  passId: z.string().nullable().optional(),
  paused: z.boolean().optional(),
  achieved: azEl.optional(),
  commanded: azEl.optional(),
  ephemeris: azEl.optional(),
  mountErrorDeg: z.number().optional(),
  pointingErrorUrad: z.number().optional(),
  countRatesHz: z.array(z.number()).optional(),
  liveQber: z.number().nullable().optional(),
  detections: z.number().optional(),
});

export const GsStateResponseSchema = z.object({ state: GsAutomationStateSchema, telemetry: GsTelemetrySchema.nullable().optional() });

/** PassSummary (ground-station/automation/pass-log.ts). */
export const GsPassSummarySchema = z.object({
  passId: z.string(),
  satellite: z.string().optional(),
  aosMs: ms.optional(),
  losMs: ms.optional(),
  status: z.string(),
  reason: z.string().optional(),
  detections: z.number().optional(),
  keyBlocks: z.number().optional(),
  keyBits: z.number().optional(),
  qber: z.number().nullable().optional(),
  pointing: z.object({ rmsBeaconErrorUrad: z.number().optional(), rmsMountErrorDeg: z.number().optional() }).optional(),
});

export function phaseLabel(phase: string, paused?: boolean): string {
  return paused ? `${phase} (paused)` : phase;
}

export function telemetryFromGs(t: z.infer<typeof GsTelemetrySchema>): Telemetry {
  const pos = t.achieved ?? t.commanded;
  return {
    t: isoOfMs(t.tMs),
    state: phaseLabel(t.phase, t.paused),
    passId: t.passId ?? null,
    azDeg: pos?.azDeg,
    elDeg: pos?.elDeg,
    pointingErrorUrad: t.pointingErrorUrad ?? (t.mountErrorDeg !== undefined ? (t.mountErrorDeg * Math.PI * 1e6) / 180 : undefined),
    countRatesHz: t.countRatesHz,
    qber: t.liveQber ?? undefined,
    detections: t.detections,
  };
}

/** GET …/state in either format → the console's state. */
export const StationStateAnySchema = z.union([
  GsStateResponseSchema.transform((r): StationState => {
    const t = r.telemetry ? telemetryFromGs(r.telemetry) : undefined;
    return {
      id: '',
      state: phaseLabel(r.state.phase, r.state.paused),
      currentPassId: r.state.pass?.id ?? null,
      azDeg: t?.azDeg,
      elDeg: t?.elDeg,
      pointingErrorUrad: t?.pointingErrorUrad,
      reason: r.state.abortReason ?? r.state.reason,
    };
  }),
  StationStateSchema,
]);

/** GET …/passes in either format → the console's pass log. */
export const PassLogAnySchema = z.object({
  passes: z.array(
    z.union([
      GsPassSummarySchema.transform((s): PassLog['passes'][number] => ({
        passId: s.passId,
        satellite: s.satellite,
        start: s.aosMs !== undefined ? isoOfMs(s.aosMs) : undefined,
        end: s.losMs !== undefined ? isoOfMs(s.losMs) : undefined,
        outcome: s.status,
        reason: s.reason,
        report: { qber: s.qber ?? undefined, secretKeyBits: s.keyBits, detections: s.detections, rmsPointingErrorUrad: s.pointing?.rmsBeaconErrorUrad },
      })),
      PassLogEntrySchema,
    ]),
  ),
});

/**
 * One telemetry SSE/WebSocket message → the console's telemetry, or null. `event` is the SSE event name
 * ('message' for unnamed events and WebSocket frames).
 */
export function telemetryFromAny(event: string, data: unknown, parseOwn: (d: unknown) => Telemetry | null): Telemetry | null {
  if (event === 'telemetry') {
    const r = GsTelemetrySchema.safeParse(data);
    return r.success ? telemetryFromGs(r.data) : null;
  }
  if (event === 'state') {
    const r = GsAutomationStateSchema.extend({ sinceMs: ms }).safeParse(data);
    return r.success ? { t: isoOfMs(r.data.sinceMs), state: phaseLabel(r.data.phase, r.data.paused), passId: r.data.pass?.id ?? null, message: r.data.abortReason ?? r.data.reason } : null;
  }
  if (event === 'log') {
    const r = z.object({ tMs: ms, message: z.string() }).safeParse(data);
    return r.success ? { t: isoOfMs(r.data.tMs), message: r.data.message } : null;
  }
  return parseOwn(data);
}
