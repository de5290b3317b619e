/**
 * Cloud-free probability of a station at an instant: a per-night forecast when one covers the instant, otherwise the
 * station's monthly climatology. The month is the UTC month of the instant — a pass at 00:50 local time near a month
 * boundary may take the neighbouring month's figure, which is well inside the spread of the climatology itself.
 */
import { parseIso, type UtcMs } from '../time.ts';
import type { Scenario } from './scenario.ts';

export interface WeatherModel {
  cloudFreeProbability(stationId: string, tMs: UtcMs): number;
}

export function weatherModel(scenario: Scenario): WeatherModel {
  const forecasts = scenario.weather.forecasts.map((f) => ({ station: f.station, startMs: parseIso(f.start)!, endMs: parseIso(f.end)!, p: f.cloudFreeProbability }));
  return {
    cloudFreeProbability(stationId, tMs) {
      // The last forecast listed wins, so an update appended to the file overrides an older one.
      for (let i = forecasts.length - 1; i >= 0; i--) {
        const f = forecasts[i];
        if (f.station === stationId && tMs >= f.startMs && tMs < f.endMs) return f.p;
      }
      const monthly = scenario.weather.monthlyCloudFree[stationId];
      if (!monthly) throw new Error(`no weather for station ${stationId}`); // parseScenario guarantees it
      return monthly[new Date(tMs).getUTCMonth()];
    },
  };
}
