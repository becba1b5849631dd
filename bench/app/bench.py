#!/usr/bin/env python3
"""The app's own figures, measured in the real app (release build) under Xvfb.

1. Cold start to ready: from spawning `checkin-app` to the page's `ui_ready`
   (the first screen painted with real status), written by the app to
   $CHECKIN_BENCH_READY_FILE as epoch milliseconds.
2. Frame to verdict on screen: the gate replays a folder of distinct ID-card
   codes as its camera (15 fps, one frame per code); for every scan the page
   records `Date.now() - frame_at_ms` after the verdict is painted (two
   animation frames) in `window.__checkinLatencies`, read here over WebDriver.
3. Memory after those scans: PSS summed over the app's processes (the app,
   WebKitWebProcess, WebKitNetworkProcess) against a bare Tauri window
   (`examples/bare_window`: same Tauri and WebKitGTK, an empty page), measured
   in the same run.

Driven by bench/app/run.sh, which builds, makes the frames and starts Xvfb
and tauri-driver. Prints a Markdown section on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "app-e2e"))
from webdriver import Session, wait_for  # noqa: E402

def descendants(pid: int) -> list[int]:
    out = [pid]
    try:
        children = open(f"/proc/{pid}/task/{pid}/children").read().split()
    except OSError:
        return out
    for c in children:
        out.extend(descendants(int(c)))
    return out


def pss_kib(pid: int) -> int:
    """PSS of one process from smaps_rollup (0 if it is gone)."""
    try:
        for line in open(f"/proc/{pid}/smaps_rollup"):
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss(pid: int) -> tuple[int, list[str]]:
    pids = descendants(pid)
    names = []
    for p in pids:
        try:
            names.append(open(f"/proc/{p}/comm").read().strip())
        except OSError:
            pass
    return sum(pss_kib(p) for p in pids), names


def settled_pss(pid: int, samples: int = 5) -> tuple[int, list[str]]:
    """PSS of a process tree once it stops growing (max of a few samples a
    second apart; a page still loading would read low)."""
    best, names = 0, []
    for _ in range(samples):
        v, n = tree_pss(pid)
        if v > best:
            best, names = v, n
        time.sleep(1)
    return best, names


def cold_start(app: str, data_dir: str, runs: int) -> list[float]:
    times = []
    for i in range(runs):
        ready = tempfile.mktemp(prefix="checkin-ready-")
        env = dict(os.environ, CHECKIN_DATA_DIR=data_dir, CHECKIN_BENCH_READY_FILE=ready)
        t0 = time.time()
        proc = subprocess.Popen([app], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while not (os.path.exists(ready) and open(ready).read().strip()):
                if proc.poll() is not None:
                    raise SystemExit(f"the app exited ({proc.returncode}) before it was ready")
                if time.monotonic() > deadline:
                    raise SystemExit("the app was not ready within 60 s")
                time.sleep(0.005)
            ms = int(open(ready).read()) - t0 * 1000
            times.append(ms)
            print(f"  cold start run {i + 1}: {ms:.0f} ms", file=sys.stderr)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
            if os.path.exists(ready):
                os.remove(ready)
    return times


def app_pid(binary: str) -> int:
    out = subprocess.run(["pgrep", "-f", "-x", binary], capture_output=True, text=True)
    pids = [int(p) for p in out.stdout.split()]
    if not pids:
        raise SystemExit(f"no running {binary}")
    return pids[0]


def scans(driver: str, app: str, n: int) -> tuple[list[float], int, list[str]]:
    s = Session(driver, app)
    try:
        wait_for("the gate", lambda: s.exists("[data-testid=verdict]"), timeout=60)
        t0 = time.monotonic()

        def count():
            got = s.script("return (window.__checkinLatencies || []).length;")
            print(f"  scans so far: {got}", file=sys.stderr)
            return got >= n

        wait_for(f"{n} scans", count, timeout=n / 15 * 3 + 120, interval=5)
        took = time.monotonic() - t0
        lat = s.script("return (window.__checkinLatencies || []).slice(0, arguments[0]);", n)
        print(f"  {n} scans in {took:.0f} s", file=sys.stderr)
        s.invoke("camera_stop")
        pss, names = settled_pss(app_pid(app))
        return lat, pss, names
    finally:
        s.close()


def bare(binary: str) -> tuple[int, list[str]]:
    proc = subprocess.Popen([binary], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for("the bare window's web process", lambda: len(descendants(proc.pid)) >= 3, timeout=60)
        return settled_pss(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100 * (len(v) - 1)))))
    return v[k]


def machine() -> str:
    cpu = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} × {cpu}, {platform.system()} {platform.release()}"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--driver", required=True)
    p.add_argument("--app", required=True)
    p.add_argument("--bare", required=True)
    p.add_argument("--data-dir", required=True, help="the station tauri-driver's app uses (a venue set)")
    p.add_argument("--scans", type=int, default=1000)
    p.add_argument("--cold-runs", type=int, default=7)
    o = p.parse_args()

    # One start to warm the page cache; then the runs. The camera is not
    # set yet, so these starts scan nothing.
    cold = cold_start(o.app, o.data_dir, o.cold_runs + 1)
    first, cold = cold[0], cold[1:]
    bare_pss, bare_names = bare(o.bare)
    lat, app_pss, app_names = scans(o.driver, o.app, o.scans)

    cold_med = statistics.median(cold)
    p50, p95, worst = pct(lat, 50), pct(lat, 95), max(lat)
    ratio = app_pss / bare_pss
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"""Measured {when} on {machine()}, Xvfb, release builds.
Command: `bash bench/app/run.sh` (writes this section).

| figure | measured | goal | reference in the same run |
|---|---|---|---|
| cold start to ready (spawn → first screen with real status), median of {len(cold)} | **{cold_med:.0f} ms** (min {min(cold):.0f}, max {max(cold):.0f}; very first start {first:.0f} ms) | ≤ 1,500 ms | — |
| frame to verdict on screen, {len(lat)} scans at 15 fps (replayed folder) | p50 {p50:.0f} ms, **p95 {p95:.0f} ms**, max {worst:.0f} ms | p95 ≤ 66 ms (one frame at 15 fps) | — |
| memory after {len(lat)} scans, PSS summed over the app's processes | **{app_pss / 1024:.0f} MiB** ({", ".join(sorted(set(app_names)))}) | ≤ 1.25 × bare window | bare Tauri window {bare_pss / 1024:.0f} MiB ({", ".join(sorted(set(bare_names)))}): **ratio {ratio:.2f}** |

How: cold start is the time from `Popen` to the epoch milliseconds the app
writes when the page calls `ui_ready` (after its first render with data);
latency is `Date.now() - frame_at_ms` taken by the page two animation frames
after the verdict rendered, `frame_at_ms` being when the replayed frame left its
source (so it covers decoding, the gate's decision, the fsynced write, the
event and the paint); PSS is from `/proc/PID/smaps_rollup` of the process and
its descendants, the highest of five samples a second apart.""")
    print(json.dumps({"cold_ms": cold, "first_ms": first, "p50": p50, "p95": p95, "max": worst,
                      "app_pss_kib": app_pss, "bare_pss_kib": bare_pss}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
