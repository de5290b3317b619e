/**
 * The loss-profile CSV of `satqkd keyrate`: header `timeS,lossDb`, one row per equal time slot (timeS = slot
 * centre, seconds, strictly increasing and evenly spaced; lossDb = total loss from source to detection, ≥ 0).
 * Parsed from text (planner/ does no I/O) into a profile or errors naming the file and line.
 */
import type { ParseResult } from '../link/terminal-file.ts';
import type { TransmittanceProfile } from './profile.ts';

export interface LossProfile {
  timeS: number[];
  lossDb: number[];
  slotDurationS: number;
}

/** Relative tolerance on the slot spacing (CSV round-off of the time column). */
const SPACING_TOLERANCE = 1e-3;

export function parseLossProfileCsv(text: string, source: string): ParseResult<LossProfile> {
  const lines = text.split(/\r?\n/);
  const errors: string[] = [];
  const header = (lines[0] ?? '').trim().replace(/^\uFEFF/, '');
  if (header.replace(/\s+/g, '') !== 'timeS,lossDb') {
    return { ok: false, errors: [`${source}:1: header must be 'timeS,lossDb', got '${header}'`] };
  }
  const timeS: number[] = [];
  const lossDb: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const cells = line.split(',');
    const where = `${source}:${i + 1}`;
    if (cells.length !== 2) {
      errors.push(`${where}: expected 2 columns (timeS,lossDb), got ${cells.length}`);
      continue;
    }
    const t = Number(cells[0]);
    const l = Number(cells[1]);
    if (cells[0].trim() === '' || !Number.isFinite(t)) errors.push(`${where}: timeS is not a number: '${cells[0]}'`);
    if (cells[1].trim() === '' || !Number.isFinite(l) || l < 0) errors.push(`${where}: lossDb must be a number ≥ 0, got '${cells[1]}'`);
    else if (timeS.length > 0 && Number.isFinite(t) && t <= timeS[timeS.length - 1]) errors.push(`${where}: timeS must increase (${t} after ${timeS[timeS.length - 1]})`);
    if (errors.length > 20) break;
    timeS.push(t);
    lossDb.push(l);
  }
  if (errors.length) return { ok: false, errors };
  if (timeS.length === 0) return { ok: false, errors: [`${source}: no rows after the header`] };
  const slotDurationS = timeS.length > 1 ? timeS[1] - timeS[0] : 1;
  for (let i = 2; i < timeS.length; i++) {
    const d = timeS[i] - timeS[i - 1];
    if (Math.abs(d - slotDurationS) > SPACING_TOLERANCE * slotDurationS) {
      return { ok: false, errors: [`${source}:${i + 2}: rows must be evenly spaced (one per time slot): step ${d} s after ${slotDurationS} s`] };
    }
  }
  return { ok: true, value: { timeS, lossDb, slotDurationS } };
}

/** The profile the finite-key model integrates, with `excessLossDb` added to every slot. */
export function lossProfileToTransmittance(p: LossProfile, excessLossDb = 0): TransmittanceProfile {
  return {
    tS: Float64Array.from(p.timeS),
    transmittance: Float64Array.from(p.lossDb, (l) => 10 ** (-(l + excessLossDb) / 10)),
    slotDurationS: p.slotDurationS,
  };
}
