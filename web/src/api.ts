/**
 * Fetching one section of the page: a network failure, a non-2xx status or a body that does not match its schema
 * becomes a value the view can show ("not offered by this server"), never an exception that breaks other sections.
 */
import type { z } from 'zod';

export type Section<T> = { ok: true; data: T } | { ok: false; reason: string; status?: number };

export class Api {
  /** @param base absolute or page-relative base URL ending in '/', e.g. './' or 'http://host:8080/'. */
  constructor(readonly base: string) {}

  url(path: string): string {
    return new URL(path, new URL(this.base, document.baseURI)).toString();
  }

  /**
   * A section a server may offer under one of several endpoints (the documented one, a module's own): the first
   * that answers 2xx with a body its schema accepts. The one that worked is remembered, so polling does not knock
   * on the others (each 404 is a console error in the browser) until it stops working.
   */
  source<T>(tries: { path: string; schema: z.ZodType<T, any> }[]): () => Promise<Section<T>> {
    let known: number | undefined;
    return async () => {
      if (known !== undefined) {
        const r = (await this.get(tries[known].path, tries[known].schema)) as Section<T>;
        if (r.ok) return r;
        known = undefined;
      }
      const reasons: string[] = [];
      for (let i = 0; i < tries.length; i++) {
        const r = (await this.get(tries[i].path, tries[i].schema)) as Section<T>;
        if (r.ok) {
          known = i;
          return r;
        }
        reasons.push(r.reason);
      }
      return { ok: false, reason: reasons.join('; ') };
    };
  }

  async get<S extends z.ZodType>(path: string, schema: S): Promise<Section<z.output<S>>> {
    let res: Response;
    try {
      res = await fetch(this.url(path), { headers: { accept: 'application/json' } });
    } catch (err) {
      return { ok: false, reason: `${path}: ${(err as Error).message}` };
    }
    if (!res.ok) return { ok: false, reason: `${path}: HTTP ${res.status}`, status: res.status };
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      return { ok: false, reason: `${path}: not JSON` };
    }
    return parseSection(path, schema, body);
  }

  /** POSTs an empty JSON object (the ground-station API validates command bodies as JSON). */
  async post(path: string): Promise<Section<unknown>> {
    try {
      const res = await fetch(this.url(path), { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: '{}' });
      const text = await res.text();
      if (!res.ok) return { ok: false, reason: `${path}: HTTP ${res.status} ${text.slice(0, 200)}`, status: res.status };
      return { ok: true, data: text ? safeJson(text) : null };
    } catch (err) {
      return { ok: false, reason: `${path}: ${(err as Error).message}` };
    }
  }
}

/** Validates a body; the reason names the first offending field path. */
export function parseSection<S extends z.ZodType>(path: string, schema: S, body: unknown): Section<z.infer<S>> {
  const r = schema.safeParse(body);
  if (r.success) return { ok: true, data: r.data };
  const issue = r.error.issues[0];
  const field = issue.path.length ? issue.path.join('.') : '(body)';
  return { ok: false, reason: `${path}: field ${field}: ${issue.message}` };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
