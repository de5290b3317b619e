/**
 * CSV (RFC 4180): one table, one row per assignment then one per demand, told apart by the `record` column, so a
 * spreadsheet gets the passes and the per-pair balance from one file.
 */
import type { SchedulePlan } from './plan.ts';

const COLUMNS = ['record', 'satellite', 'station', 'telescope', 'start', 'end', 'expectedSecretKeyBits', 'usedKeyBits', 'cloudFreeProbability', 'serves', 'from', 'to', 'priority', 'demandBits', 'expectedBits', 'satisfaction', 'status', 'reason'] as const;

function cell(v: unknown): string {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatCsv(plan: SchedulePlan): string {
  const rows: Record<string, unknown>[] = [];
  for (const a of plan.assignments) {
    rows.push({
      record: a.kind === 'ground' ? 'assignment' : 'inter-satellite', satellite: a.satellite, station: a.station, telescope: a.telescope, start: a.start, end: a.end,
      expectedSecretKeyBits: Math.round(a.expectedSecretKeyBits), usedKeyBits: Math.round(a.usedKeyBits), cloudFreeProbability: a.cloudFreeProbability,
      serves: a.serves.map((s) => `${s.from}-${s.to}:${Math.round(s.bits)}`).join(' '),
    });
  }
  for (const d of plan.demands) {
    rows.push({ record: 'demand', from: d.from, to: d.to, priority: d.priority, demandBits: Math.round(d.demandBits), expectedBits: Math.round(d.expectedBits), satisfaction: d.satisfaction.toFixed(4), status: d.status, reason: d.reason });
  }
  return [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
