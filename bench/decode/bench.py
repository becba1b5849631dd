#!/usr/bin/env python3
"""Runs three QR decoders over the same images in one run and prints a table.

Decoders: ours (the release `decode_bench` example of checkin-scan, which
prints one JSON line per file with decoder-only milliseconds), zxing-cpp
(PyPI `zxing-cpp`) and zbar (`pyzbar`). Each image's expected text is the
sibling `.txt` file; trailing newlines are stripped on both sides. Image
loading is outside every timing; every decoder runs on one thread.

Usage: bench.py --ours BIN --set NAME=DIR [--set NAME=DIR ...] [--markdown OUT]
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import zxingcpp
from PIL import Image
from pyzbar import pyzbar

try:
    from importlib.metadata import version as _version

    ZXING_VERSION = _version("zxing-cpp")
except Exception:  # pragma: no cover
    ZXING_VERSION = "?"


def images(d):
    out = []
    for ext in ("png", "jpg", "jpeg"):
        out += glob.glob(os.path.join(d, "**", f"*.{ext}"), recursive=True)
    return sorted(p for p in out if os.path.exists(os.path.splitext(p)[0] + ".txt"))


def expected(p):
    with open(os.path.splitext(p)[0] + ".txt", "rb") as f:
        return f.read().decode("utf-8").rstrip("\r\n")


def pct(xs, q):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def run_ours(binary, files, extra=()):
    lst = "/tmp/checkin-bench-files.txt"
    with open(lst, "w") as f:
        f.write("\n".join(files) + "\n")
    r = subprocess.run([binary, *extra, "@" + lst], capture_output=True, text=True, check=True)
    res, panics = {}, 0
    for line in r.stdout.splitlines():
        j = json.loads(line)
        if "error" in j:
            res[j["file"]] = ([], 0.0)
            continue
        res[j["file"]] = (j["texts"], j["ms"])
        panics += j.get("panics", 0)
    return res, panics


def run_zxing(files):
    res = {}
    for p in files:
        img = np.asarray(Image.open(p).convert("L"))
        t0 = time.perf_counter()
        out = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
        ms = (time.perf_counter() - t0) * 1e3
        res[p] = ([b.text for b in out], ms)
    return res


def run_zbar(files):
    res = {}
    for p in files:
        img = Image.open(p).convert("L")
        img.load()
        t0 = time.perf_counter()
        out = pyzbar.decode(img, symbols=[pyzbar.ZBarSymbol.QRCODE])
        ms = (time.perf_counter() - t0) * 1e3
        texts = []
        for b in out:
            try:
                texts.append(b.data.decode("utf-8"))
            except UnicodeDecodeError:
                texts.append(b.data.decode("latin-1"))
        res[p] = (texts, ms)
    return res


def score(files, res):
    ok, times = 0, []
    for p in files:
        texts, ms = res.get(p, ([], 0.0))
        times.append(ms)
        want = expected(p)
        if any(t.rstrip("\r\n") == want for t in texts):
            ok += 1
    return ok, statistics.median(times), pct(times, 0.95)


def dump(name, files, res, path):
    """Per-file outcome, for finding what a decoder misses."""
    with open(path, "w", encoding="utf-8") as f:
        for p in files:
            texts, ms = res.get(p, ([], 0.0))
            ok = any(t.rstrip("\r\n") == expected(p) for t in texts)
            f.write(json.dumps({"file": p, "ok": ok, "ms": ms}) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--set", action="append", required=True, help="NAME=DIR")
    ap.add_argument("--markdown", help="write the tables (markdown) here")
    ap.add_argument("--dump", help="write per-file outcomes (JSON lines) into this folder")
    ap.add_argument(
        "--variant",
        action="append",
        default=[],
        help="LABEL=ARGS: also run our binary with these extra arguments (ablations)",
    )
    a = ap.parse_args()
    md = []
    for spec in a.set:
        name, d = spec.split("=", 1)
        files = images(d)
        if not files:
            print(f"{name}: no images with .txt under {d}, skipped", file=sys.stderr)
            continue
        ours, panics = run_ours(a.ours, files)
        zx, zb = run_zxing(files), run_zbar(files)
        if a.dump:
            os.makedirs(a.dump, exist_ok=True)
            for label, res in (("ours", ours), ("zxing", zx), ("zbar", zb)):
                dump(name, files, res, os.path.join(a.dump, f"{name}-{label}.jsonl"))
        rows = [
            ("checkin-scan (rxing + rqrr pipeline)", score(files, ours)),
            (f"zxing-cpp {ZXING_VERSION}", score(files, zx)),
            ("zbar (pyzbar)", score(files, zb)),
        ]
        for v in a.variant:
            label, extra = v.split("=", 1)
            res, _ = run_ours(a.ours, files, extra.split())
            rows.append((label, score(files, res)))
        lines = [
            f"**{name}** ({len(files)} images; decoder panics caught by checkin-scan: {panics}, escaped: 0)",
            "",
            "| decoder | decoded | median ms | p95 ms |",
            "|---|---|---|---|",
        ]
        for label, (ok, med, p95) in rows:
            lines.append(f"| {label} | {ok} / {len(files)} | {med:.2f} | {p95:.2f} |")
        print("\n".join(lines) + "\n")
        md += lines + [""]
    if a.markdown:
        with open(a.markdown, "w", encoding="utf-8") as f:
            f.write("\n".join(md))


if __name__ == "__main__":
    main()
