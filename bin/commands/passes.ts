/** `satqkd passes`: which satellites are visible from which stations, when, under what sky. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCatalog, type CatalogEntry } from '../../planner/catalog/index.ts';
import { predictPassesParallel } from '../../planner/passes/parallel-node.ts';
import { passRecord, passesCsv, passesIcs, textTable } from '../../planner/passes/export.ts';
import type { PassConstraints } from '../../planner/passes/constraints.ts';
import { parseStations, type Station } from '../../planner/stations/index.ts';
import { toIso } from '../../planner/time.ts';
import { choiceFlag, instantFlag, numberFlag, parseFlags, required, UsageError, type CliCommand, type CliIo } from '../command.ts';
import { yieldForPredictedPasses } from '../../planner/keyrate/sgp4-looks.ts';
import type { YieldFields } from '../../planner/keyrate/add-yield.ts';
import { defaultDownlinkTerminal, yieldTerminalFromFlags, TerminalFileError, yieldRecord } from '../lib/yield.ts';

function readText(path: string, io: CliIo, flag: string): { text: string; file: string } {
  const file = resolve(io.cwd, path);
  try {
    return { text: readFileSync(file, 'utf8'), file: path };
  } catch (err) {
    throw new UsageError(`--${flag}: cannot read '${path}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Loads a TLE/OMM file; problems and warnings go to stderr as file:line lines; --strict makes any problem fatal. */
export function loadCatalogFile(path: string, io: CliIo, opts: { strict?: boolean; referenceMs?: number; maxAgeDays?: number } = {}): CatalogEntry[] {
  const { text, file } = readText(path, io, 'tle');
  const r = parseCatalog(text, file, { referenceMs: opts.referenceMs, maxAgeDays: opts.maxAgeDays });
  for (const p of r.problems) io.stderr.write(`${p.file}:${p.line}: ${opts.strict ? 'error' : 'skipped'}: ${p.reason}\n`);
  for (const w of r.warnings) io.stderr.write(`${w.file}:${w.line}: warning: ${w.reason}\n`);
  if (opts.strict && r.problems.length) throw new CliFailure(`${r.problems.length} bad element set(s) in ${file} (--strict)`);
  if (r.satellites.length === 0) throw new CliFailure(`no usable element set in ${file}`);
  return r.satellites;
}

export function loadStationsFile(path: string, io: CliIo, strict = false): Station[] {
  const { text, file } = readText(path, io, 'stations');
  const r = parseStations(text, file);
  for (const p of r.problems) io.stderr.write(`${p.file}:${p.line}: ${strict ? 'error' : 'skipped'}: ${p.reason}\n`);
  if (strict && r.problems.length) throw new CliFailure(`${r.problems.length} bad station(s) in ${file} (--strict)`);
  if (r.stations.length === 0) throw new CliFailure(`no usable station in ${file}`);
  return r.stations;
}

/** A run that cannot go on for a reason in the inputs (not the command line): one line, exit 1. */
export class CliFailure extends Error {}

/** Comma-separated id filter; unknown ids are a usage error naming the known ones. */
export function pickIds<T>(items: T[], idOf: (t: T) => string, list: string | undefined, what: string): T[] {
  if (!list) return items;
  const wanted = list.split(',').map((s) => s.trim()).filter(Boolean);
  const out: T[] = [];
  for (const id of wanted) {
    const it = items.find((x) => idOf(x) === id);
    if (!it) {
      const known = items.map(idOf);
      throw new UsageError(`unknown ${what} '${id}' (known: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''})`);
    }
    out.push(it);
  }
  return out;
}

export function spanFlags(values: Record<string, unknown>): { startMs: number; endMs: number } {
  const startMs = instantFlag(values, 'start');
  const endMs = instantFlag(values, 'end');
  if (!(endMs > startMs)) throw new UsageError(`--end (${toIso(endMs)}) must be after --start (${toIso(startMs)})`);
  if (endMs - startMs > 366 * 86_400_000) throw new UsageError('--start to --end spans more than a year');
  return { startMs, endMs };
}

export function progressWriter(io: CliIo, label: string): ((done: number, total: number) => void) | undefined {
  if (!io.stderrIsTty) return undefined;
  let last = -1;
  return (done, total) => {
    const pct = Math.floor((100 * done) / total);
    if (pct === last && done !== total) return;
    last = pct;
    io.stderr.write(`\r${label}: ${done}/${total} (${pct}%)${done === total ? '\n' : ''}`);
  };
}

