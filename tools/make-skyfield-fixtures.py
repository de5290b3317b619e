#!/usr/bin/python3
"""Independent reference for satqkd's pass prediction, made with Debian's python3-skyfield (1.45).

Writes test/fixtures/skyfield/passes-2026-11-29.json and looks-2026-11-29.json from the committed snapshot
tle-data/snapshot-2026-11-28.tle and tle-data/stations.json, and passes-extra-2026-11-29.json from
test/fixtures/skyfield/extra-orbits.tle (hand-made elements, written with planner/catalog/format.ts: Molniya-type,
GNSS-type, GTO-type — SGP4's deep-space branch — an eccentric LEO and a 300 km VLEO). Run from the repository root:
    /usr/bin/python3 tools/make-skyfield-fixtures.py

Conventions, matching satqkd's (docs/time.md, docs/passes.md):
  - UT1 = UTC: the timescale's delta T is pinned to 32.184 s + 37 leap seconds = 69.184 s, so Skyfield's GMST is
    computed from UTC exactly as satqkd does. No polar motion (Skyfield's default).
  - Geometric topocentric altitude above the WGS84 ellipsoid normal, no refraction, no light time.
  - Skyfield's find_events brackets events to ~0.5 s; every event is refined here: rise/set by bisection of
    altitude − mask to 1e-9 day (86 µs), culmination by golden-section search of the altitude to 1e-9 day.
Only passes that rise and set inside the window are kept (clipped passes are tested by invariants instead).
"""
import json
import math
import sys
from datetime import datetime, timezone

from skyfield.api import EarthSatellite, load, wgs84

START = datetime(2026, 11, 29, 0, 0, tzinfo=timezone.utc)
DAYS = 2.0
TOL_DAY = 1e-9

ts = load.timescale(delta_t=69.184)


def read_tles(path):
    lines = [l.rstrip() for l in open(path) if l.strip()]
    sats = []
    i = 0
    while i < len(lines):
        if lines[i].startswith('1 '):
            sats.append(EarthSatellite(lines[i], lines[i + 1], lines[i + 1][2:7].strip(), ts))
            i += 2
        else:
            sats.append(EarthSatellite(lines[i + 1], lines[i + 2], lines[i].strip(), ts))
            i += 3
    return sats


def alt_az_range(sat, topos, jd):
    alt, az, dist = (sat - topos).at(ts.ut1_jd(jd)).altaz()
    return alt.degrees, az.degrees, dist.km


def utc_jd(t):
    # With delta T pinned, UT1 = UTC; Skyfield's ut1 Julian date is the UTC one.
    return t.ut1


