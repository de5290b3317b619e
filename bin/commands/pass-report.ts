/**
 * `satqkd pass-report --out FILE.svg …`: loss, detection rate, QBER and accumulated secret key over one pass, as
 * an SVG a planner can look at. Three sources of a pass:
 *   --loss-profile CSV --params JSON                       the keyrate inputs (time axis: the profile's)
 *   --terminal FILE --catalog TLE|OMM --satellite ID --station ID --start ISO [--end ISO] [--stations FILE]
 *                   [--pass N]                             the N-th usable (night) pass predicted by SGP4
 *   --terminal FILE --synthetic-max-elevation DEG [--altitude-km 500]
 *                                                          an idealised circular-orbit pass (demo, no TLE)
 * With --optimize the protocol and window are optimised first (as `keyrate --optimize` and `passes --yield`).
 * With --loss-csv FILE a predicted or synthetic pass is also written as a `keyrate --loss-profile` CSV, time 0 at
 * the best (lowest-loss) slot, so the model-alone CLI can be fed from real geometry.
 */
import { readFile, writeFile, rename } from 'node:fs/promises';
import { resolve } from 'node:path';
import { choiceFlag, instantFlag, numberFlag, parseFlags, required, UsageError, type CliCommand, type CliIo } from '../command.ts';
import { parseLossProfileCsv, lossProfileToTransmittance } from '../../planner/keyrate/loss-profile.ts';
import { KeyrateParamsFileSchema } from '../../planner/keyrate/params.ts';
import { keyrateForProfile } from '../../planner/keyrate/keyrate-profile.ts';
import { expectedPassKey, profileFromSamples } from '../../planner/keyrate/pass-yield.ts';
import { passSeries } from '../../planner/keyrate/pass-series.ts';
import { renderPassReportSvg } from '../../planner/keyrate/report-svg.ts';
import type { DecoyProtocolParams } from '../../planner/keyrate/types.ts';
import { parseJsonWith, parseTerminalFile, type TerminalFile } from '../../planner/link/terminal-file.ts';
import { syntheticPass } from '../../planner/link/synthetic-pass.ts';
import { toIso, type Interval } from '../../planner/time.ts';
import type { LookSample } from '../../planner/types.ts';

const usage = `usage: satqkd pass-report --out FILE.svg [--optimize] SOURCE
SOURCE is one of
  --loss-profile CSV --params JSON
  --terminal FILE --catalog FILE --satellite NORAD|NAME --station ID --start ISO [--end ISO] [--stations FILE] [--pass N]
      (the N-th pass, from 0, with a usable part: night, above the mask; --end defaults to start + 1 day)
  --terminal FILE --synthetic-max-elevation DEG [--altitude-km KM] [--start ISO (culmination)]
  --loss-csv FILE   (with --terminal) also write the pass's loss profile as timeS,lossDb CSV, time 0 at the
                    lowest-loss slot: the input of satqkd keyrate --loss-profile
Writes an SVG of channel loss, detection rate, QBER and accumulated secret key over the pass (transmission window
shaded) and prints a one-line summary. Exit 0 ok, 1 unreadable/invalid input or no pass, 2 bad arguments.`;

const flags = {
  out: { type: 'string' },
  optimize: { type: 'boolean' },
  'loss-profile': { type: 'string' },
  params: { type: 'string' },
  terminal: { type: 'string' },
  catalog: { type: 'string' },
  satellite: { type: 'string' },
  station: { type: 'string' },
  stations: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  pass: { type: 'string' },
  'synthetic-max-elevation': { type: 'string' },
  'altitude-km': { type: 'string' },
  format: { type: 'string' },
  'loss-csv': { type: 'string' },
} as const;

class InputError extends Error {}

