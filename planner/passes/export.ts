/** Pass and window exports for files and tools: JSON records, CSV and iCalendar (RFC 5545). Pure functions. */
import { toIso, type Interval } from '../time.ts';
import type { InterSatelliteWindow, LookSample, Pass } from '../types.ts';

export interface PassRecord {
  id: string;
  satellite: string;
  satelliteName?: string;
  station: string;
  aos: string;
  tca: string;
  los: string;
  maxElevationDeg: number;
  aosAzimuthDeg: number;
  tcaAzimuthDeg: number;
  losAzimuthDeg: number;
  rangeAtTcaKm: number;
  durationS: number;
  usableS: number;
  usableWindows: { start: string; end: string }[];
  sunlitAtTca: boolean;
  clippedStart: boolean;
  clippedEnd: boolean;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const windows = (ws: Interval[]) => ws.map((w) => ({ start: toIso(w.startMs), end: toIso(w.endMs) }));

export function passRecord(p: Pass, names?: ReadonlyMap<string, string>): PassRecord {
  return {
    id: p.id,
    satellite: p.satellite,
    ...(names?.get(p.satellite) ? { satelliteName: names.get(p.satellite)! } : {}),
    station: p.station,
    aos: toIso(p.aosMs),
    tca: toIso(p.tcaMs),
    los: toIso(p.losMs),
    maxElevationDeg: r3(p.maxElevationDeg),
    aosAzimuthDeg: r3(p.aosAzimuthDeg),
    tcaAzimuthDeg: r3(p.tcaAzimuthDeg),
    losAzimuthDeg: r3(p.losAzimuthDeg),
    rangeAtTcaKm: r3(p.rangeAtTcaKm),
    durationS: r3((p.losMs - p.aosMs) / 1000),
    usableS: r3(p.usableWindows.reduce((s, w) => s + w.endMs - w.startMs, 0) / 1000),
    usableWindows: windows(p.usableWindows),
    sunlitAtTca: p.sunlitAtTca,
    clippedStart: p.clippedStart,
    clippedEnd: p.clippedEnd,
  };
}

function csvCell(v: unknown): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

export function passesCsv(records: readonly PassRecord[]): string {
  const cols = ['satellite', 'satelliteName', 'station', 'aos', 'tca', 'los', 'maxElevationDeg', 'aosAzimuthDeg', 'tcaAzimuthDeg', 'losAzimuthDeg', 'rangeAtTcaKm', 'durationS', 'usableS', 'sunlitAtTca', 'clippedStart', 'clippedEnd'] as const;
  return toCsv(cols, records.map((r) => cols.map((c) => r[c] ?? '')));
}

const icsTime = (ms: number) => toIso(ms).replace(/[-:]/g, '').replace(/\.\d{3}/, '');
// RFC 5545 §3.3.11: backslash, semicolon and comma are escaped in TEXT.
const icsText = (s: string) => s.replace(/[\\;,]/g, (c) => '\\' + c).replace(/\n/g, '\\n');

/** iCalendar with one VEVENT per pass; DTSTAMP is the given instant so the output is reproducible. */
export function passesIcs(passes: readonly Pass[], stampMs: number, names?: ReadonlyMap<string, string>): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//satqkd//passes//EN', 'CALSCALE:GREGORIAN'];
  for (const p of passes) {
    const name = names?.get(p.satellite) ?? p.satellite;
    const usable = p.usableWindows.reduce((s, w) => s + w.endMs - w.startMs, 0) / 1000;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${icsText(p.id)}@satqkd`,
      `DTSTAMP:${icsTime(stampMs)}`,
      `DTSTART:${icsTime(p.aosMs)}`,
      `DTEND:${icsTime(p.losMs)}`,
      `SUMMARY:${icsText(`${name} (${p.satellite}) over ${p.station}, max ${p.maxElevationDeg.toFixed(1)}°`)}`,
      `DESCRIPTION:${icsText(`TCA ${toIso(p.tcaMs)}, range at TCA ${p.rangeAtTcaKm.toFixed(0)} km, usable ${usable.toFixed(0)} s`)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.join('\r\n') + '\r\n';
}

export function islRecord(w: InterSatelliteWindow) {
  return {
    id: w.id,
    satelliteA: w.satelliteA,
    satelliteB: w.satelliteB,
    start: toIso(w.startMs),
    end: toIso(w.endMs),
    durationS: r3((w.endMs - w.startMs) / 1000),
    minRangeKm: r3(w.minRangeKm),
    minRangeAt: toIso(w.minRangeMs),
    clippedStart: w.clippedStart,
    clippedEnd: w.clippedEnd,
  };
}

export function lookRecord(s: LookSample) {
  return { t: toIso(s.tMs), azDeg: Math.round(s.azDeg * 1e6) / 1e6, elDeg: Math.round(s.elDeg * 1e6) / 1e6, rangeKm: Math.round(s.rangeKm * 1e6) / 1e6, rangeRateKmS: Math.round(s.rangeRateKmS * 1e6) / 1e6 };
}

/** A fixed-width text table. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n') + '\n';
}
