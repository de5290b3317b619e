import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { channelTransmittance, channelSeries } from '../planner/link/channel.ts';
import { kastenYoungAirMass, slantTransmittance, zenithTransmittance } from '../planner/link/atmosphere.ts';
import { beamRadiusAt, collectedFraction, waistFromDivergence } from '../planner/link/gaussian-beam.ts';
import { pointingTransmittance } from '../planner/link/pointing.ts';
import { LinkParamsSchema, type LinkParams } from '../planner/link/params.ts';
import { parseTerminalFile } from '../planner/link/terminal-file.ts';
import { elevationAtRangeDeg, slantRangeKm, syntheticPass } from '../planner/link/synthetic-pass.ts';
import type { LookSample } from '../planner/types.ts';

const miciusText = readFileSync(new URL('../tle-data/terminals/micius-xinglong.json', import.meta.url), 'utf8');
const parsed = parseTerminalFile(miciusText, 'micius-xinglong.json');
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const micius = parsed.value;

/** A look at a 500 km satellite (Micius' orbit) at a given slant range. */
const lookAtRange = (rangeKm: number, altitudeKm = 500): LookSample => ({ tMs: 0, azDeg: 0, elDeg: elevationAtRangeDeg(altitudeKm, rangeKm), rangeKm, rangeRateKmS: 0 });

describe('Micius downlink against Liao et al., Nature 549, 43 (2017)', () => {
  it('29.8 dB at 645 km (±0.5 dB)', () => {
    expect(channelTransmittance(lookAtRange(645), micius.link).lossDb).toBeCloseTo(29.8, 0);
    expect(Math.abs(channelTransmittance(lookAtRange(645), micius.link).lossDb - 29.8)).toBeLessThan(0.5);
  });

  it('about 38–40 dB at 1,200 km', () => {
    const l = channelTransmittance(lookAtRange(1200), micius.link).lossDb;
    expect(l).toBeGreaterThan(38);
    expect(l).toBeLessThan(40.5);
  });

  it('the parts add up to the total', () => {
    const r = channelTransmittance(lookAtRange(800), micius.link);
    const sum = Object.values(r.parts).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(r.lossDb, 9);
  });
});

describe('Gaussian beam', () => {
  it('is √2 wider at the Rayleigh range', () => {
    const w0 = 0.05;
    const lambda = 850e-9;
    const zR = (Math.PI * w0 * w0) / lambda;
    expect(beamRadiusAt(w0, lambda, zR)).toBeCloseTo(w0 * Math.SQRT2, 12);
  });

  it('far field spreads at λ/(π w0)', () => {
    const w0 = waistFromDivergence(850e-9, 10e-6);
    expect(w0).toBeCloseTo(850e-9 / (Math.PI * 5e-6), 12);
    expect(beamRadiusAt(w0, 850e-9, 1e6) / 1e6).toBeCloseTo(5e-6, 8);
  });

  it.each([
    [0.01, 1, 2 * 0.005 ** 2], // small aperture: 2a²/w²
    [100, 1, 1], // aperture far larger than the beam
  ])('collected fraction of a %f m aperture in a %f m beam', (d, w, f) => {
    expect(collectedFraction(w, d)).toBeCloseTo(f, 6);
  });

  it('a central obscuration removes the beam centre', () => {
    expect(collectedFraction(1, 1, 0.3)).toBeLessThan(collectedFraction(1, 1));
  });
});

describe('atmosphere', () => {
  it.each([
    [90, 1.0, 0.001],
    [30, 1.995, 0.01],
    [10, 5.6, 0.05],
    [0, 37.9, 0.2],
  ])('Kasten–Young air mass at %f° is %f', (el, am, tol) => {
    expect(Math.abs(kastenYoungAirMass(el) - am)).toBeLessThan(tol);
  });

  it.each([
    [785e-9, 0.88],
    [810e-9, 0.81],
    [850e-9, 0.9],
  ])('zenith transmittance table at %f m', (l, t) => expect(zenithTransmittance(l)).toBeCloseTo(t, 6));

  it('has no entry far outside the optical band', () => {
    expect(zenithTransmittance(3e-6)).toBeNull();
  });

  it('T(el) = T_zenith^AM and nothing below the horizon', () => {
    expect(slantTransmittance(0.9, 90)).toBeCloseTo(0.9, 3);
    expect(slantTransmittance(0.9, 30)).toBeCloseTo(0.9 ** kastenYoungAirMass(30), 12);
    expect(slantTransmittance(0.9, -1)).toBe(0);
  });
});

describe('pointing', () => {
  it.each([
    [1, 0, 0, 1],
    [1, 0.5, 0, Math.exp(-0.5)],
    [1, 0, 0.5, 0.5],
  ])('W=%f bias=%f jitter=%f → %f', (w, b, s, t) => expect(pointingTransmittance(w, b, s)).toBeCloseTo(t, 12));
});

