/**
 * The JSON the web page fetches, as zod schemas (the page's input boundary) and the types inferred from them.
 * docs/web.md is the prose version of this file. Servers are built concurrently by other modules, so every schema is
 * lenient where it can be: unknown fields are ignored, most fields are optional, and a section that fails to load
 * or parse is shown as "not offered" instead of breaking the page.
 * Times are ISO-8601 UTC strings on the wire (toIso of planner/time.ts).
 */
import { z } from 'zod';

const iso = z.string().refine((s) => Number.isFinite(Date.parse(s)), { message: 'not an ISO-8601 instant' });
const interval = z.object({ start: iso, end: iso });

// ------------------------------------------------------------------------------------------------ plan

export const ConstraintNameSchema = z.enum(['elevation', 'sun', 'moon', 'sunlit', 'weather']);

/** One sample of a pass profile: what the planner expects along the pass. */
export const ProfileSampleSchema = z.object({
  t: iso,
  elevationDeg: z.number(),
  azimuthDeg: z.number().optional(),
  rangeKm: z.number().optional(),
  lossDb: z.number().optional(),
});

const msToIso = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? new Date(Math.round(v)).toISOString() : v);

/**
 * A server that sends the planner's Pass as it is (aosMs/tcaMs/losMs numbers, usableWindows as startMs/endMs) is
 * read too: the numbers become the ISO strings of the contract.
 */
function fromPlannerPass(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const o = { ...(v as Record<string, unknown>) };
  for (const k of ['aos', 'tca', 'los'] as const) if (o[k] === undefined && typeof o[`${k}Ms`] === 'number') o[k] = msToIso(o[`${k}Ms`]);
  if (Array.isArray(o.usableWindows)) {
    o.usableWindows = o.usableWindows.map((w: unknown) => {
      const x = w as Record<string, unknown>;
      return x && x.start === undefined && typeof x.startMs === 'number' ? { start: msToIso(x.startMs), end: msToIso(x.endMs) } : w;
    });
  }
  return o;
}

export const PlanPassSchema = z.preprocess(fromPlannerPass, z.object({
  /** Stable id (`${satellite}@${station}@${aos ISO}`); derived from those when absent. */
  id: z.string().optional(),
  satellite: z.string(),
  station: z.string(),
  aos: iso,
  tca: iso,
  los: iso,
  maxElevationDeg: z.number(),
  expectedSecretKeyBits: z.number().nonnegative().optional(),
  meanLossDb: z.number().optional(),
  /** Sub-windows where every optical constraint holds; absent = the whole pass. */
  usableWindows: z.array(interval).optional(),
  /** Parts of the pass cut by a sky constraint, and which one (for "the constraints that cut it"). */
  cuts: z.array(interval.extend({ constraint: z.union([ConstraintNameSchema, z.string()]) })).optional(),
  profile: z.array(ProfileSampleSchema).optional(),
  /** Sun elevation at the station at TCA; the page computes it from the station's coordinates when absent. */
  sunElevationDegAtTca: z.number().optional(),
  /** Chosen by the scheduler (true), or a candidate it left out (false). */
  scheduled: z.boolean().optional(),
}));

export const StationSiteSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  latDeg: z.number().min(-90).max(90),
  lonDeg: z.number().min(-180).max(360),
  heightM: z.number().optional(),
  minElevationDeg: z.number().optional(),
});

export const PlanSchema = z.object({
  passes: z.array(PlanPassSchema),
  stations: z.array(StationSiteSchema).optional(),
  /** Display names of the satellites the passes refer to by id (NORAD number). */
  satellites: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
  start: iso.optional(),
  end: iso.optional(),
  generatedAt: iso.optional(),
});

// ------------------------------------------------------------------------------------------------ stations

export const StationListSchema = z.object({ stations: z.array(StationSiteSchema.partial({ latDeg: true, lonDeg: true })) });

export const StationStateSchema = z.object({
  id: z.string(),
  /** Automation state (idle, slewing, acquiring, tracking, keying, post-processing, parked, aborted, fault …). */
  state: z.string(),
  azDeg: z.number().optional(),
  elDeg: z.number().optional(),
  pointingErrorUrad: z.number().optional(),
  currentPassId: z.string().nullable().optional(),
  /** Why the station is in this state (the automation's transition reason). */
  reason: z.string().optional(),
  mount: z.object({ parked: z.boolean().optional(), slewing: z.boolean().optional(), fault: z.string().optional() }).optional(),
});

