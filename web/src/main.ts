/**
 * The satqkd web page: the mission view on the left, the plan / station / backbone consoles on the right.
 * URL flags: `lite=1` (lean scene for tests and benches), `api=<base URL>` (servers elsewhere than the page),
 * `tab=plan|station|backbone`, `station=<id>`, `cesium=<base URL of the Cesium build>`, `fps=<cap>` (tests),
 * `telemetry=ws|sse` (transport tried first; default SSE), `globe=0` (consoles only, no Cesium).
 */
import './style.css';
import { cssColour, keyColour, rampColour } from '../../planner/czml/colour.ts';
import { Api } from './api.ts';
import { MissionClockSchema, PlanSchema, StationListSchema, endpoints, type Plan } from './api-types.ts';
import { createBackboneConsole } from './backbone/console.ts';
import { loadCesium } from './cesium.ts';
import { clear, h, unavailable } from './dom.ts';
import { createMissionView, type MissionView } from './mission/view.ts';
import { firstGlobeRender, measureFrames, type FrameMeasurement } from './mission/metrics.ts';
import { createPlanPanel, type PlanPanel } from './plan/panel.ts';
import { createStationConsole } from './station/console.ts';
import { z } from 'zod';

/** What tests and the benchmark read (never used by the page itself). */
export interface PageProbe {
  ready: boolean;
  error?: string;
  firstGlobeRenderMs?: number;
  entityCount: number;
  measureFrames(durationMs: number): Promise<FrameMeasurement>;
  mission?: MissionView;
  /** True when the page follows a running mission's clock (`api/mission`). */
  missionClock?: boolean;
}

declare global {
  interface Window {
    __satqkd: PageProbe;
  }
}

const params = new URLSearchParams(location.search);
const lite = params.get('lite') === '1';
/** `globe=0`: the consoles alone (an operator's small screen, or a machine without WebGL). */
const withGlobe = params.get('globe') !== '0';
const api = new Api(params.get('api') ?? './');
const probe: PageProbe = { ready: false, entityCount: 0, measureFrames: (ms) => measureFrames(ms, probe.mission?.viewer.scene) };
window.__satqkd = probe;

const TABS = ['plan', 'station', 'backbone'] as const;
type Tab = (typeof TABS)[number];

