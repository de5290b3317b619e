/**
 * iCalendar (RFC 5545) for operators' calendars: one VEVENT per assignment. UIDs derive from the assignment id so
 * a re-plan updates events instead of duplicating them; DTSTAMP is the plan's start so the same plan gives the same
 * bytes. Lines are CRLF and folded at 75 octets; text values are escaped.
 */
import type { SchedulePlan } from './plan.ts';

function icsTime(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets (UTF-8), continuation lines starting with one space. */
export function foldLine(line: string): string {
  const enc = new TextEncoder();
  const parts: string[] = [];
  let cur = '';
  let curBytes = 0;
  for (const ch of line) {
    const n = enc.encode(ch).length;
    const limit = parts.length === 0 ? 75 : 74;
    if (curBytes + n > limit) {
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

export function formatIcs(plan: SchedulePlan): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//satqkd//scheduler//EN', 'CALSCALE:GREGORIAN', `X-WR-CALNAME:${escapeText(`satqkd ${plan.scenario}`)}`];
  const stamp = icsTime(plan.start);
  for (const a of plan.assignments) {
    const serves = a.serves.map((s) => `${s.from}–${s.to} ${Math.round(s.bits)} bits`).join(', ');
    const what = a.kind === 'ground' ? `QKD pass ${a.satellite} → ${a.station}${a.telescope ? ` (${a.telescope})` : ''}` : `Inter-satellite QKD ${a.satellite} ↔ ${a.station}`;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(a.id)}@satqkd`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${icsTime(a.start)}`,
      `DTEND:${icsTime(a.end)}`,
      `SUMMARY:${escapeText(what)}`,
      `DESCRIPTION:${escapeText(`Expected secret key ${Math.round(a.expectedSecretKeyBits)} bits (cloud-free probability ${a.cloudFreeProbability.toFixed(2)}). Serves: ${serves || 'none'}.`)}`,
      ...(a.kind === 'ground' ? [`LOCATION:${escapeText(a.station)}`] : []),
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
