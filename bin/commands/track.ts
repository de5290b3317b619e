/** `satqkd track`: the tracking ephemeris a telescope follows for one satellite over one station. */
import { lookRecord, toCsv } from '../../planner/passes/export.ts';
import { DEFAULT_TRACK_RATE_HZ, trackingEphemeris } from '../../planner/passes/track.ts';
import { predictPasses } from '../../planner/passes/predict.ts';
import { choiceFlag, numberFlag, parseFlags, required, UsageError, type CliCommand } from '../command.ts';
import { CliFailure, loadCatalogFile, loadStationsFile, pickIds, runGuarded, spanFlags } from './passes.ts';

const MAX_SAMPLES = 2_000_000;

const usage = `usage: satqkd track --tle FILE --stations FILE --station ID --satellite NORAD --start ISO --end ISO [options]

Azimuth, elevation, range and range rate at a fixed cadence for one satellite over one station: what the mount is fed.
Frame: topocentric horizon of the station (WGS84 ellipsoid normal), azimuth from true north through east, geometric
elevation (no refraction). Light time: by default the direction light arrives from at each instant (satellite at
t − range/c, Earth rotation during the flight included); --light-time none gives the instantaneous geometric direction.

  --pass                 track only the first pass in [start, end): from its AOS to its LOS (station mask,
                         day or night); without it, every instant of [start, end) is listed
  --rate-hz N            samples per second (default ${DEFAULT_TRACK_RATE_HZ})
  --light-time receive|none   (default receive)
  --format json|csv      (default json)
`;

export const command: CliCommand = {
  name: 'track',
  summary: 'tracking ephemeris (az/el/range/range rate at 10 Hz) of one satellite over one station',
  usage,
  async run(argv, io) {
    const v = parseFlags(
      argv,
      {
        tle: { type: 'string' },
        stations: { type: 'string' },
        station: { type: 'string' },
        satellite: { type: 'string' },
        start: { type: 'string' },
        end: { type: 'string' },
        'rate-hz': { type: 'string' },
        'light-time': { type: 'string' },
        pass: { type: 'boolean' },
        format: { type: 'string' },
      },
      command,
      io,
    );
    if (!v) return 0;
    const tlePath = required(v, 'tle');
    const stationsPath = required(v, 'stations');
    const stationId = required(v, 'station');
    const satId = required(v, 'satellite');
    const { startMs, endMs } = spanFlags(v);
    const rateHz = numberFlag(v, 'rate-hz', DEFAULT_TRACK_RATE_HZ)!;
    if (!(rateHz > 0 && rateHz <= 1000)) throw new UsageError(`--rate-hz must be in (0, 1000], got ${rateHz}`);
    if (!v.pass && ((endMs - startMs) / 1000) * rateHz > MAX_SAMPLES) throw new UsageError(`--start..--end at ${rateHz} Hz is more than ${MAX_SAMPLES} samples; track one pass at a time`);
    const lightTime = choiceFlag(v, 'light-time', ['receive', 'none'] as const, 'receive');
    const format = choiceFlag(v, 'format', ['json', 'csv'] as const, 'json');
    return runGuarded(io, 'track', async () => {
      const station = pickIds(loadStationsFile(stationsPath, io), (s) => s.id, stationId, 'station')[0]!;
      const sat = pickIds(loadCatalogFile(tlePath, io, { referenceMs: startMs }), (s) => s.noradId, satId, 'satellite')[0]!;
      let span = { startMs, endMs };
      let passId: string | undefined;
      if (v.pass) {
        const p = predictPasses({ satellites: [sat], stations: [station], startMs, endMs, constraints: { sunMaxElevationDeg: null } })[0];
        if (!p) throw new CliFailure(`no pass of ${sat.noradId} over ${station.id} between --start and --end`);
        span = { startMs: p.aosMs, endMs: p.losMs };
        passId = p.id;
      }
      let samples;
      try {
        samples = trackingEphemeris(sat, station, span.startMs, span.endMs, rateHz, { lightTime });
      } catch (err) {
        throw new CliFailure((err as Error).message);
      }
      const records = samples.map(lookRecord);
      if (format === 'csv') {
        io.stdout.write(toCsv(['t', 'azDeg', 'elDeg', 'rangeKm', 'rangeRateKmS'], records.map((r) => [r.t, r.azDeg, r.elDeg, r.rangeKm, r.rangeRateKmS])));
      } else {
        const frame = 'topocentric horizon, WGS84 ellipsoid normal; azimuth from true north through east; geometric elevation, no refraction; UT1 = UTC';
        io.stdout.write(JSON.stringify({ satellite: sat.noradId, station: station.id, ...(passId ? { pass: passId } : {}), rateHz, lightTime, frame, samples: records }) + '\n');
      }
      return 0;
    });
  },
};
