/** `satqkd isl`: windows where two satellites see each other over the Earth's limb. */
import { findInterSatelliteWindows } from '../../planner/passes/isl.ts';
import { islRecord, textTable, toCsv } from '../../planner/passes/export.ts';
import { choiceFlag, numberFlag, parseFlags, required, UsageError, type CliCommand } from '../command.ts';
import { loadCatalogFile, pickIds, runGuarded, spanFlags } from './passes.ts';
import { yieldForInterSatelliteWindows } from '../../planner/keyrate/sgp4-looks.ts';
import { defaultIslTerminal, yieldTerminalFromFlags, yieldRecord } from '../lib/yield.ts';

const usage = `usage: satqkd isl --tle FILE --start ISO --end ISO [options]

Inter-satellite windows: the line of sight clears the Earth (WGS84) plus a grazing altitude and the range is below a
maximum. Reports start, end, minimum range and its time.

  --max-range-km N          (default: no limit)
  --grazing-altitude-km N   atmosphere margin above the ellipsoid (default 100)
  --satellite IDS           comma-separated NORAD ids (default all); pairs are all pairs of them
  --pairs A:B,C:D           explicit pairs instead
  --format table|json|csv   (default table)
  --yield                   add each window's expected secret key (expectedSecretKeyBits, meanLossDb, keyWindow)
  --terminal FILE           inter-satellite terminal for --yield (default tle-data/terminals/isl-illustrative.json)
`;

export const command: CliCommand = {
  name: 'isl',
  summary: 'inter-satellite line-of-sight windows with minimum range',
  usage,
  async run(argv, io) {
    const v = parseFlags(
      argv,
      {
        tle: { type: 'string' },
        start: { type: 'string' },
        end: { type: 'string' },
        'max-range-km': { type: 'string' },
        'grazing-altitude-km': { type: 'string' },
        satellite: { type: 'string' },
        pairs: { type: 'string' },
        yield: { type: 'boolean' },
        terminal: { type: 'string' },
        format: { type: 'string' },
      },
      command,
      io,
    );
    if (!v) return 0;
    const tlePath = required(v, 'tle');
    const { startMs, endMs } = spanFlags(v);
    const maxRange = numberFlag(v, 'max-range-km');
    if (maxRange !== undefined && !(maxRange > 0)) throw new UsageError('--max-range-km must be positive');
    const graze = numberFlag(v, 'grazing-altitude-km', 100)!;
    if (!(graze >= 0 && graze < 2000)) throw new UsageError('--grazing-altitude-km must be in [0, 2000)');
    const format = choiceFlag(v, 'format', ['table', 'json', 'csv'] as const, 'table');
    const pairsFlag = v.pairs as string | undefined;
    let pairs: [string, string][] | undefined;
    if (pairsFlag) {
      pairs = pairsFlag.split(',').map((p) => {
        const m = /^\s*(\d+):(\d+)\s*$/.exec(p);
        if (!m || m[1] === m[2]) throw new UsageError(`--pairs: '${p}' is not A:B with two different NORAD ids`);
        return [m[1]!, m[2]!];
      });
    }
    return runGuarded(io, 'isl', async () => {
      const terminal = yieldTerminalFromFlags(v, defaultIslTerminal, io);
      const all = loadCatalogFile(tlePath, io, { referenceMs: startMs });
      const satellites = pickIds(all, (s) => s.noradId, v.satellite as string | undefined, 'satellite');
      if (pairs) for (const [a, b] of pairs) pickIds(all, (s) => s.noradId, `${a},${b}`, 'satellite');
      if (!pairs && satellites.length > 200) throw new UsageError(`${satellites.length} satellites make ${(satellites.length * (satellites.length - 1)) / 2} pairs; choose --satellite or --pairs`);
      const windows = findInterSatelliteWindows({ satellites: pairs ? all : satellites, pairs, startMs, endMs, maxRangeKm: maxRange, grazingAltitudeKm: graze });
      const withYield = terminal ? yieldForInterSatelliteWindows(windows, all, terminal, { optimize: true }) : null;
      const recs = windows.map((w, i) => (withYield ? { ...islRecord(w), ...yieldRecord(withYield[i]!) } : islRecord(w)));
      if (format === 'json') io.stdout.write(JSON.stringify({ windows: recs }, null, 1) + '\n');
      else if (format === 'csv') {
        const cols: string[] = ['satelliteA', 'satelliteB', 'start', 'end', 'durationS', 'minRangeKm', 'minRangeAt', 'clippedStart', 'clippedEnd'];
        if (withYield) cols.push('expectedSecretKeyBits', 'meanLossDb', 'expectedQber');
        io.stdout.write(toCsv(cols, recs.map((r) => cols.map((c) => (r as Record<string, unknown>)[c]))));
      } else {
        io.stdout.write(textTable(['A', 'B', 'start (UTC)', 'end', 'duration s', 'min range km', 'at'], recs.map((r) => [r.satelliteA, r.satelliteB, r.start.slice(0, 19).replace('T', ' '), r.end.slice(11, 19), r.durationS.toFixed(0), r.minRangeKm.toFixed(0), r.minRangeAt.slice(11, 19)])));
        io.stdout.write(`${recs.length} windows\n`);
      }
      return 0;
    });
  },
};
