/**
 * The ground-station console: automation state, az/el and pointing error, count rates, live QBER and accumulated
 * key (telemetry stream), the pass log with post-processing reports, abort and park.
 */
import type { Api } from '../api.ts';
import { endpoints, type StationState, type Telemetry } from '../api-types.ts';
import { PassLogAnySchema, StationStateAnySchema } from '../adapters/station.ts';
import { clear, formatBits, formatNumber, h, unavailable } from '../dom.ts';
import { Rolling, sparklinePoints } from './sparkline.ts';
import { openTelemetry, type TelemetryStream, type Transport } from './telemetry.ts';

export interface StationConsole {
  show(stationId: string): Promise<void>;
  close(): void;
}

const CHANNELS = ['H', 'V', 'D', 'A'];
/** States after which a new pass report exists (the page's contract: done; the ground-station API: storing → idle). */
const PASS_ENDED = /^(done|post-processed|idle|storing)\b/;

function stateAsTelemetry(s: StationState): Partial<Telemetry> {
  return { state: s.state, passId: s.currentPassId ?? null, azDeg: s.azDeg, elDeg: s.elDeg, pointingErrorUrad: s.pointingErrorUrad, message: s.reason };
}

export function createStationConsole(root: HTMLElement, api: Api, stationIds: string[], transport: Transport = 'sse'): StationConsole {
  let stream: TelemetryStream | undefined;
  let current: string | undefined;
  let lastState: string | undefined;
  const picker = h(
    'select',
    { name: 'consoleStation', onchange: (e: Event) => void self.show((e.target as HTMLSelectElement).value) },
    stationIds.map((id) => h('option', { value: id }, id)),
  );
  const link = h('span', { className: 'link-status', 'data-testid': 'telemetry-status' }, '—');
  const field = (name: string) => h('td', { 'data-field': name }, '—');
  const f = {
    state: field('state'),
    passId: field('passId'),
    azEl: field('azEl'),
    pointingError: field('pointingError'),
    countRates: field('countRates'),
    qber: field('qber'),
    sifted: field('sifted'),
    detections: field('detections'),
    key: field('key'),
    message: field('message'),
    updated: field('updated'),
  };
  const qberHist = new Rolling(120);
  const keyHist = new Rolling(120);
  const qberLine = h('div', { className: 'spark', title: 'QBER, last 120 updates (0–11 %)' });
  const keyLine = h('div', { className: 'spark', title: 'accumulated key, last 120 updates' });
  const message = h('p', { className: 'command-result', 'data-testid': 'command-result' });
  const passLog = h('div', { className: 'pass-log', 'data-testid': 'pass-log' });
  const command = (cmd: 'abort' | 'park') => async (e: Event) => {
    if (!current) return;
    // An abort ends the pass and its key exchange: ask once. Park is harmless when idle and needed when not.
    if (cmd === 'abort' && !window.confirm(`Abort the current pass at ${current}? The key exchange stops; records are kept.`)) return;
    const btn = e.target as HTMLButtonElement;
    btn.disabled = true;
    let r = await api.post(endpoints.stationCommand(current, cmd));
    if (!r.ok && (r.status === 404 || r.status === 405)) r = await api.post(endpoints.stationCommandShort(current, cmd));
    btn.disabled = false;
    message.textContent = r.ok ? `${cmd} accepted` : `${cmd} failed: ${r.reason}`;
    message.className = `command-result ${r.ok ? 'ok' : 'error'}`;
  };
  const row = (k: string, td: HTMLElement) => h('tr', {}, h('th', {}, k), td);
  root.append(
    h('div', { className: 'toolbar' }, h('label', {}, 'Station ', picker), h('span', {}, 'telemetry: ', link)),
    h(
      'table',
      { className: 'kv live', 'data-testid': 'station-live' },
      row('Automation state', f.state),
      row('Pass', f.passId),
      row('Az / El', f.azEl),
      row('Pointing error', f.pointingError),
      row('Count rates', f.countRates),
      row('QBER', f.qber),
      row('Sifted', f.sifted),
      row('Detections', f.detections),
      row('Accumulated key', f.key),
      row('Last event', f.message),
      row('Updated', f.updated),
    ),
    h('div', { className: 'sparks' }, h('span', {}, 'QBER'), qberLine, h('span', {}, 'key'), keyLine),
    h(
      'div',
      { className: 'toolbar' },
      h('button', { type: 'button', className: 'danger', 'data-command': 'abort', onclick: command('abort') }, 'Abort pass'),
      h('button', { type: 'button', 'data-command': 'park', onclick: command('park') }, 'Park mount'),
      message,
    ),
    h('h4', {}, 'Pass log'),
    passLog,
  );

  function apply(t: Partial<Telemetry>): void {
    if (t.state !== undefined) {
      f.state.textContent = t.state;
      f.state.dataset.state = t.state;
    }
    if (t.passId !== undefined) f.passId.textContent = t.passId ?? '—';
    if (t.azDeg !== undefined || t.elDeg !== undefined) f.azEl.textContent = `${formatNumber(t.azDeg, 2, '°')} / ${formatNumber(t.elDeg, 2, '°')}`;
    if (t.pointingErrorUrad !== undefined) f.pointingError.textContent = formatNumber(t.pointingErrorUrad, 1, ' µrad');
    if (t.countRatesHz) f.countRates.textContent = t.countRatesHz.map((r, i) => `${CHANNELS[i] ?? i} ${formatRate(r)}`).join('  ');
    if (t.qber !== undefined) {
      f.qber.textContent = formatNumber(t.qber * 100, 2, ' %');
      qberHist.push(t.qber);
      qberLine.innerHTML = svgLine(sparklinePoints(qberHist.values, 200, 30, 0, 0.11));
    }
    if (t.siftedBits !== undefined) f.sifted.textContent = formatBits(t.siftedBits);
    if (t.detections !== undefined) f.detections.textContent = String(t.detections);
    if (t.message !== undefined) f.message.textContent = t.message;
    if (t.accumulatedKeyBits !== undefined) {
      f.key.textContent = formatBits(t.accumulatedKeyBits);
      f.key.dataset.bits = String(t.accumulatedKeyBits);
      keyHist.push(t.accumulatedKeyBits);
      keyLine.innerHTML = svgLine(sparklinePoints(keyHist.values, 200, 30, 0));
    }
    if (t.t) f.updated.textContent = `${t.t.slice(11, 19)} UTC`;
  }

  async function loadPassLog(id: string): Promise<void> {
    const r = await api.get(endpoints.stationPassLog(id), PassLogAnySchema);
    clear(passLog);
    if (!r.ok) {
      passLog.append(unavailable('Pass log', r.reason));
      return;
    }
    if (r.data.passes.length === 0) {
      passLog.append(h('p', {}, 'No pass flown yet.'));
      return;
    }
    passLog.append(
      h(
        'table',
        { className: 'grid' },
        h('tr', {}, ['Pass', 'Outcome', 'QBER', 'Sifted', 'Secret key', 'EC leak', 'ε_sec', 'Pointing rms'].map((c) => h('th', {}, c))),
        r.data.passes.map((p) =>
          h(
            'tr',
            { 'data-pass-id': p.passId },
            h('td', {}, p.passId),
            h('td', { title: p.reason ?? '' }, p.outcome),
            h('td', {}, formatNumber(p.report?.qber !== undefined ? p.report.qber * 100 : undefined, 2, ' %')),
            h('td', {}, formatBits(p.report?.siftedBits)),
            h('td', {}, formatBits(p.report?.secretKeyBits ?? p.report?.finiteKeyBoundBits)),
            h('td', {}, formatBits(p.report?.reconciliationLeakedBits)),
            h('td', {}, p.report?.epsilonSec !== undefined ? p.report.epsilonSec.toExponential(0) : '—'),
            h('td', {}, formatNumber(p.report?.rmsPointingErrorUrad, 1, ' µrad')),
          ),
        ),
      ),
    );
  }

  const self: StationConsole = {
    async show(id) {
      stream?.close();
      current = id;
      lastState = undefined;
      picker.value = id;
      for (const td of Object.values(f)) td.textContent = '—';
      qberHist.values.length = 0;
      keyHist.values.length = 0;
      const st = await api.get(endpoints.stationState(id), StationStateAnySchema);
      if (st.ok) apply(stateAsTelemetry(st.data));
      else f.state.textContent = `unknown (${st.reason})`;
      stream = openTelemetry(api.url(endpoints.stationTelemetry(id)), {
        onMessage: (t) => {
          apply(t);
          // A pass that just ended has a new report.
          // Reload on the edge into an ended state only: telemetry repeats the state many times a second.
          if (t.state && t.state !== lastState && PASS_ENDED.test(t.state)) void loadPassLog(id);
          if (t.state) lastState = t.state;
        },
        onStatus: (s) => {
          link.textContent = s;
        },
      }, transport);
      await loadPassLog(id);
    },
    close() {
      stream?.close();
    },
  };
  return self;
}

function formatRate(hz: number): string {
  return hz >= 1e6 ? `${(hz / 1e6).toFixed(2)} MHz` : hz >= 1e3 ? `${(hz / 1e3).toFixed(1)} kHz` : `${Math.round(hz)} Hz`;
}

function svgLine(points: string): string {
  return `<svg width="200" height="30" viewBox="0 0 200 30"><polyline fill="none" points="${points}"/></svg>`;
}