describe('channel', () => {
  it('loss grows with range at a fixed elevation and with falling elevation at a fixed range', () => {
    const at = (rangeKm: number, elDeg: number) => channelTransmittance({ tMs: 0, azDeg: 0, elDeg, rangeKm, rangeRateKmS: 0 }, micius.link).lossDb;
    expect(at(1000, 40)).toBeGreaterThan(at(600, 40));
    expect(at(800, 20)).toBeGreaterThan(at(800, 60));
  });

  it('below the horizon nothing arrives', () => {
    const r = channelTransmittance({ tMs: 0, azDeg: 0, elDeg: -2, rangeKm: 2500, rangeRateKmS: 0 }, micius.link);
    expect(r.transmittance).toBe(0);
    expect(r.lossDb).toBe(Number.POSITIVE_INFINITY);
  });

  it('an uplink with the same telescopes loses several dB more to turbulence than the downlink', () => {
    const uplink: LinkParams = LinkParamsSchema.parse({
      direction: 'uplink',
      wavelengthM: 850e-9,
      transmitter: { apertureDiameterM: 0.3, opticsTransmittance: 0.8, pointingJitterRmsRad: 1e-6 },
      receiver: { apertureDiameterM: 0.3, opticsTransmittance: 0.8, detectorEfficiency: 0.5 },
      atmosphere: { friedParameterZenith500nmM: 0.05 },
    });
    const downlink: LinkParams = { ...uplink, direction: 'downlink' };
    const look = lookAtRange(700);
    const up = channelTransmittance(look, uplink);
    const down = channelTransmittance(look, downlink);
    expect(up.parts.turbulenceDb).toBeGreaterThan(3);
    expect(down.parts.turbulenceDb).toBe(0); // no field-of-view stop given
    expect(up.lossDb - down.lossDb).toBeGreaterThan(3);
  });

  it('an inter-satellite link has no atmosphere or turbulence and follows the diffraction formula', () => {
    const isl: LinkParams = LinkParamsSchema.parse({
      direction: 'inter-satellite',
      wavelengthM: 1550e-9,
      transmitter: { apertureDiameterM: 0.1, divergenceFullAngleRad: 4e-5, opticsTransmittance: 1 },
      receiver: { apertureDiameterM: 0.1, opticsTransmittance: 1, detectorEfficiency: 1 },
    });
    const r = channelTransmittance({ tMs: 0, azDeg: 0, elDeg: -30, rangeKm: 2000, rangeRateKmS: 0 }, isl);
    expect(r.parts.atmosphereDb).toBe(0);
    expect(r.parts.turbulenceDb).toBe(0);
    const w = beamRadiusAt(waistFromDivergence(1550e-9, 4e-5), 1550e-9, 2e6);
    expect(r.transmittance).toBeCloseTo(collectedFraction(w, 0.1) * (1 - Math.exp(-2 * 0.05 ** 2 / waistFromDivergence(1550e-9, 4e-5) ** 2)), 12);
  });

  it('a series over a synthetic pass is lowest at culmination', () => {
    const s = syntheticPass({ altitudeKm: 500, maxElevationDeg: 60, stepS: 5 });
    const series = channelSeries(s, micius.link);
    let best = 0;
    for (let i = 1; i < series.lossDb.length; i++) if (series.lossDb[i] < series.lossDb[best]) best = i;
    expect(s[best].elDeg).toBeGreaterThan(59);
  });

  it('synthetic geometry: range and elevation invert each other', () => {
    for (const el of [10, 30, 60, 89]) expect(elevationAtRangeDeg(500, slantRangeKm(500, el))).toBeCloseTo(el, 8);
    expect(slantRangeKm(500, 90)).toBeCloseTo(500, 8);
  });
});

describe('terminal files', () => {
  it('a field out of range is reported with its path', () => {
    const bad = JSON.parse(miciusText);
    bad.link.receiver.detectorEfficiency = 1.5;
    const r = parseTerminalFile(JSON.stringify(bad), 'x.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^x\.json: link\.receiver\.detectorEfficiency: /);
  });

  it('a divergence the aperture cannot produce is rejected', () => {
    const bad = JSON.parse(miciusText);
    bad.link.transmitter.divergenceFullAngleRad = 1e-7;
    const r = parseTerminalFile(JSON.stringify(bad), 'x.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join()).toMatch(/transmitter\.divergenceFullAngleRad/);
  });

  it('a JSON syntax error names the line', () => {
    const r = parseTerminalFile('{\n  "name": "a",\n  oops\n}', 't.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^t\.json:3: invalid JSON/);
  });

  it('every committed terminal file parses', async () => {
    const { readdirSync } = await import('node:fs');
    const dir = new URL('../tle-data/terminals/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const r = parseTerminalFile(readFileSync(new URL(f, dir), 'utf8'), f);
      expect(r.ok, r.ok ? f : r.errors.join('\n')).toBe(true);
    }
  });
});