export async function runGuarded(io: CliIo, name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof CliFailure) {
      io.stderr.write(`satqkd ${name}: ${err.message}\n`);
      return 1;
    }
    if (err instanceof TerminalFileError) {
      for (const line of err.message.split('\n')) io.stderr.write(`satqkd ${name}: ${line}\n`);
      return 1;
    }
    throw err;
  }
}

const usage = `usage: satqkd passes --tle FILE --stations FILE --start ISO --end ISO [options]

Predicts every pass of every satellite over every station in [start, end): AOS, TCA (maximum elevation), LOS,
azimuths, range at TCA, and the usable sub-windows where the optical constraints hold.

  --tle FILE                  TLE (2- or 3-line) or CelesTrak OMM JSON
  --stations FILE             {"stations":[{"id","name","latDeg","lonDeg","heightM",…}]}
  --start ISO, --end ISO      search window, ISO-8601 with a zone (2026-11-29T00:00:00Z)
  --min-elevation DEG         elevation mask for every station (default: each station's, else 10)
  --sun-max-elevation DEG     usable only while the Sun is below DEG at the station (default -12; 'none' disables)
  --moon-min-separation DEG   usable only while the Moon is ≥ DEG from the line of sight (default off)
  --illumination any|sunlit|shadow   usable only while the satellite is sunlit / in Earth's umbra (default any)
  --refraction                apparent elevations (standard atmosphere) for the mask; default geometric
  --satellite IDS             comma-separated NORAD ids (default all)
  --station IDS               comma-separated station ids (default all)
  --usable-only               list only passes with a usable window
  --max-age-days N            warn about element sets older than N days at --start (default 14)
  --strict                    a bad element set or station is an error, not a skipped line
  --threads N                 worker threads (default: all cores)
  --yield                     add each pass's expected secret key (link budget + finite-key model, protocol and
                              window optimised): expectedSecretKeyBits, meanLossDb, keyWindow, …
  --terminal FILE             the link and protocol for --yield (default tle-data/terminals/micius-xinglong.json)
  --format table|json|csv|ics output format (default table)
`;

