#!/usr/bin/env python3
"""Replace (or append) one '## Title' section of docs/benchmarks.md with stdin.

Each benchmark script owns one section, so running one benchmark never
rewrites the figures of another.
"""
import pathlib
import re
import sys

title = sys.argv[1]
path = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "docs/benchmarks.md")
body = sys.stdin.read().strip() + "\n"
text = path.read_text() if path.exists() else "# Benchmarks\n\nEvery figure below was measured by the command shown with it, on the machine described with it.\n"
section = f"## {title}\n\n{body}"
pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
if pattern.search(text):
    text = pattern.sub(lambda _: section + "\n", text)
else:
    text = text.rstrip() + "\n\n" + section
path.parent.mkdir(parents=True, exist_ok=True)
path.write_text(text.rstrip() + "\n")
