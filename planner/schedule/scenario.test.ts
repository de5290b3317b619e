import { describe, expect, it } from 'vitest';
import { parseScenario, parseScenarioText } from './scenario.ts';
import { smallScenarioInput } from './test-fixtures.ts';

describe('parseScenario', () => {
  it('accepts a valid scenario and fills defaults', () => {
    const r = parseScenario(smallScenarioInput(), 'small.json');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.satellites[2].opticalTerminals).toBe(1);
    expect(r.scenario.satellites[2].interSatelliteTerminals).toBe(0);
    expect(r.scenario.stations[0].minElevationDeg).toBe(15);
    expect(r.scenario.demands[0].priority).toBe(2);
  });

  const cases: { name: string; mutate: (s: ReturnType<typeof smallScenarioInput>) => void; path: string; message: RegExp }[] = [
    { name: 'unknown node in a demand', mutate: (s) => (s.demands[1].to = 'Z'), path: 'demands[1].to', message: /unknown node 'Z'/ },
    { name: 'demand to itself', mutate: (s) => (s.demands[0].to = 'A'), path: 'demands[0]', message: /two different nodes/ },
    { name: 'duplicate pair', mutate: (s) => s.demands.push({ from: 'B', to: 'A', bitsPerDay: 1 }), path: 'demands[3]', message: /second demand/ },
    { name: 'station feeding an unknown node', mutate: (s) => (s.stations[1].feeds = ['Q']), path: 'stations[1].feeds[0]', message: /unknown node 'Q'/ },
    { name: 'no weather for a station', mutate: (s) => delete s.weather.monthlyCloudFree.S3, path: 'weather.monthlyCloudFree', message: /station 'S3'/ },
    { name: 'weather for an unknown station', mutate: (s) => (s.weather.monthlyCloudFree.S9 = new Array(12).fill(0.5)), path: 'weather.monthlyCloudFree.S9', message: /unknown station/ },
    { name: 'eleven months', mutate: (s) => (s.weather.monthlyCloudFree.S1 = new Array(11).fill(0.5)), path: 'weather.monthlyCloudFree.S1', message: /12/ },
    { name: 'probability above 1', mutate: (s) => (s.weather.monthlyCloudFree.S1[3] = 1.5), path: 'weather.monthlyCloudFree.S1[3]', message: /1/ },
    { name: 'NORAD id not a number', mutate: (s) => (s.satellites[0].noradId = 'MICIUS'), path: 'satellites[0].noradId', message: /NORAD/ },
    { name: 'duplicate satellite', mutate: (s) => (s.satellites[1].noradId = '10001'), path: 'satellites', message: /duplicate satellite 10001/ },
    { name: 'negative demand', mutate: (s) => (s.demands[0].bitsPerDay = -5), path: 'demands[0].bitsPerDay', message: /0/ },
    { name: 'no telescope', mutate: (s) => (s.stations[0].telescopes = []), path: 'stations[0].telescopes', message: /1/ },
    {
      name: 'forecast ending before it starts',
      mutate: (s) => (s.weather.forecasts = [{ station: 'S1', start: '2026-12-02T00:00:00Z', end: '2026-12-01T00:00:00Z', cloudFreeProbability: 0.2 }]),
      path: 'weather.forecasts[0]', message: /end must be after start/,
    },
  ];
  it.each(cases)('reports $name at $path', ({ mutate, path, message }) => {
    const input = smallScenarioInput();
    mutate(input);
    const r = parseScenario(input, 'bad.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const issue = r.issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(r.issues)).toBeDefined();
    expect(issue!.message).toMatch(message);
    expect(issue!.file).toBe('bad.json');
  });

  it('reports a JSON syntax error with the file name', () => {
    const r = parseScenarioText('{"name": ', 'broken.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ file: 'broken.json', path: '(syntax)' });
  });
});
