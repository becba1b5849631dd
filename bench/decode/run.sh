#!/usr/bin/env bash
# QR decoding benchmark: checkin-scan vs zxing-cpp vs zbar, same images, one run.
#
#   bash bench/decode/run.sh            # blackbox set (if present) + generated hard set
#   NO_DOCS=1 bash bench/decode/run.sh  # print only, leave docs/benchmarks.md alone
#
# Installs what it needs (apt libzbar0, a venv in bench/.venv), builds the release
# `decode_bench` example, generates the seeded hard set under bench/out/hardset
# (once), pins every decoder to one CPU, and replaces the "## QR decoding" section
# of docs/benchmarks.md with the machine info, the command and the tables.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/checkin-target}"

bash "$here/setup.sh"
py="$repo/bench/.venv/bin/python"

cargo build --release -q -p checkin-scan --example decode_bench
bin="$CARGO_TARGET_DIR/release/examples/decode_bench"

hard="$repo/bench/out/hardset"
seed="${HARDSET_SEED:-20261123}"
count="${HARDSET_COUNT:-200}"
if [ ! -f "$hard/manifest.tsv" ] || [ "$(wc -l < "$hard/manifest.tsv")" != "$count" ]; then
  rm -rf "$hard"
  "$py" "$here/gen_hardset.py" "$hard" --count "$count" --seed "$seed"
fi

sets=()
blackbox="$repo/../shared/testdata/qr-blackbox"
if [ -d "$blackbox" ]; then
  sets+=(--set "blackbox=$blackbox")
else
  echo "blackbox set not found at $blackbox: skipped" >&2
fi
sets+=(--set "hardset (generated, seed $seed)=$hard")
# A second generated set with another seed, never used for tuning.
held="$repo/bench/out/hardset-heldout"
if ! grep -qx 31337 "$held/seed" 2>/dev/null || [ "$(wc -l < "$held/manifest.tsv")" != "$count" ]; then
  rm -rf "$held"
  "$py" "$here/gen_hardset.py" "$held" --count "$count" --seed 31337
  echo 31337 > "$held/seed"
fi
sets+=(--set "hardset (generated, seed 31337, held out: never used for tuning)=$held")
rqrr_all="native,mean,sauvola,blur_mean,otsu,upscale,full_res,half,inverted,inverted_mean"
variants=(
  --variant "ablation: rxing only, one attempt=--strategies rxing"
  --variant "ablation: rqrr only, all its strategies, no budget=--strategies $rqrr_all --budget-ms 100000"
)

pin=()
if command -v taskset >/dev/null; then pin=(taskset -c "$(( $(nproc) - 1 ))"); fi
tables="$(mktemp)"
"${pin[@]}" "$py" "$here/bench.py" --ours "$bin" "${sets[@]}" "${variants[@]}" --markdown "$tables"

[ -n "${NO_DOCS:-}" ] && exit 0
section="$(mktemp)"
{
  echo "## QR decoding"
  echo
  echo "Decoder-only time per image (image loading excluded), one thread pinned to one CPU,"
  echo "all decoders over the same files in one run. A code counts when its text equals the"
  echo "expected \`.txt\` (trailing newlines stripped)."
  echo
  echo "- Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(uname -sr)"
  echo "- Date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "- Command: \`bash bench/decode/run.sh\`"
  echo "- Ours: \`checkin-scan\` release build (\`crates/scan/examples/decode_bench.rs\`), default \`DecoderConfig\`"
  echo "  (budget 40 ms per frame, strategies ordered by measured yield per ms)."
  echo "- The two ablation rows run the same binary restricted to some strategies: they are"
  echo "  why a second decoder crate (rxing) is linked next to rqrr."
  echo
  cat "$tables"
} > "$section"
"$py" - "$repo/docs/benchmarks.md" "$section" <<'PY'
import os, re, sys
doc, sec = sys.argv[1], open(sys.argv[2], encoding="utf-8").read().rstrip() + "\n"
old = open(doc, encoding="utf-8").read() if os.path.exists(doc) else "# Benchmarks\n"
m = re.search(r"^## QR decoding\n.*?(?=^## |\Z)", old, flags=re.S | re.M)
new = old[: m.start()] + sec + "\n" + old[m.end():] if m else old.rstrip() + "\n\n" + sec
open(doc, "w", encoding="utf-8").write(new.rstrip() + "\n")
print(f"updated {doc}", file=sys.stderr)
PY
