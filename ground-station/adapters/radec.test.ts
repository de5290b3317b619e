import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { azElToRaDecOfDate, raDecOfDateToAzEl, separationDeg } from './radec.ts';

interface Row { site: string; latDeg: number; lonDeg: number; heightM: number; iso: string; azDeg: number; elDeg: number; raHours: number; decDeg: number }
const fixture = JSON.parse(readFileSync(new URL('./radec.fixture.json', import.meta.url), 'utf8')) as { rows: Row[] };

describe('az/el → RA/Dec of date, against Skyfield', () => {
  it.each(fixture.rows)('$site $iso az $azDeg° el $elDeg°', (r) => {
    const site = { latDeg: r.latDeg, lonDeg: r.lonDeg, heightM: r.heightM };
    const t = Date.parse(r.iso);
    const got = azElToRaDecOfDate({ azDeg: r.azDeg, elDeg: r.elDeg }, site, t);
    // On-sky separation between ours and Skyfield's. Skyfield applies UT1−UTC (≈0.4 s here, 6″ of Earth rotation);
    // satqkd takes UT1 = UTC (planner/time.ts), so the bound is |DUT1| < 0.9 s → 13.5″, plus nutation-model noise.
    const dRaDeg = (((got.raHours - r.raHours + 36) % 24) - 12) * 15 * Math.cos((r.decDeg * Math.PI) / 180);
    const sepArcsec = Math.hypot(dRaDeg, got.decDeg - r.decDeg) * 3600;
    expect(sepArcsec).toBeLessThan(15);
    // And back again: the round trip is exact to well under an arcsecond.
    const back = raDecOfDateToAzEl(got, site, t);
    expect(separationDeg(back, { azDeg: r.azDeg, elDeg: r.elDeg }) * 3600).toBeLessThan(0.1);
  });

  it.each([
    { a: { azDeg: 0, elDeg: 0 }, b: { azDeg: 90, elDeg: 0 }, deg: 90 },
    { a: { azDeg: 10, elDeg: 90 }, b: { azDeg: 200, elDeg: 90 }, deg: 0 },
    { a: { azDeg: 359.5, elDeg: 0 }, b: { azDeg: 0.5, elDeg: 0 }, deg: 1 },
  ])('separation $deg°', ({ a, b, deg }) => {
    expect(separationDeg(a, b)).toBeCloseTo(deg, 6);
  });
});
