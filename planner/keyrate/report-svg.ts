/**
 * A pass report as a self-contained SVG: four stacked panels on one time axis — channel loss, detection rate
 * (log scale), QBER and accumulated secret key — with the transmission window shaded. Pure string building (runs
 * in the browser too); no fonts or scripts beyond system sans-serif.
 */
import type { PassSeries } from './pass-series.ts';

export interface ReportMeta {
  title: string;
  /** Lines printed under the title (e.g. the protocol and the expected key). */
  subtitle: string[];
  /** Label of the time axis, e.g. "seconds from TCA". */
  timeLabel: string;
}

const W = 900;
const PANEL_H = 150;
const LEFT = 80;
const RIGHT = 20;
const TOP = 84;
const GAP = 30;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** "Nice" tick values covering [lo, hi]. */
function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e3) return `${Number((v / 1e3).toPrecision(3))}k`;
  return `${Number(v.toPrecision(3))}`;
}

interface Panel {
  label: string;
  values: number[];
  log?: boolean;
  /** Start the axis at 0 (counts, rates, key); loss uses its own range. */
  zeroBased?: boolean;
  colour: string;
}

function panel(p: Panel, index: number, s: PassSeries, t0: number, t1: number): string {
  const y0 = TOP + index * (PANEL_H + GAP);
  const plotW = W - LEFT - RIGHT;
  const finite = p.values.map((v) => (p.log ? (v > 0 ? Math.log10(v) : Number.NaN) : v)).map((v) => (Number.isFinite(v) ? v : Number.NaN));
  const good = finite.filter((v) => !Number.isNaN(v));
  let lo = good.length ? Math.min(...good) : 0;
  let hi = good.length ? Math.max(...good) : 1;
  if (p.zeroBased) lo = Math.min(lo, 0);
  else if (!p.log) lo -= (hi - lo) * 0.05;
  if (hi - lo < 1e-12) hi = lo + 1;
  const pad = (hi - lo) * 0.05;
  if (!p.log) hi += pad;
  else {
    lo = Math.floor(lo);
    hi = Math.ceil(hi + 1e-9);
  }
  const x = (t: number): number => LEFT + ((t - t0) / (t1 - t0 || 1)) * plotW;
  const y = (v: number): number => y0 + PANEL_H - ((v - lo) / (hi - lo)) * PANEL_H;
  const parts: string[] = [];
  // Window shading.
  let start = -1;
  for (let i = 0; i <= s.tS.length; i++) {
    const inside = i < s.tS.length && s.inWindow[i];
    if (inside && start < 0) start = i;
    if (!inside && start >= 0) {
      parts.push(`<rect x="${x(s.tS[start]).toFixed(1)}" y="${y0}" width="${(x(s.tS[i - 1]) - x(s.tS[start])).toFixed(1)}" height="${PANEL_H}" fill="#e8f0ff"/>`);
      start = -1;
    }
  }
  parts.push(`<rect x="${LEFT}" y="${y0}" width="${plotW}" height="${PANEL_H}" fill="none" stroke="#888"/>`);
  const yt = p.log ? Array.from({ length: hi - lo + 1 }, (_, i) => lo + i) : ticks(lo, hi);
  for (const v of yt) {
    parts.push(`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11">${esc(p.log ? fmt(10 ** v) : fmt(v))}</text>`);
  }
  let d = '';
  let pen = false;
  finite.forEach((v, i) => {
    if (Number.isNaN(v)) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${x(s.tS[i]).toFixed(1)},${y(Math.min(hi, Math.max(lo, v))).toFixed(1)}`;
    pen = true;
  });
  parts.push(`<path d="${d}" fill="none" stroke="${p.colour}" stroke-width="1.6"/>`);
  parts.push(`<text x="${LEFT}" y="${y0 - 6}" font-size="13" font-weight="bold">${esc(p.label)}</text>`);
  return parts.join('\n');
}

export function renderPassReportSvg(s: PassSeries, meta: ReportMeta): string {
  const n = s.tS.length;
  const t0 = n ? s.tS[0] : 0;
  const t1 = n ? s.tS[n - 1] : 1;
  const panels: Panel[] = [
    { label: 'channel loss (dB)', values: s.lossDb, colour: '#b03030' },
    { label: 'detections (counts/s, log)', values: s.countRateHz, log: true, colour: '#2060b0' },
    { label: 'QBER (%)', values: s.qber.map((q) => q * 100), zeroBased: true, colour: '#c07000' },
    { label: 'accumulated secret key (bits)', values: s.accumulatedKeyBits, zeroBased: true, colour: '#208040' },
  ];
  const height = TOP + panels.length * (PANEL_H + GAP) + 30;
  const xAxisY = TOP + panels.length * (PANEL_H + GAP) - GAP;
  const plotW = W - LEFT - RIGHT;
  const xt = ticks(t0, t1, 8)
    .map((t) => {
      const x = LEFT + ((t - t0) / (t1 - t0 || 1)) * plotW;
      return `<text x="${x.toFixed(1)}" y="${xAxisY + 16}" text-anchor="middle" font-size="11">${fmt(t)}</text>`;
    })
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${LEFT}" y="24" font-size="16" font-weight="bold">${esc(meta.title)}</text>`,
    ...meta.subtitle.map((line, i) => `<text x="${LEFT}" y="${42 + i * 14}" font-size="11" fill="#444">${esc(line)}</text>`),
    ...panels.map((p, i) => panel(p, i, s, t0, t1)),
    xt,
    `<text x="${LEFT + plotW / 2}" y="${xAxisY + 32}" text-anchor="middle" font-size="12">${esc(meta.timeLabel)} (shaded: transmission window)</text>`,
    `</svg>`,
  ].join('\n') + '\n';
}
