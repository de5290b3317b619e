/**
 * The pass-details chart: elevation (left axis, degrees) and link loss (right axis, dB) against time, with the
 * constraint cuts shaded. Returns SVG markup from pure maths so it can be tested without a browser.
 */
import type { ViewPass } from './passes.ts';

export interface ChartSize {
  width: number;
  height: number;
}

const PAD = { left: 36, right: 40, top: 10, bottom: 22 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Polyline points "x,y x,y" for values on [lo, hi], time on [t0, t1]. */
export function polylinePoints(samples: { tMs: number; v: number }[], t0: number, t1: number, lo: number, hi: number, size: ChartSize): string {
  const w = size.width - PAD.left - PAD.right;
  const h = size.height - PAD.top - PAD.bottom;
  const span = hi - lo || 1;
  return samples
    .map((s) => {
      const x = PAD.left + ((s.tMs - t0) / (t1 - t0 || 1)) * w;
      const y = PAD.top + (1 - (s.v - lo) / span) * h;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

export function profileSvg(p: ViewPass, size: ChartSize = { width: 420, height: 180 }): string {
  const prof = (p.profile ?? []).map((s) => ({ tMs: Date.parse(s.t), el: s.elevationDeg, loss: s.lossDb }));
  const t0 = p.aosMs;
  const t1 = p.losMs;
  const w = size.width - PAD.left - PAD.right;
  const h = size.height - PAD.top - PAD.bottom;
  const xOf = (t: number) => PAD.left + ((t - t0) / (t1 - t0 || 1)) * w;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" class="profile" width="${size.width}" height="${size.height}" role="img" aria-label="elevation and loss profile">`];
  for (const c of p.cuts ?? []) {
    const a = xOf(Date.parse(c.start));
    const b = xOf(Date.parse(c.end));
    parts.push(`<rect class="cut" x="${a.toFixed(1)}" y="${PAD.top}" width="${Math.max(1, b - a).toFixed(1)}" height="${h}"><title>${esc(c.constraint)}</title></rect>`);
  }
  parts.push(`<rect class="frame" x="${PAD.left}" y="${PAD.top}" width="${w}" height="${h}" fill="none"/>`);
  const elMax = 90;
  if (prof.length > 1) {
    parts.push(`<polyline class="elevation" fill="none" points="${polylinePoints(prof.map((s) => ({ tMs: s.tMs, v: s.el })), t0, t1, 0, elMax, size)}"/>`);
    const losses = prof.filter((s) => s.loss !== undefined && Number.isFinite(s.loss)) as { tMs: number; loss: number }[];
    if (losses.length > 1) {
      const lo = Math.floor(Math.min(...losses.map((s) => s.loss)) / 5) * 5;
      const hi = Math.ceil(Math.max(...losses.map((s) => s.loss)) / 5) * 5 || lo + 5;
      parts.push(`<polyline class="loss" fill="none" points="${polylinePoints(losses.map((s) => ({ tMs: s.tMs, v: s.loss })), t0, t1, lo, hi, size)}"/>`);
      parts.push(`<text class="axis loss" x="${size.width - PAD.right + 4}" y="${PAD.top + 10}">${hi} dB</text>`);
      parts.push(`<text class="axis loss" x="${size.width - PAD.right + 4}" y="${PAD.top + h}">${lo} dB</text>`);
    }
  } else {
    parts.push(`<text class="axis" x="${PAD.left + 8}" y="${PAD.top + h / 2}">no profile in the plan</text>`);
  }
  parts.push(`<text class="axis elevation" x="2" y="${PAD.top + 10}">${elMax}°</text>`, `<text class="axis elevation" x="2" y="${PAD.top + h}">0°</text>`);
  parts.push(
    `<text class="axis" x="${PAD.left}" y="${size.height - 6}">${esc(p.aos.slice(11, 19))}</text>`,
    `<text class="axis" x="${size.width - PAD.right}" y="${size.height - 6}" text-anchor="end">${esc(p.los.slice(11, 19))}</text>`,
  );
  parts.push('</svg>');
  return parts.join('');
}
