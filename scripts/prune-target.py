#!/usr/bin/env python3
"""Keeps a long-lived cargo target directory from filling the disk.

Every clone path, feature set or source change leaves a new copy of an
artifact under a new hash (workspace test binaries are ~300 MB each), and
cargo never removes the old ones. This keeps, per artifact name, the newest
KEEP hashes in deps/, build/ and examples/ of each profile and drops the
incremental caches, which CI never reuses (its clone path changes every run).
Anything removed is rebuilt by cargo when next needed.
"""
import os
import re
import shutil
import sys
from collections import defaultdict

KEEP = 2
HASHED = re.compile(r"^(?P<stem>.+)-(?P<hash>[0-9a-f]{16})(?:\..*)?$")


def prune_dir(path):
    groups = defaultdict(lambda: defaultdict(list))
    for name in os.listdir(path):
        m = HASHED.match(name)
        if m:
            groups[m["stem"]][m["hash"]].append(os.path.join(path, name))
    freed = 0
    for hashes in groups.values():
        if len(hashes) <= KEEP:
            continue
        newest = sorted(
            hashes.items(),
            key=lambda kv: max(os.lstat(p).st_mtime for p in kv[1]),
            reverse=True,
        )
        for _, paths in newest[KEEP:]:
            for p in paths:
                freed += size_of(p)
                remove(p)
    return freed


def size_of(p):
    if os.path.isdir(p) and not os.path.islink(p):
        return sum(
            os.lstat(os.path.join(d, f)).st_size
            for d, _, fs in os.walk(p)
            for f in fs
        )
    return os.lstat(p).st_size


def remove(p):
    if os.path.isdir(p) and not os.path.islink(p):
        shutil.rmtree(p, ignore_errors=True)
    else:
        try:
            os.unlink(p)
        except FileNotFoundError:
            pass


def main(target):
    freed = 0
    for profile in ("debug", "release"):
        base = os.path.join(target, profile)
        if not os.path.isdir(base):
            continue
        inc = os.path.join(base, "incremental")
        if os.path.isdir(inc):
            freed += size_of(inc)
            shutil.rmtree(inc, ignore_errors=True)
        for sub in ("deps", "build", "examples"):
            d = os.path.join(base, sub)
            if os.path.isdir(d):
                freed += prune_dir(d)
    print(f"prune-target: freed {freed / 2**30:.1f} GiB in {target}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CARGO_TARGET_DIR", "target"))
