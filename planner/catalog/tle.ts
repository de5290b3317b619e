/**
 * Two- and three-line element sets: column layout, checksum and catalogue-number checks, then satellite.js SGP4
 * initialisation. A bad set is reported with file, line and reason and skipped; the rest still loads.
 */
import { twoline2satrec } from 'satellite.js';
import { decodeAlpha5 } from './alpha5.ts';
import { tleChecksum } from './checksum.ts';
import type { CatalogEntry, Problem } from './types.ts';
import { sgp4ErrorReason } from './sgp4-errors.ts';

/** UTC epoch of a TLE from its year (2 digits, 57..99 → 19xx) and fractional day of year (1.0 = Jan 1 00:00). */
export function tleEpochMs(epochYear2: number, epochDay: number): number {
  const year = epochYear2 < 57 ? 2000 + epochYear2 : 1900 + epochYear2;
  return Date.UTC(year, 0, 1) + (epochDay - 1) * 86_400_000;
}

function checkLine(line: string, want: '1' | '2', file: string, lineNo: number): Problem | null {
  if (line.length < 69) return { file, line: lineNo, reason: `line ${want} is truncated: ${line.length} columns, a TLE line has 69` };
  if (line.length > 69 && line.slice(69).trim() !== '') return { file, line: lineNo, reason: `line ${want} is longer than 69 columns` };
  if (line[0] !== want || line[1] !== ' ') return { file, line: lineNo, reason: `expected line ${want} to start with '${want} '` };
  const stated = line[68]!;
  if (!/\d/.test(stated)) return { file, line: lineNo, field: 'checksum', reason: `checksum column 69 is '${stated}', not a digit` };
  const computed = tleChecksum(line);
  if (Number(stated) !== computed) return { file, line: lineNo, field: 'checksum', reason: `bad checksum: column 69 says ${stated}, the line sums to ${computed}` };
  return null;
}

/** Parses one TLE (lines already right-trimmed). `nameLine` is the 1-based line of line 1 minus one when a name precedes. */
export function parseTle(
  name: string | null,
  line1: string,
  line2: string,
  file: string,
  line1No: number,
): { entry: CatalogEntry } | { problem: Problem } {
  const p1 = checkLine(line1, '1', file, line1No);
  if (p1) return { problem: p1 };
  const p2 = checkLine(line2, '2', file, line1No + 1);
  if (p2) return { problem: p2 };
  const id1 = decodeAlpha5(line1.slice(2, 7));
  const id2 = decodeAlpha5(line2.slice(2, 7));
  if (id1 === null) return { problem: { file, line: line1No, field: 'catalogNumber', reason: `'${line1.slice(2, 7)}' is not a catalogue number` } };
  if (id1 !== id2) return { problem: { file, line: line1No + 1, field: 'catalogNumber', reason: `line 2 is for ${line2.slice(2, 7).trim()}, line 1 for ${line1.slice(2, 7).trim()}` } };
  const yy = Number(line1.slice(18, 20));
  const doy = Number(line1.slice(20, 32));
  if (!Number.isFinite(yy) || !Number.isFinite(doy) || doy < 1 || doy >= 367) {
    return { problem: { file, line: line1No, field: 'epoch', reason: `bad epoch '${line1.slice(18, 32)}'` } };
  }
  let satrec;
  try {
    satrec = twoline2satrec(line1, line2);
  } catch (err) {
    return { problem: { file, line: line1No, reason: `SGP4 could not read the element set: ${(err as Error).message}` } };
  }
  if (satrec.error !== 0) return { problem: { file, line: line1No, reason: `SGP4 initialisation failed: ${sgp4ErrorReason(satrec.error)}` } };
  if (!(satrec.no > 0)) return { problem: { file, line: line1No + 1, field: 'meanMotion', reason: 'mean motion must be positive' } };
  const noradId = String(id1);
  return {
    entry: {
      noradId,
      name: (name ?? '').replace(/^0 /, '').trim() || noradId,
      intlDesignator: line1.slice(9, 17).trim(),
      epochMs: tleEpochMs(yy, doy),
      satrec,
      elements: { kind: 'tle', line1: line1.slice(0, 69), line2: line2.slice(0, 69) },
      origin: { file, line: line1No },
    },
  };
}

/**
 * Splits a text of 2- or 3-line sets. Blank lines and lines starting with '#' are ignored; any other line that is
 * not a line 1/2 is taken as the name of the next set. A line 1 without its line 2 is a truncated set.
 */
export function parseTleText(text: string, file: string): { entries: CatalogEntry[]; problems: Problem[] } {
  const lines = text.split(/\r?\n/).map((l) => l.replace(/\s+$/, ''));
  const entries: CatalogEntry[] = [];
  const problems: Problem[] = [];
  let name: string | null = null;
  let nameLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === '' || l.startsWith('#')) continue;
    if (l.startsWith('1 ')) {
      const next = lines[i + 1];
      if (next === undefined || !next.startsWith('2 ')) {
        problems.push({ file, line: i + 1, reason: 'line 1 is not followed by its line 2 (truncated element set)' });
        name = null;
        continue;
      }
      const r = parseTle(name, l, next, file, i + 1);
      if ('entry' in r) entries.push(r.entry);
      else problems.push(r.problem);
      name = null;
      i++;
      continue;
    }
    if (l.startsWith('2 ') && l.length >= 60) {
      problems.push({ file, line: i + 1, reason: 'line 2 without a preceding line 1' });
      name = null;
      continue;
    }
    if (name !== null) problems.push({ file, line: nameLine, reason: `name line '${name}' is not followed by an element set` });
    name = l;
    nameLine = i + 1;
  }
  if (name !== null) problems.push({ file, line: nameLine, reason: `name line '${name}' is not followed by an element set` });
  return { entries, problems };
}