async function readText(path: string, io: CliIo): Promise<string> {
  try {
    return await readFile(resolve(io.cwd, path), 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

interface Report {
  svg: string;
  summary: Record<string, unknown>;
  /** The pass as a keyrate loss profile (geometry sources only). */
  lossCsv?: string;
}

/** Slots as `timeS,lossDb` rows, time relative to `zeroS`; slots that cannot carry key are left out. */
function lossCsv(tS: ArrayLike<number>, transmittance: ArrayLike<number>, zeroS: number, usable?: ArrayLike<number>): string {
  const rows = ['timeS,lossDb'];
  for (let i = 0; i < tS.length; i++) {
    if (usable && !usable[i]) continue;
    if (!(transmittance[i] > 0)) continue;
    rows.push(`${Number((tS[i] - zeroS).toFixed(6))},${(-10 * Math.log10(transmittance[i])).toFixed(4)}`);
  }
  return rows.join('\n') + '\n';
}

function subtitle(p: DecoyProtocolParams, key: number, meanLossDb: number, windowS: [number, number]): string[] {
  return [
    `expected secret key ${key} bits; window ${windowS[0].toFixed(0)} … ${windowS[1].toFixed(0)} s; mean loss ${meanLossDb.toFixed(1)} dB`,
    `μ = ${p.intensities.map((x) => x.toFixed(3)).join(' / ')}, p = ${p.intensityProbabilities.map((x) => x.toFixed(3)).join(' / ')}, q_X = ${p.keyBasisProbability.toFixed(3)}, ${(p.sourceRateHz / 1e6).toFixed(0)} MHz, ε_sec = ${p.epsilonSec}, ε_cor = ${p.epsilonCor}`,
  ];
}

async function fromLossProfile(v: Record<string, unknown>, io: CliIo, optimize: boolean): Promise<Report> {
  const csvPath = required(v, 'loss-profile');
  const paramsPath = required(v, 'params');
  const profile = parseLossProfileCsv(await readText(csvPath, io), csvPath);
  const params = parseJsonWith(KeyrateParamsFileSchema, await readText(paramsPath, io), paramsPath);
  const errors = [...(profile.ok ? [] : profile.errors), ...(params.ok ? [] : params.errors)];
  if (!profile.ok || !params.ok) throw new InputError(errors.join('\n'));
  const r = keyrateForProfile(profile.value, params.value, { optimize });
  const { windowHalfWidthS: _w, passes: _p, excessLossDb: _e, ...protocol } = r.params;
  const tp = lossProfileToTransmittance(profile.value, params.value.excessLossDb);
  const series = passSeries(tp, protocol, { startS: r.window.startS, endS: r.window.endS });
  return {
    svg: renderPassReportSvg(series, { title: `Pass report: ${csvPath}`, subtitle: subtitle(protocol, r.secretKeyBits, r.meanLossDb, [r.window.startS, r.window.endS]), timeLabel: 'time (s, loss-profile axis)' }),
    summary: { secretKeyBits: r.secretKeyBits, meanLossDb: r.meanLossDb, windowStartS: r.window.startS, windowEndS: r.window.endS },
  };
}

async function loadTerminal(v: Record<string, unknown>, io: CliIo): Promise<TerminalFile> {
  const path = required(v, 'terminal');
  const r = parseTerminalFile(await readText(path, io), path);
  if (!r.ok) throw new InputError(r.errors.join('\n'));
  return r.value;
}

async function predictedPass(v: Record<string, unknown>, io: CliIo): Promise<{ title: string; samples: LookSample[]; usable: Interval[] }> {
  const { parseCatalog } = await import('../../planner/catalog/index.ts');
  const { parseStations, findStation } = await import('../../planner/stations/index.ts');
  const { predictPasses, trackingEphemeris } = await import('../../planner/passes/index.ts');
  const catalogPath = required(v, 'catalog');
  const satId = required(v, 'satellite');
  const stationId = required(v, 'station');
  const startMs = instantFlag(v, 'start');
  const endMs = v.end === undefined ? startMs + 86_400_000 : instantFlag(v, 'end');
  if (!(endMs > startMs)) throw new UsageError('--end must be after --start');
  const index = numberFlag(v, 'pass', 0)!;
  if (!Number.isInteger(index) || index < 0) throw new UsageError(`--pass must be an integer ≥ 0, got ${index}`);
  const stationsPath = (v.stations as string | undefined) ?? 'tle-data/stations.json';
  const catalog = parseCatalog(await readText(catalogPath, io), catalogPath, { referenceMs: startMs });
  const sat = catalog.satellites.find((s) => s.noradId === satId || s.name.toUpperCase() === satId.toUpperCase());
  if (!sat) throw new InputError(`${catalogPath}: no satellite with NORAD id or name '${satId}'`);
  const st = parseStations(await readText(stationsPath, io), stationsPath);
  const station = findStation(st.stations, stationId);
  if ('error' in station) throw new InputError(`${stationsPath}: ${station.error}`);
  // Only passes with a usable part (night, above the mask) can carry key: --pass counts those.
  const passes = predictPasses({ satellites: [sat], stations: [station], startMs, endMs }).filter((p) => p.usableWindows.length > 0);
  const pass = passes[index];
  if (!pass) throw new InputError(`${sat.name} has ${passes.length} usable pass(es) over ${station.id} between ${toIso(startMs)} and ${toIso(endMs)}; --pass ${index} does not exist`);
  const samples = trackingEphemeris(sat, station, pass.aosMs, pass.losMs, 1, { lightTime: 'none' });
  return { title: `${sat.name} over ${station.name}, AOS ${toIso(pass.aosMs)} (max el. ${pass.maxElevationDeg.toFixed(1)}°)`, samples, usable: pass.usableWindows };
}

async function fromGeometry(v: Record<string, unknown>, io: CliIo, optimize: boolean): Promise<Report> {
  const terminal = await loadTerminal(v, io);
  let title: string;
  let samples: LookSample[];
  let usable: Interval[] | undefined;
  if (v['synthetic-max-elevation'] !== undefined) {
    const maxEl = numberFlag(v, 'synthetic-max-elevation')!;
    const altitudeKm = numberFlag(v, 'altitude-km', 500)!;
    if (!(maxEl > 10 && maxEl <= 90)) throw new UsageError(`--synthetic-max-elevation must be in (10, 90], got ${maxEl}`);
    if (!(altitudeKm >= 200 && altitudeKm <= 40_000)) throw new UsageError(`--altitude-km must be in [200, 40000], got ${altitudeKm}`);
    // --start, when given, places the culmination; otherwise it is at the Unix epoch (times are then relative).
    const tcaMs = v.start === undefined ? 0 : instantFlag(v, 'start');
    samples = syntheticPass({ altitudeKm, maxElevationDeg: maxEl, stepS: 1, tcaMs });
    title = `Synthetic pass: ${altitudeKm} km circular orbit, max elevation ${maxEl}° (${terminal.name})`;
  } else {
    const p = await predictedPass(v, io);
    ({ title, samples } = p);
    usable = p.usable;
  }
  if (samples.length < 2) throw new InputError('the pass has fewer than two look samples');
  const slot = terminal.planning.slotDurationS;
  const y = expectedPassKey(samples, terminal.link, terminal.protocol, { optimize, slotDurationS: slot, ...(usable ? { usableWindows: usable } : {}) });
  const profile = profileFromSamples(samples, terminal.link, slot, usable);
  const t0 = profile.t0Ms;
  const window = { startS: (y.windowStartMs - t0) / 1000, endS: (y.windowEndMs - t0) / 1000 };
  const series = passSeries(profile, y.protocol, window);
  let best = 0;
  for (let i = 1; i < profile.tS.length; i++) if (profile.transmittance[i] > profile.transmittance[best]) best = i;
  return {
    lossCsv: lossCsv(profile.tS, profile.transmittance, profile.tS[best] ?? 0, profile.usable),
    svg: renderPassReportSvg(series, {
      title,
      subtitle: subtitle(y.protocol, y.expectedSecretKeyBits, y.meanLossDb, [window.startS, window.endS]),
      timeLabel: `seconds from ${toIso(t0)}`,
    }),
    summary: { expectedSecretKeyBits: y.expectedSecretKeyBits, meanLossDb: y.meanLossDb, windowStart: toIso(y.windowStartMs), windowEnd: toIso(y.windowEndMs), qber: y.expectedQber },
  };
}

export const command: CliCommand = {
  name: 'pass-report',
  summary: 'SVG of loss, count rate, QBER and accumulated key over a pass',
  usage,
  async run(argv, io) {
    const v = parseFlags(argv, flags, { usage }, io);
    if (!v) return 0;
    const out = required(v, 'out');
    const format = choiceFlag(v, 'format', ['json', 'text'] as const, 'text');
    const optimize = Boolean(v.optimize);
    const sources = [v['loss-profile'] !== undefined, v.terminal !== undefined].filter(Boolean).length;
    if (sources !== 1) throw new UsageError('give exactly one source: --loss-profile CSV --params JSON, or --terminal FILE with a pass');
    let report: Report;
    try {
      report = v['loss-profile'] !== undefined ? await fromLossProfile(v, io, optimize) : await fromGeometry(v, io, optimize);
    } catch (err) {
      if (err instanceof InputError) {
        for (const line of err.message.split('\n')) io.stderr.write(`satqkd pass-report: ${line}\n`);
        return 1;
      }
      throw err;
    }
    const csvOut = v['loss-csv'] as string | undefined;
    if (csvOut !== undefined && report.lossCsv === undefined) throw new UsageError('--loss-csv needs a --terminal source (a loss profile is already a CSV)');
    const writes: Array<[string, string]> = [[out, report.svg], ...(csvOut !== undefined ? [[csvOut, report.lossCsv!] as [string, string]] : [])];
    for (const [path, text] of writes) {
      // Write beside the target and rename: a reader never sees half a file.
      const target = resolve(io.cwd, path);
      const tmp = `${target}.${process.pid}.tmp`;
      try {
        await writeFile(tmp, text, 'utf8');
        await rename(tmp, target);
      } catch (err) {
        io.stderr.write(`satqkd pass-report: cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
        return 1;
      }
    }
    const summary: Record<string, unknown> = { out, ...(csvOut !== undefined ? { lossCsv: csvOut } : {}), ...report.summary };
    const show = (val: unknown): string => (typeof val === 'number' ? String(Number(val.toFixed(3))) : String(val));
    io.stdout.write((format === 'json' ? JSON.stringify(summary) : Object.entries(summary).map(([k, val]) => `${k}: ${show(val)}`).join('\n')) + '\n');
    return 0;
  },
};