def iso(jd):
    # Rounded to the millisecond, as satqkd prints instants.
    dt = ts.ut1_jd(round(ms(jd)) / 86400000.0 + 2440587.5).utc_datetime()
    return dt.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (dt.microsecond // 1000)


def ms(jd):
    return (jd - 2440587.5) * 86400000.0


def bisect(f, a, b):
    fa = f(a)
    for _ in range(200):
        if b - a < TOL_DAY:
            break
        m = 0.5 * (a + b)
        fm = f(m)
        if (fm > 0) == (fa > 0):
            a, fa = m, fm
        else:
            b = m
    return 0.5 * (a + b)


def golden_max(f, a, b):
    g = (math.sqrt(5) - 1) / 2
    x1, x2 = b - g * (b - a), a + g * (b - a)
    f1, f2 = f(x1), f(x2)
    while b - a > TOL_DAY:
        if f1 < f2:
            a, x1, f1 = x1, x2, f2
            x2 = a + g * (b - a)
            f2 = f(x2)
        else:
            b, x2, f2 = x2, x1, f1
            x1 = b - g * (b - a)
            f1 = f(x1)
    return (x1, f1) if f1 > f2 else (x2, f2)


def passes_by_sampling(sat, topos, mask, t0, days, step_s=10.0):
    """Rise/set/maximum from a dense vectorised scan (for high and eccentric orbits, where find_events can merge
    or split culminations): every sign change of altitude − mask is bisected, the maximum is the best sample
    polished by golden section over ±step. Returns (rise, tca, set) Julian dates of complete passes."""
    import numpy as np
    n = int(days * 86400 / step_s) + 1
    jd = t0.ut1 + np.arange(n) * step_s / 86400.0
    alt = (sat - topos).at(ts.ut1_jd(jd)).altaz()[0].degrees
    f = lambda x: alt_az_range(sat, topos, x)[0] - mask
    above = alt > mask
    out = []
    i = 0
    while i + 1 < n:
        if not above[i] and above[i + 1]:
            j = i + 1
            while j + 1 < n and above[j + 1]:
                j += 1
            if j + 1 >= n:
                break
            rise = bisect(f, jd[i], jd[i + 1])
            set_ = bisect(f, jd[j], jd[j + 1])
            k = i + 1 + int(np.argmax(alt[i + 1:j + 1]))
            lo, hi = max(rise, jd[k] - step_s / 86400), min(set_, jd[k] + step_s / 86400)
            tca, _ = golden_max(lambda x: alt_az_range(sat, topos, x)[0], lo, hi)
            out.append((rise, tca, set_))
            i = j + 1
        else:
            i += 1
    return out


def make(tle_path, passes_out, looks_out, sampled=False):
    sats = read_tles(tle_path)
    stations = json.load(open('tle-data/stations.json'))['stations']
    t0 = ts.from_datetime(START)
    t1 = ts.ut1_jd(t0.ut1 + DAYS)
    passes = []
    looks = []
    for st in stations:
        mask = st.get('minElevationDeg', 10)
        topos = wgs84.latlon(st['latDeg'], st['lonDeg'], elevation_m=st['heightM'])
        for sat in sats:
            if sampled:
                found = passes_by_sampling(sat, topos, mask, t0, DAYS)
            else:
                found = []
                times, events = sat.find_events(topos, t0, t1, altitude_degrees=mask)
                # Keep complete rise–culminate–set triples; clipped or odd sequences are skipped.
                i = 0
                while i + 2 < len(events):
                    if list(events[i:i + 3]) == [0, 1, 2]:
                        r, c, s = (utc_jd(times[i + k]) for k in range(3))
                        f = lambda jd: alt_az_range(sat, topos, jd)[0] - mask
                        step = 2.0 / 86400
                        rise = bisect(f, r - step, r + step) if f(r - step) < 0 < f(r + step) else bisect(f, r - 30 / 86400, c)
                        set_ = bisect(f, s - step, s + step) if f(s - step) > 0 > f(s + step) else bisect(f, c, s + 30 / 86400)
                        tca, _ = golden_max(lambda jd: alt_az_range(sat, topos, jd)[0], rise, set_)
                        found.append((rise, tca, set_))
                        i += 3
                    else:
                        i += 1
            for rise, tca, set_ in found:
                maxel = alt_az_range(sat, topos, tca)[0]
                _, az_r, _ = alt_az_range(sat, topos, rise)
                _, az_c, rng = alt_az_range(sat, topos, tca)
                _, az_s, _ = alt_az_range(sat, topos, set_)
                passes.append({
                    'satellite': str(sat.model.satnum),
                    'station': st['id'],
                    'maskDeg': mask,
                    'aosMs': ms(rise), 'tcaMs': ms(tca), 'losMs': ms(set_),
                    'aos': iso(rise), 'tca': iso(tca), 'los': iso(set_),
                    'maxElevationDeg': maxel,
                    'aosAzimuthDeg': az_r, 'tcaAzimuthDeg': az_c, 'losAzimuthDeg': az_s,
                    'rangeAtTcaKm': rng,
                })
    # Look samples at fixed instants for lookAt/tracking comparisons (geometric).
    for st in stations[:3]:
        topos = wgs84.latlon(st['latDeg'], st['lonDeg'], elevation_m=st['heightM'])
        for sat in sats[:3]:
            for k in range(6):
                jd = t0.ut1 + k * 0.137
                alt, az, rng = alt_az_range(sat, topos, jd)
                looks.append({'satellite': str(sat.model.satnum), 'station': st['id'], 'tMs': ms(jd), 'azDeg': az, 'elDeg': alt, 'rangeKm': rng})
    meta = {
        'generator': 'tools/make-skyfield-fixtures.py',
        'skyfield': __import__('skyfield').__version__,
        'sgp4': __import__('sgp4').__version__ if hasattr(__import__('sgp4'), '__version__') else 'debian python3-sgp4',
        'tle': tle_path,
        'stations': 'tle-data/stations.json',
        'start': START.isoformat().replace('+00:00', 'Z'),
        'days': DAYS,
        'conventions': 'UT1=UTC (delta_t=69.184 s), no polar motion, geometric altitude (no refraction, no light time), WGS84 station; events refined to 1e-9 day',
    }
    passes.sort(key=lambda p: (p['aosMs'], p['station'], p['satellite']))
    json.dump({'meta': meta, 'passes': passes}, open(passes_out, 'w'), indent=1)
    if looks_out:
        json.dump({'meta': meta, 'looks': looks}, open(looks_out, 'w'), indent=1)
    print(f'{tle_path}: {len(passes)} passes, {len(looks)} look samples', file=sys.stderr)


def main():
    make('tle-data/snapshot-2026-11-28.tle', 'test/fixtures/skyfield/passes-2026-11-29.json', 'test/fixtures/skyfield/looks-2026-11-29.json')
    make('test/fixtures/skyfield/extra-orbits.tle', 'test/fixtures/skyfield/passes-extra-2026-11-29.json', None, sampled=True)


if __name__ == '__main__':
    main()