async function start(): Promise<void> {
  const app = document.getElementById('app')!;
  const globe = h('div', { id: 'globe', 'data-testid': 'globe' });
  const selection = h('div', { className: 'selection', 'data-testid': 'selection' });
  const follow = h('select', { name: 'follow', title: 'Follow a satellite or station' }, h('option', { value: '' }, 'free camera'));
  // Shown only when a running mission offers its clock: the globe then plays the passes as they are flown.
  const live = h('input', { type: 'checkbox', name: 'live', checked: true });
  const liveLabel = h('label', { title: "Follow the running mission's virtual clock", hidden: true }, live, ' mission clock');
  const panes = Object.fromEntries(TABS.map((t) => [t, h('section', { className: 'pane', 'data-pane': t })])) as Record<Tab, HTMLElement>;
  const tabButtons = TABS.map((t) => h('button', { type: 'button', className: 'tab', 'data-tab': t, onclick: () => showTab(t) }, t[0].toUpperCase() + t.slice(1)));
  if (withGlobe) app.append(h('div', { className: 'left' }, globe, h('div', { className: 'globe-bar' }, h('label', {}, 'Follow ', follow), liveLabel, selection)));
  else app.classList.add('no-globe');
  app.append(h('div', { className: 'right' }, h('nav', {}, tabButtons), ...Object.values(panes)));
  function showTab(t: Tab): void {
    for (const b of tabButtons) b.classList.toggle('active', b.dataset.tab === t);
    for (const [k, p] of Object.entries(panes)) p.hidden = k !== t;
  }
  const firstTab = params.get('tab');
  showTab(TABS.includes(firstTab as Tab) ? (firstTab as Tab) : 'plan');

  let plan: PlanPanel | undefined;
  const fps = Number(params.get('fps'));
  const startMission = async () => createMissionView(await loadCesium(params.get('cesium') ?? './cesium/'), globe, {
    lite,
    targetFrameRate: fps > 0 ? fps : undefined,
    onTick: (t) => plan?.setTime(t),
    onFollow: (id) => {
      follow.value = id && [...follow.options].some((o) => o.value === id) ? id : '';
    },
    onSelect: (kind, id, name) => {
      clear(selection);
      if (kind) selection.append(`${kind}: ${name ?? id}`);
      if (kind === 'pass' && id) plan?.select(id);
    },
  });
  const mission = withGlobe ? await startMission() : undefined;
  if (mission) {
    probe.mission = mission;
    void firstGlobeRender(mission.viewer.scene).then((t) => (probe.firstGlobeRenderMs = t));
    mission.viewer.scene.renderError.addEventListener((_s, err) => console.error('Cesium render error', err));
  }

  // The sections load independently; a missing one leaves a note, the rest works.
  const [czml, planRes, stationsRes] = await Promise.all([
    mission ? api.get(endpoints.czml, z.array(z.looseObject({ id: z.string() }))) : Promise.resolve({ ok: false as const, reason: 'globe off' }),
    api.get(endpoints.plan, PlanSchema),
    api.get(endpoints.stations, StationListSchema),
  ]);
  if (mission && czml.ok) {
    const ds = await mission.loadCzml(czml.data);
    probe.entityCount = ds.entities.values.length;
    for (const e of mission.followable()) follow.append(h('option', { value: e.id }, `${e.kind}: ${e.name}`));
    follow.addEventListener('change', () => mission.follow(follow.value || undefined));
  } else if (mission && !czml.ok) globe.append(unavailable('Mission CZML', czml.reason));

  const sites = (planRes.ok ? planRes.data.stations : undefined) ?? (stationsRes.ok ? stationsRes.data.stations.filter((s): s is typeof s & { latDeg: number; lonDeg: number } => s.latDeg !== undefined && s.lonDeg !== undefined) : []);
  mission?.setHome(sites);

  if (planRes.ok && planRes.data.passes.length > 0) {
    plan = createPlanPanel(panes.plan, planRes.data, {
      // Without the globe there is no simulation clock: the cursor shows the wall clock (this is the page's edge).
      nowMs: () => mission?.nowMs() ?? Date.now(),
      onShowPass: (p) => {
        live.checked = false; // looking at another time: stop following the mission clock
        mission?.focus(`sat/${p.satellite}`, p.aosMs);
      },
    });
    if (mission) highlightPasses(mission, planRes.data);
  } else panes.plan.append(planRes.ok ? h('p', {}, 'The plan has no passes.') : unavailable('Plan', planRes.reason));

  const stationIds = stationsRes.ok ? stationsRes.data.stations.map((s) => s.id) : [...new Set((planRes.ok ? planRes.data.passes : []).map((p) => p.station))];
  if (stationIds.length > 0) {
    const sc = createStationConsole(panes.station, api, stationIds, params.get('telemetry') === 'ws' ? 'ws' : 'sse');
    const wanted = params.get('station');
    await sc.show(wanted && stationIds.includes(wanted) ? wanted : stationIds[0]);
  } else panes.station.append(unavailable('Stations', stationsRes.ok ? 'empty list' : stationsRes.reason));

  const bb = createBackboneConsole(panes.backbone, api, {
    pollMs: 5000,
    onLinks: (links, fraction) => {
      // The CZML's pool colours are the planner's forecast; live levels from the backbone replace them.
      for (const l of links) mission?.setBackboneLinkColour(l.id, rampColour(fraction(l)));
    },
  });
  await bb.refresh();
  if (mission) await followMissionClock(mission, live, liveLabel);
  probe.ready = true;
}

/**
 * Under `npm start` the passes are flown on a virtual clock (speed-up × real time, idle stretches skipped): the
 * globe follows it while "mission clock" is ticked, re-syncing every few seconds when the two drift apart (a
 * skipped idle stretch, a CPU-bound stretch of post-processing). Servers without a mission clock leave the
 * Cesium clock to the CZML document.
 */
async function followMissionClock(mission: MissionView, live: HTMLInputElement, label: HTMLElement): Promise<void> {
  const sync = async (): Promise<boolean> => {
    const c = await api.get(endpoints.missionClock, MissionClockSchema);
    if (!c.ok) return false;
    const t = Date.parse(c.data.virtualNow);
    const rate = c.data.running === false ? 0 : c.data.speedUp; // a finished mission holds still at its end
    if (live.checked && Number.isFinite(t) && (Math.abs(mission.nowMs() - t) > 2000 * c.data.speedUp || mission.rate() !== rate)) mission.setClock(t, rate);
    return true;
  };
  if (!(await sync())) return;
  label.hidden = false;
  probe.missionClock = true;
  live.addEventListener('change', () => void sync());
  setInterval(() => void sync(), 5000);
}

function highlightPasses(mission: MissionView, plan: Plan): void {
  const best = plan.passes.reduce((m, p) => Math.max(m, p.expectedSecretKeyBits ?? 0), 0);
  for (const p of plan.passes) {
    mission.highlight([{ startMs: Date.parse(p.aos), endMs: Date.parse(p.los) }], cssColour(keyColour(p.expectedSecretKeyBits, best, 255)));
  }
}

start().catch((err: unknown) => {
  probe.error = (err as Error).message;
  console.error('satqkd page failed to start', err);
  document.getElementById('app')?.append(h('p', { className: 'fatal' }, `The page failed to start: ${(err as Error).message}`));
});
