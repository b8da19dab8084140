#!/usr/bin/env bash
# Runs winnow's benchmarks and prints the figures docs/BENCHMARKS.md quotes.
# Usage: bench/run_benchmarks.sh [BUILD_DIR]   (needs ../shared for real data)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
BIN=$BUILD/bin/winnow
SHARED=${WINNOW_SHARED_DIR:-../shared}
REUTERS=$SHARED/data/news/reuters21578.jsonl.gz
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PY=/usr/bin/python3

report() {  # name out_dir
  $PY - "$1" "$2/stats.json" <<'PYEOF'
import json, sys
name, path = sys.argv[1], sys.argv[2]
s = json.load(open(path))
t = s["totals"]
secs = s["wall_seconds"]
docs = t["records_read"]
mb = t["bytes_read"] / 1e6
print(f"{name:28s} {docs:8d} docs {secs:7.3f} s  {docs/secs:10.0f} docs/s  {mb/secs:7.1f} MB/s (text)")
PYEOF
}

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
if [[ -f $REUTERS ]]; then
  echo "== end to end on Reuters-21578 (21,578 docs), one thread, best of 3"
  for name in passthrough quality_cascade fineweb; do
    best=""
    for i in 1 2 3; do
      rm -rf "$TMP/$name"
      if [[ -f bench/$name.yaml ]]; then
        $BIN run "$REUTERS" -o "$TMP/$name" --config bench/$name.yaml -j 1 -q 2>/dev/null
      else
        $BIN run "$REUTERS" -o "$TMP/$name" --recipe fineweb -j 1 -q 2>/dev/null
      fi
      line=$(report "$name" "$TMP/$name")
      secs=$(echo "$line" | awk '{print $4}')
      if [[ -z $best ]] || awk "BEGIN{exit !($secs < $(echo "$best" | awk '{print $4}'))}"; then best=$line; fi
    done
    echo "$best"
  done
else
  echo "(no $REUTERS: skipping end-to-end)"
fi

for b in tokenizer_benchmark filters_benchmark clean_benchmark formats_benchmark; do
  if [[ -x $BUILD/bin/$b ]]; then
    echo "== $b"
    WINNOW_SHARED_DIR=$SHARED $BUILD/bin/$b --benchmark_min_time=1 2>&1 | grep -vE '^\*\*\*|^-+$' || true
  fi
done
