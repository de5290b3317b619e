/**
 * The plan panel: filters, a Gantt per station, and the details of a clicked pass (profile, expected key, the
 * constraints that cut it). Exports the filtered plan as ICS or CSV. It never fetches: main.ts hands it the plan.
 */
import { cssColour, keyColour } from '../../../planner/czml/colour.ts';
import type { Plan } from '../api-types.ts';
import { clear, download, formatBits, formatNumber, h } from '../dom.ts';
import { passesToCsv, passesToIcs } from './export.ts';
import { ganttLayout } from './gantt.ts';
import { filterPasses, toViewPasses, usableSeconds, type PassFilter, type ViewPass } from './passes.ts';
import { profileSvg } from './profile-chart.ts';

/** Height of one lane of a Gantt row, px (a bar is 18 px). */
const LANE_PX = 20;

export interface PlanPanelHooks {
  /** The user asked to see the pass in 3D: move the clock to AOS and follow the satellite. */
  onShowPass(p: ViewPass): void;
  nowMs(): number;
}

export interface PlanPanel {
  readonly passes: ViewPass[];
  setTime(tMs: number): void;
  select(passId: string): void;
}

export function createPlanPanel(root: HTMLElement, plan: Plan, hooks: PlanPanelHooks): PlanPanel {
  const passes = toViewPasses(plan.passes, plan.stations);
  const span = {
    startMs: plan.start ? Date.parse(plan.start) : Math.min(...passes.map((p) => p.aosMs)),
    endMs: plan.end ? Date.parse(plan.end) : Math.max(...passes.map((p) => p.losMs)),
  };
  const stations = [...new Set([...(plan.stations ?? []).map((s) => s.id), ...passes.map((p) => p.station)])].sort();
  const satellites = [...new Set(passes.map((p) => p.satellite))].sort();
  const names = new Map((plan.satellites ?? []).map((s) => [s.id, s.name]));
  const satName = (id: string) => names.get(id) ?? id;
  const bestKeyBits = passes.reduce((m, p) => Math.max(m, p.expectedSecretKeyBits ?? 0), 0);
  const filter: PassFilter = {};
  let selectedId: string | undefined;

  const select = (label: string, name: keyof PassFilter, options: string[]) =>
    h(
      'label',
      {},
      `${label} `,
      h(
        'select',
        {
          name,
          onchange: (e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            (filter as Record<string, unknown>)[name] = v || undefined;
            render();
          },
        },
        h('option', { value: '' }, 'all'),
        options.map((o) => h('option', { value: o }, name === 'satellite' ? satName(o) : o)),
      ),
    );
  const nightOnly = h('input', {
    type: 'checkbox',
    name: 'nightOnly',
    onchange: (e: Event) => {
      filter.nightOnly = (e.target as HTMLInputElement).checked;
      render();
    },
  });
  const count = h('span', { className: 'count' });
  const toolbar = h(
    'div',
    { className: 'toolbar' },
    select('Station', 'station', stations),
    select('Satellite', 'satellite', satellites),
    h('label', { title: 'Sun below −12° at TCA' }, nightOnly, ' night only'),
    count,
    h('button', { type: 'button', 'data-export': 'ics', onclick: () => download('satqkd-plan.ics', 'text/calendar', passesToIcs(shown(), hooks.nowMs())) }, 'Export ICS'),
    h('button', { type: 'button', 'data-export': 'csv', onclick: () => download('satqkd-plan.csv', 'text/csv', passesToCsv(shown(), usableSeconds)) }, 'Export CSV'),
  );
  const gantt = h('div', { className: 'gantt', 'data-testid': 'gantt' });
  const cursor = h('div', { className: 'gantt-cursor' });
  const details = h('div', { className: 'pass-details', 'data-testid': 'pass-details' }, h('p', { className: 'hint' }, 'Click a pass for its profile, expected key and constraints.'));
  root.append(toolbar, gantt, details);

  const shown = () => filterPasses(passes, filter);

  function render(): void {
    const list = shown();
    count.textContent = `${list.length} of ${passes.length} passes`;
    const layout = ganttLayout(list, span, filter.station ? [filter.station] : stations);
    clear(gantt);
    const axis = h('div', { className: 'gantt-axis' }, layout.ticks.map((t) => h('span', { className: 'tick', style: `left:${(t.x * 100).toFixed(3)}%` }, t.label)));
    const rows = layout.rows.map((station, i) =>
      h(
        'div',
        { className: 'gantt-row', 'data-station': station, style: `height:${layout.lanes[i] * LANE_PX + 4}px` },
        h('span', { className: 'gantt-label' }, station),
        h(
          'div',
          { className: 'gantt-track' },
          layout.bars
            .filter((b) => b.row === i)
            .map((b) =>
              h(
                'button',
                {
                  type: 'button',
                  className: `gantt-bar${b.pass.id === selectedId ? ' selected' : ''}${b.pass.scheduled === false ? ' unscheduled' : ''}`,
                  'data-pass-id': b.pass.id,
                  title: `${satName(b.pass.satellite)} ${b.pass.aos.slice(0, 16)}Z, max ${b.pass.maxElevationDeg.toFixed(1)}°, key ${formatBits(b.pass.expectedSecretKeyBits)}`,
                  style: `top:${2 + b.lane * LANE_PX}px;left:${(b.x0 * 100).toFixed(3)}%;width:${((b.x1 - b.x0) * 100).toFixed(3)}%;background:${cssColour(keyColour(b.pass.expectedSecretKeyBits, bestKeyBits, 255))}`,
                  'aria-label': `${satName(b.pass.satellite)} over ${b.pass.station} at ${b.pass.aos}`,
                  onclick: () => showDetails(b.pass),
                },
              ),
            ),
        ),
      ),
    );
    gantt.append(axis, ...rows, cursor);
    setTime(hooks.nowMs());
  }

  function showDetails(p: ViewPass): void {
    selectedId = p.id;
    for (const el of gantt.querySelectorAll('.gantt-bar')) el.classList.toggle('selected', (el as HTMLElement).dataset.passId === p.id);
    clear(details);
    const dur = (p.losMs - p.aosMs) / 1000;
    const row = (k: string, v: string) => h('tr', {}, h('th', {}, k), h('td', {}, v));
    details.dataset.passId = p.id;
    details.append(
      h('h3', {}, `${satName(p.satellite)} over ${p.station}`),
      h(
        'table',
        { className: 'kv' },
        row('AOS / TCA / LOS', `${p.aos.slice(11, 19)} / ${p.tca.slice(11, 19)} / ${p.los.slice(11, 19)} UTC (${p.aos.slice(0, 10)})`),
        row('Duration', `${Math.floor(dur / 60)} min ${Math.round(dur % 60)} s, usable ${Math.round(usableSeconds(p))} s`),
        row('Max elevation', formatNumber(p.maxElevationDeg, 1, '°')),
        row('Expected secret key', formatBits(p.expectedSecretKeyBits)),
        row('Mean link loss', formatNumber(p.meanLossDb, 1, ' dB')),
        row('Sun at TCA', formatNumber(p.sunElDegAtTca, 1, '°')),
      ),
      h('div', { className: 'chart', 'data-testid': 'profile-chart' }),
      h('h4', {}, 'Constraints that cut it'),
      p.cuts && p.cuts.length
        ? h('ul', { className: 'cuts' }, p.cuts.map((c) => h('li', {}, `${c.constraint}: ${c.start.slice(11, 19)}–${c.end.slice(11, 19)} UTC`)))
        : h('p', {}, p.cuts ? 'none: usable from AOS to LOS' : 'not reported by the planner'),
      h('button', { type: 'button', onclick: () => hooks.onShowPass(p) }, 'Show in 3D'),
    );
    // The SVG is built from numbers and escaped text only (profile-chart.ts), so innerHTML is safe here.
    (details.querySelector('.chart') as HTMLElement).innerHTML = profileSvg(p);
  }

  function setTime(tMs: number): void {
    const f = (tMs - span.startMs) / (span.endMs - span.startMs);
    cursor.style.display = f >= 0 && f <= 1 ? '' : 'none';
    // The track starts after the station label column (CSS var --label-w).
    cursor.style.left = `calc(var(--label-w) + (100% - var(--label-w)) * ${f.toFixed(5)})`;
  }

  render();
  return {
    passes,
    setTime,
    select(passId) {
      const p = passes.find((x) => x.id === passId);
      if (p) showDetails(p);
    },
  };
}
