#!/usr/bin/env python3
"""Turn insert_latency JSON lines (stdin) into the markdown section."""
import json
import os
import platform
import statistics
import subprocess
import sys

runs = [json.loads(line) for line in sys.stdin if line.strip()]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
fs = subprocess.run(["df", "-T", sys.argv[1]], capture_output=True, text=True).stdout.splitlines()[-1].split()


def med(key):
    return statistics.median(r[key] for r in runs)


ratio = med("insert_p99_us") / med("fsync_p99_us")
import datetime
print(f"Machine: {os.cpu_count()} cores, {cpu}; filesystem {fs[1]} on {fs[0]}. Run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC.")
print()
print(f"Command: `scripts/bench-insert.sh` ({runs[0]['n']} inserts per run, {len(runs)} runs). Each run alternates one")
print("`Store::record_checkin` (WAL, `synchronous=FULL`, one transaction per record) with one raw append")
print(f"of the same size as one commit ({runs[0]['bytes_per_commit']} bytes, measured on a warm-up) followed by `fdatasync`")
print("on the same disk, so noise from the rest of the machine hits both series alike. The store checkpoints")
print("after every 100 inserts, off the timed path, as a station does between visitors.")
print()
print("| run | insert p50 µs | insert p99 µs | fsync p50 µs | fsync p99 µs | p99 ratio |")
print("|---|---|---|---|---|---|")
for i, r in enumerate(runs, 1):
    print(f"| {i} | {r['insert_p50_us']:.0f} | {r['insert_p99_us']:.0f} | {r['fsync_p50_us']:.0f} | {r['fsync_p99_us']:.0f} | {r['p99_ratio']:.2f} |")
print(f"| **median** | **{med('insert_p50_us'):.0f}** | **{med('insert_p99_us'):.0f}** | **{med('fsync_p50_us'):.0f}** | **{med('fsync_p99_us'):.0f}** | **{ratio:.2f}** |")
print()
print(f"Goal: insert p99 ≤ 2× fsync p99: {'met' if ratio <= 2 else 'NOT met'} (ratio of median p99s {ratio:.2f}).")
