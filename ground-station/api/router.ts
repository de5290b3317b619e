/**
 * The operator API of one station (express 5): read the plan, the state, the pass log and each pass's summary;
 * command abort, park, pause and resume; push a new plan; follow live telemetry as Server-Sent Events.
 * Every error is JSON `{ error: { message, field? } }` with a 4xx/5xx status; inputs are validated with zod.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Subscription } from 'rxjs';
import type { Pass } from '../../planner/types.ts';
import { parseIso, toIso } from '../../planner/time.ts';
import type { PassAutomation, Telemetry } from '../automation/driver.ts';
import { commandBodySchema, commandSchema, firstIssue, logQuerySchema, planBodySchema } from './schemas.ts';

export interface OperatorApiOptions {
  /** Live telemetry is sent at most this often per client (the loop runs at ≥ 10 Hz). */
  telemetryMinIntervalMs?: number;
  /** Wall-clock milliseconds for throttling (injected in tests). */
  wallNowMs?: () => number;
}

function fail(res: Response, status: number, message: string, field?: string): void {
  res.status(status).json({ error: field ? { message, field } : { message } });
}

/** Adds ISO copies of the *Ms instants, so operators can read responses without converting. */
function withIso<T extends object>(o: T): T & Record<string, unknown> {
  const out: Record<string, unknown> = { ...(o as Record<string, unknown>) };
  for (const [k, v] of Object.entries(o)) if (k.endsWith('Ms') && typeof v === 'number' && v > 1e11) out[`${k.slice(0, -2)}Utc`] = toIso(v);
  return out as T & Record<string, unknown>;
}

export function createOperatorApi(automation: PassAutomation, opts: OperatorApiOptions = {}): Router {
  const r = express.Router();
  const minIntervalMs = opts.telemetryMinIntervalMs ?? 100;
  const wallNow = opts.wallNowMs ?? (() => performance.now());
  r.use(express.json({ limit: '2mb' }));

  r.get('/plan', (_req, res) => {
    const plan = automation.plan();
    res.json({ passes: plan.passes.map((p) => withIso(p)), conflicts: plan.conflicts, finished: plan.finished });
  });

  r.put('/plan', async (req, res) => {
    const parsed = planBodySchema.safeParse(req.body);
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      return fail(res, 400, message, field);
    }
    const result = await automation.setPlan(parsed.data.passes as Pass[]);
    res.json({ changed: result.changed, added: result.added, removed: result.removed, conflicts: result.schedule.conflicts });
  });

  r.get('/state', (_req, res) => {
    res.json({ state: withIso(automation.state), telemetry: automation.latestTelemetry() });
  });

  r.get('/log', (req, res) => {
    const parsed = logQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      return fail(res, 400, message, field);
    }
    const since = parsed.data.since ? parseIso(parsed.data.since)! : -Infinity;
    const entries = automation.passLog(since);
    const limit = parsed.data.limit ?? 1000;
    res.json({ entries: entries.slice(-limit).map((e) => withIso(e)) });
  });

  r.get('/passes', (_req, res) => {
    res.json({ passes: automation.passSummaries().map((s) => withIso(s)) });
  });

  r.get('/passes/:passId', (req, res) => {
    const s = automation.passSummary(String(req.params.passId));
    if (!s) return fail(res, 404, `no pass '${req.params.passId}' has been flown or skipped at this station`, 'passId');
    res.json({ pass: withIso(s), log: automation.passLog().filter((e) => e.passId === s.passId).map((e) => withIso(e)) });
  });

  r.post('/commands/:command', async (req, res) => {
    const cmd = commandSchema.safeParse(req.params.command);
    if (!cmd.success) return fail(res, 404, `unknown command '${req.params.command}' (abort, park, pause, resume)`, 'command');
    const body = commandBodySchema.safeParse(req.body ?? {});
    if (!body.success) {
      const { field, message } = firstIssue(body.error);
      return fail(res, 400, message, field);
    }
    const state = await automation.command(cmd.data, body.data.note);
    res.status(202).json({ accepted: cmd.data, state: withIso(state) });
  });

  // Server-Sent Events: `state` on every change, `telemetry` throttled per client, `log` for each log entry.
  r.get('/telemetry', (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.flushHeaders();
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    let lastSent = -Infinity;
    const subs: Subscription[] = [
      automation.state$.subscribe((s) => send('state', withIso(s))),
      automation.telemetry$.subscribe((t: Telemetry) => {
        const now = wallNow();
        if (now - lastSent < minIntervalMs) return;
        lastSent = now;
        send('telemetry', t);
      }),
      automation.log$.subscribe((e) => send('log', withIso(e))),
    ];
    req.on('close', () => subs.forEach((s) => s.unsubscribe()));
  });

  r.use((req: Request, res: Response) => fail(res, 404, `no route ${req.method} ${req.path}`));
  // Bad JSON bodies and anything thrown: JSON, never an HTML page.
  r.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.type === 'entity.parse.failed') return fail(res, 400, `body is not valid JSON: ${err.message}`, '(body)');
    if (err.type === 'entity.too.large') return fail(res, 413, 'body too large');
    fail(res, err.status && err.status >= 400 && err.status < 600 ? err.status : 500, err.message);
  });
  return r;
}
