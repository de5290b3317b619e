/** Exports of the (filtered) plan: iCalendar (RFC 5545) for operators' calendars and CSV for spreadsheets. */
import type { ViewPass } from './passes.ts';

function icsTime(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** RFC 5545 TEXT escaping (backslash, semicolon, comma, newline). */
function icsText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets are folded with CRLF + space (RFC 5545 §3.1). */
function fold(line: string): string {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let cur = '';
  let curBytes = 0;
  for (const ch of line) {
    const n = new TextEncoder().encode(ch).length;
    if (curBytes + n > (parts.length ? 74 : 75)) {
      parts.push(cur);
      cur = '';
      curBytes = 0;
    }
    cur += ch;
    curBytes += n;
  }
  parts.push(cur);
  return parts.join('\r\n ');
}

/** @param stampMs DTSTAMP (when the export was made), injected for reproducible files. */
export function passesToIcs(passes: ViewPass[], stampMs: number): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//satqkd//plan//EN', 'CALSCALE:GREGORIAN'];
  for (const p of passes) {
    const key = p.expectedSecretKeyBits !== undefined ? `, expected key ${Math.round(p.expectedSecretKeyBits)} bits` : '';
    lines.push(
      'BEGIN:VEVENT',
      `UID:${icsText(p.id)}@satqkd`,
      `DTSTAMP:${icsTime(stampMs)}`,
      `DTSTART:${icsTime(p.aosMs)}`,
      `DTEND:${icsTime(p.losMs)}`,
      `SUMMARY:${icsText(`${p.satellite} over ${p.station}`)}`,
      `DESCRIPTION:${icsText(`max elevation ${p.maxElevationDeg.toFixed(1)}°, TCA ${p.tca}${key}`)}`,
      `LOCATION:${icsText(p.station)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}

function csvField(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_HEADER = ['id', 'satellite', 'station', 'aos', 'tca', 'los', 'maxElevationDeg', 'expectedSecretKeyBits', 'meanLossDb', 'usableSeconds'];

export function passesToCsv(passes: ViewPass[], usableSeconds: (p: ViewPass) => number): string {
  const rows = passes.map((p) =>
    [p.id, p.satellite, p.station, p.aos, p.tca, p.los, p.maxElevationDeg, p.expectedSecretKeyBits, p.meanLossDb, Math.round(usableSeconds(p))].map(csvField).join(','),
  );
  return [CSV_HEADER.join(','), ...rows].join('\r\n') + '\r\n';
}