/** One message of GET /api/stations/:id/telemetry (WebSocket text frame, or SSE `data:` line). */
export const TelemetrySchema = z.object({
  t: iso,
  state: z.string().optional(),
  passId: z.string().nullable().optional(),
  azDeg: z.number().optional(),
  elDeg: z.number().optional(),
  /** Commanded minus measured pointing, µrad (or from the tracking camera). */
  pointingErrorUrad: z.number().optional(),
  /** Detector count rates, Hz, by channel (H, V, D, A …). */
  countRatesHz: z.array(z.number()).optional(),
  qber: z.number().min(0).max(1).optional(),
  siftedBits: z.number().optional(),
  /** Detections recorded so far in this pass. */
  detections: z.number().optional(),
  accumulatedKeyBits: z.number().optional(),
  message: z.string().optional(),
});

export const PostProcessingReportSchema = z.object({
  qber: z.number().optional(),
  siftedBits: z.number().optional(),
  reconciliationLeakedBits: z.number().optional(),
  secretKeyBits: z.number().optional(),
  finiteKeyBoundBits: z.number().optional(),
  epsilonSec: z.number().optional(),
  epsilonCor: z.number().optional(),
  protocol: z.string().optional(),
  detections: z.number().optional(),
  rmsPointingErrorUrad: z.number().optional(),
});

export const PassLogEntrySchema = z.object({
  passId: z.string(),
  satellite: z.string().optional(),
  start: iso.optional(),
  end: iso.optional(),
  outcome: z.string(),
  reason: z.string().optional(),
  report: PostProcessingReportSchema.optional(),
});

export const PassLogSchema = z.object({ passes: z.array(PassLogEntrySchema) });

// ------------------------------------------------------------------------------------------------ backbone

export const BackboneLinksSchema = z.object({
  nodes: z.array(z.object({ id: z.string(), name: z.string().optional(), latDeg: z.number().optional(), lonDeg: z.number().optional() })).optional(),
  links: z.array(
    z.object({
      id: z.string(),
      a: z.string(),
      b: z.string(),
      poolBits: z.number().nonnegative(),
      capacityBits: z.number().positive().optional(),
      history: z.array(z.object({ t: iso, poolBits: z.number().nonnegative() })).optional(),
    }),
  ),
});

export const BackboneRelaysSchema = z.object({
  relays: z.array(
    z.object({
      id: z.string(),
      t: iso.optional(),
      source: z.string(),
      destination: z.string(),
      /** Trusted nodes from source to destination. */
      path: z.array(z.string()).optional(),
      /** Several paths when the key was split into shares over disjoint paths. */
      paths: z.array(z.array(z.string())).optional(),
      bits: z.number().optional(),
      status: z.string().optional(),
    }),
  ),
});

export const BackboneSaesSchema = z.object({
  saes: z.array(z.object({ saeId: z.string(), kmeId: z.string().optional(), keysServed: z.number(), bitsServed: z.number().optional() })),
});

/** `npm start`'s mission clock (bin/mission/run.ts): the virtual time the passes are flown at, and its rate. */
export const MissionClockSchema = z.looseObject({ virtualNow: z.string(), speedUp: z.number().positive(), running: z.boolean().optional() });

export type PlanPass = z.infer<typeof PlanPassSchema>;
export type Plan = z.infer<typeof PlanSchema>;
export type StationSiteJson = z.infer<typeof StationSiteSchema>;
export type StationList = z.infer<typeof StationListSchema>;
export type StationState = z.infer<typeof StationStateSchema>;
export type Telemetry = z.infer<typeof TelemetrySchema>;
export type PassLog = z.infer<typeof PassLogSchema>;
export type BackboneLinks = z.infer<typeof BackboneLinksSchema>;
export type BackboneRelays = z.infer<typeof BackboneRelaysSchema>;
export type BackboneSaes = z.infer<typeof BackboneSaesSchema>;

/** The endpoints, relative to the API base. */
export const endpoints = {
  plan: 'api/plan',
  /** Offered by the running mission only; the view then follows its virtual clock. */
  missionClock: 'api/mission',
  czml: 'api/czml',
  stations: 'api/stations',
  stationState: (id: string) => `api/stations/${encodeURIComponent(id)}/state`,
  stationPassLog: (id: string) => `api/stations/${encodeURIComponent(id)}/passes`,
  stationTelemetry: (id: string) => `api/stations/${encodeURIComponent(id)}/telemetry`,
  /** The ground-station API's form; the page falls back to `api/stations/:id/<cmd>` on 404. */
  stationCommand: (id: string, cmd: 'abort' | 'park') => `api/stations/${encodeURIComponent(id)}/commands/${cmd}`,
  stationCommandShort: (id: string, cmd: 'abort' | 'park') => `api/stations/${encodeURIComponent(id)}/${cmd}`,
  backboneLinks: 'api/backbone/links',
  backboneRelays: 'api/backbone/relays',
  backboneSaes: 'api/backbone/saes',
  /** The backbone operator API's own endpoints (backbone/operator/api.ts), tried when the above are absent. */
  backbonePools: 'api/backbone/pools',
  backboneUsage: 'api/backbone/usage',
} as const;