export const command: CliCommand = {
  name: 'passes',
  summary: 'predict satellite passes over ground stations (AOS/TCA/LOS, usable night windows)',
  usage,
  async run(argv, io) {
    const v = parseFlags(
      argv,
      {
        tle: { type: 'string' },
        stations: { type: 'string' },
        start: { type: 'string' },
        end: { type: 'string' },
        'min-elevation': { type: 'string' },
        'sun-max-elevation': { type: 'string' },
        'moon-min-separation': { type: 'string' },
        illumination: { type: 'string' },
        refraction: { type: 'boolean' },
        satellite: { type: 'string' },
        station: { type: 'string' },
        'usable-only': { type: 'boolean' },
        'max-age-days': { type: 'string' },
        strict: { type: 'boolean' },
        threads: { type: 'string' },
        yield: { type: 'boolean' },
        terminal: { type: 'string' },
        format: { type: 'string' },
      },
      command,
      io,
    );
    if (!v) return 0;
    const tlePath = required(v, 'tle');
    const stationsPath = required(v, 'stations');
    const { startMs, endMs } = spanFlags(v);
    const format = choiceFlag(v, 'format', ['table', 'json', 'csv', 'ics'] as const, 'table');
    const minEl = numberFlag(v, 'min-elevation');
    if (minEl !== undefined && (minEl < -5 || minEl > 89)) throw new UsageError(`--min-elevation must be in [-5, 89] degrees, got ${minEl}`);
    const sunMax = v['sun-max-elevation'] === 'none' ? null : numberFlag(v, 'sun-max-elevation');
    if (typeof sunMax === 'number' && (sunMax < -90 || sunMax > 90)) throw new UsageError(`--sun-max-elevation must be in [-90, 90], got ${sunMax}`);
    const moonSep = numberFlag(v, 'moon-min-separation');
    if (moonSep !== undefined && (moonSep < 0 || moonSep > 180)) throw new UsageError(`--moon-min-separation must be in [0, 180], got ${moonSep}`);
    const illumination = choiceFlag(v, 'illumination', ['any', 'sunlit', 'shadow'] as const, 'any');
    const maxAge = numberFlag(v, 'max-age-days', 14)!;
    if (!(maxAge > 0)) throw new UsageError('--max-age-days must be positive');
    const threads = numberFlag(v, 'threads');
    if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64)) throw new UsageError('--threads must be an integer in [1, 64]');
    const strict = Boolean(v.strict);
    return runGuarded(io, 'passes', async () => {
      const terminal = yieldTerminalFromFlags(v, defaultDownlinkTerminal, io);
      const allStations = loadStationsFile(stationsPath, io, strict);
      const stations = pickIds(allStations, (s) => s.id, v.station as string | undefined, 'station');
      const allSats = loadCatalogFile(tlePath, io, { strict, referenceMs: startMs, maxAgeDays: maxAge });
      const satellites = pickIds(allSats, (s) => s.noradId, v.satellite as string | undefined, 'satellite');
      const constraints: PassConstraints = { minElevationDeg: minEl, sunMaxElevationDeg: sunMax, moonMinSeparationDeg: moonSep ?? null, satelliteIllumination: illumination, refraction: Boolean(v.refraction) };
      let passes = await predictPassesParallel(
        { satellites, stations, startMs, endMs, constraints, onProgress: progressWriter(io, 'passes') },
        { threads: threads ?? (satellites.length >= 64 ? undefined : 1) },
      );
      if (v['usable-only']) passes = passes.filter((p) => p.usableWindows.length > 0);
      const names = new Map(satellites.map((s) => [s.noradId, s.name]));
      // The yield only counts the usable (night) part of each pass: the model is handed the usable windows.
      const yields = terminal ? new Map(yieldForPredictedPasses(passes, satellites, stations, terminal, { optimize: true }).map((p) => [p.id, p as YieldFields])) : null;
      const record = (p: (typeof passes)[number]) => {
        const y = yields?.get(p.id);
        return y ? { ...passRecord(p, names), ...yieldRecord(y) } : passRecord(p, names);
      };
      if (format === 'json') {
        io.stdout.write(JSON.stringify({ passes: passes.map(record) }, null, 1) + '\n');
      } else if (format === 'csv') {
        if (!yields) io.stdout.write(passesCsv(passes.map(record)));
        else {
          const base = passesCsv(passes.map(record)).trimEnd().split('\n');
          const extra = passes.map((p) => {
            const y = yieldRecord(yields.get(p.id)!);
            const w = y.keyWindow as { start: string; end: string } | null;
            return [y.expectedSecretKeyBits, y.meanLossDb, y.expectedQber, w?.start ?? '', w?.end ?? ''].join(',');
          });
          io.stdout.write([`${base[0]},expectedSecretKeyBits,meanLossDb,expectedQber,keyWindowStart,keyWindowEnd`, ...base.slice(1).map((l, i) => `${l},${extra[i]}`)].join('\n') + '\n');
        }
      } else if (format === 'ics') {
        io.stdout.write(passesIcs(passes, startMs, names));
      } else {
        const rows = passes.map((p) => {
          const r = passRecord(p, names);
          return [
            `${r.satelliteName ?? ''} (${r.satellite})`,
            r.station,
            r.aos.slice(0, 19).replace('T', ' ') + (p.clippedStart ? '<' : ''),
            r.tca.slice(11, 19),
            r.los.slice(11, 19) + (p.clippedEnd ? '>' : ''),
            r.maxElevationDeg.toFixed(1),
            `${r.aosAzimuthDeg.toFixed(0)}/${r.tcaAzimuthDeg.toFixed(0)}/${r.losAzimuthDeg.toFixed(0)}`,
            r.rangeAtTcaKm.toFixed(0),
            r.usableS.toFixed(0),
            r.sunlitAtTca ? 'lit' : 'shadow',
            ...(yields ? [String(Math.round(yields.get(p.id)?.expectedSecretKeyBits ?? 0)), (yields.get(p.id)?.meanLossDb ?? NaN).toFixed(1)] : []),
          ];
        });
        const header = ['satellite', 'station', 'AOS (UTC)', 'TCA', 'LOS', 'maxEl°', 'az AOS/TCA/LOS°', 'range km', 'usable s', 'sat'];
        io.stdout.write(textTable(yields ? [...header, 'key bits', 'loss dB'] : header, rows));
        io.stdout.write(`${passes.length} passes; < / > mark passes clipped by --start / --end\n`);
      }
      return 0;
    });
  },
};
