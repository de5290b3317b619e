/**
 * The backbone console: links with their key-pool levels over time, relay requests with their paths, keys served
 * per SAE. Polls the backbone API; each of the three sections degrades on its own when the server lacks it.
 */
import { cssColour, rampColour } from '../../../planner/czml/colour.ts';
import type { Api } from '../api.ts';
import { BackboneLinksSchema, BackboneRelaysSchema, BackboneSaesSchema, endpoints, type BackboneLinks } from '../api-types.ts';
import { BackbonePoolsSchema, BackboneRelaysArraySchema, BackboneUsageSchema } from '../adapters/backbone.ts';
import { clear, formatBits, h, unavailable } from '../dom.ts';
import { sparklinePoints } from '../station/sparkline.ts';
import { z } from 'zod';

export interface BackboneConsole {
  refresh(): Promise<void>;
  close(): void;
}

/** Fill fraction of a pool: against its capacity when known, else against the fullest pool shown. */
export function fillFraction(poolBits: number, capacityBits: number | undefined, fullestBits: number): number {
  const cap = capacityBits ?? fullestBits;
  return cap > 0 ? Math.min(1, poolBits / cap) : 0;
}

export function createBackboneConsole(
  root: HTMLElement,
  api: Api,
  opts: { pollMs: number; onLinks?: (links: BackboneLinks['links'], fraction: (l: BackboneLinks['links'][number]) => number) => void },
): BackboneConsole {
  const links = h('div', { 'data-testid': 'backbone-links' });
  const relays = h('div', { 'data-testid': 'backbone-relays' });
  const saes = h('div', { 'data-testid': 'backbone-saes' });
  root.append(h('h4', {}, 'Links and key pools'), links, h('h4', {}, 'Relay requests'), relays, h('h4', {}, 'Keys served per SAE'), saes);

  // A server that reports only the current pool level still gets a history: the page keeps what it polled.
  const polled = new Map<string, { t: string; poolBits: number }[]>();
  const remember = (id: string, poolBits: number) => {
    const h = polled.get(id) ?? [];
    h.push({ t: new Date().toISOString(), poolBits });
    if (h.length > 120) h.shift();
    polled.set(id, h);
    return h;
  };

  const linksSource = api.source<BackboneLinks>([
    { path: endpoints.backboneLinks, schema: BackboneLinksSchema },
    { path: endpoints.backbonePools, schema: BackbonePoolsSchema },
  ]);
  const relaysSource = api.source([{ path: endpoints.backboneRelays, schema: z.union([BackboneRelaysSchema, BackboneRelaysArraySchema]) }]);
  const saesSource = api.source([
    { path: endpoints.backboneSaes, schema: BackboneSaesSchema },
    { path: endpoints.backboneUsage, schema: BackboneUsageSchema },
  ]);
  let nextPollMs = opts.pollMs;

  async function refresh(): Promise<void> {
    const [l, r, s] = await Promise.all([linksSource(), relaysSource(), saesSource()]);
    // A server without a backbone is asked again only every minute (each 404 is a console error in the browser).
    nextPollMs = !l.ok && !r.ok && !s.ok ? Math.max(opts.pollMs, 60_000) : opts.pollMs;
    if (l.ok) for (const x of l.data.links) if (!x.history) x.history = remember(x.id, x.poolBits);
    clear(links);
    if (!l.ok) links.append(unavailable('Backbone links', l.reason));
    else {
      const fullest = l.data.links.reduce((m, x) => Math.max(m, x.poolBits, ...(x.history ?? []).map((p) => p.poolBits)), 0);
      const frac = (x: BackboneLinks['links'][number]) => fillFraction(x.poolBits, x.capacityBits, fullest);
      opts.onLinks?.(l.data.links, frac);
      links.append(
        h(
          'table',
          { className: 'grid' },
          h('tr', {}, ['Link', 'Pool', 'Level', 'History'].map((c) => h('th', {}, c))),
          l.data.links.map((x) => {
            const f = frac(x);
            const hist = (x.history ?? []).map((p) => p.poolBits);
            const svg = hist.length > 1 ? `<svg width="160" height="24"><polyline fill="none" points="${sparklinePoints(hist, 160, 24, 0)}"/></svg>` : '';
            const spark = h('td', { className: 'spark' });
            spark.innerHTML = svg;
            return h(
              'tr',
              { 'data-link-id': x.id },
              h('td', {}, `${x.a} – ${x.b}`),
              h('td', {}, formatBits(x.poolBits)),
              h('td', {}, h('div', { className: 'meter' }, h('div', { style: `width:${(f * 100).toFixed(1)}%;background:${cssColour(rampColour(f))}` }))),
              spark,
            );
          }),
        ),
      );
    }
    clear(relays);
    if (!r.ok) relays.append(unavailable('Relay requests', r.reason));
    else
      relays.append(
        h(
          'table',
          { className: 'grid' },
          h('tr', {}, ['Time', 'From → to', 'Path', 'Key', 'Status'].map((c) => h('th', {}, c))),
          r.data.relays.map((x) =>
            h(
              'tr',
              { 'data-relay-id': x.id },
              h('td', {}, x.t ? x.t.slice(11, 19) : '—'),
              h('td', {}, `${x.source} → ${x.destination}`),
              h('td', {}, (x.paths ?? (x.path ? [x.path] : [])).map((p) => p.join(' → ')).join(' | ') || '—'),
              h('td', {}, formatBits(x.bits)),
              h('td', {}, x.status ?? '—'),
            ),
          ),
        ),
      );
    clear(saes);
    if (!s.ok) saes.append(unavailable('SAE statistics', s.reason));
    else
      saes.append(
        h(
          'table',
          { className: 'grid' },
          h('tr', {}, ['SAE', 'KME', 'Keys', 'Bits'].map((c) => h('th', {}, c))),
          s.data.saes.map((x) => h('tr', { 'data-sae-id': x.saeId }, h('td', {}, x.saeId), h('td', {}, x.kmeId ?? '—'), h('td', {}, String(x.keysServed)), h('td', {}, formatBits(x.bitsServed)))),
        ),
      );
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const schedule = () => {
    if (!closed) timer = setTimeout(() => void refresh().finally(schedule), nextPollMs);
  };
  schedule();
  return {
    refresh,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
