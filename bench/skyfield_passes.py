#!/usr/bin/python3
"""Skyfield side of bench/passes.bench.ts: find_events for every satellite × station of the given files.
Usage: skyfield_passes.py TLE STATIONS START_ISO DAYS → prints {"satellites","seconds","cpuSeconds","events"} as JSON."""
import json
import sys
import time
from datetime import datetime

from skyfield.api import EarthSatellite, load, wgs84


def main():
    tle_path, st_path, start_iso, days = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    ts = load.timescale(delta_t=69.184)
    lines = [l.rstrip() for l in open(tle_path) if l.strip()]
    sats = [EarthSatellite(lines[i + 1], lines[i + 2], lines[i], ts) for i in range(0, len(lines) - 2, 3)]
    stations = json.load(open(st_path))['stations']
    toposes = [(wgs84.latlon(s['latDeg'], s['lonDeg'], elevation_m=s['heightM']), s.get('minElevationDeg', 10)) for s in stations]
    t0 = ts.from_datetime(datetime.fromisoformat(start_iso.replace('Z', '+00:00')))
    t1 = ts.ut1_jd(t0.ut1 + days)
    events = 0
    start = time.perf_counter()
    cpu0 = time.process_time()
    for sat in sats:
        for topos, mask in toposes:
            t, e = sat.find_events(topos, t0, t1, altitude_degrees=mask)
            events += len(e)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    print(json.dumps({'satellites': len(sats), 'seconds': seconds, 'cpuSeconds': cpu, 'events': events}))


if __name__ == '__main__':
    main()
