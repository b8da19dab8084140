#!/bin/bash
# Cost of the site-boilerplate stage inside a `fineweb` run (issue 5: "the
# counting and removal phases add no more than 30% to the time of a fineweb
# run on the same input").
#
# Runs `winnow run` on the same input with the `fineweb` recipe (boilerplate
# first, then the filters) and with the same steps minus the boilerplate
# step, and compares CPU seconds: the sum of stats.json's "phases_cpu"
# (user + system time of the process during each phase; wall time is
# meaningless on a shared machine). Each configuration runs REPS times; the
# median is reported. Inputs:
#   sites  a generated site corpus (gen_tool --site-templates 1; 30,000
#          documents on 1,000 sites, JSONL with URLs)
#   docs   the Debian documentation WARC (bench/docs_to_warc.py; HTML, so the
#          job extracts text first), if present
# Variants of the boilerplate run: the stage's default handoff, and
# `handoff: spill` / `handoff: reread` (how documents reach the apply
# segment: read from a spill of the extracted text, or read and extracted
# again).
#
# Usage: bench/boilerplate_speed.sh [WORK_DIR]
# Environment: WINNOW_BIN (default build/bin/winnow), GEN_BIN (default next
# to WINNOW_BIN: gen_tool), DOCS_WARC (default /tmp/debian-docs.warc.gz),
# REPS (default 3), THREADS (default 1), DOCS (default 30000), SITES (1000).
set -euo pipefail

WORK=${1:-/tmp/winnow-bp-speed}
WINNOW_BIN=${WINNOW_BIN:-build/bin/winnow}
GEN_BIN=${GEN_BIN:-$(dirname "$WINNOW_BIN")/gen_tool}
DOCS_WARC=${DOCS_WARC:-/tmp/debian-docs.warc.gz}
REPS=${REPS:-3}
THREADS=${THREADS:-1}
DOCS=${DOCS:-30000}
SITES=${SITES:-1000}
mkdir -p "$WORK"

SITES_IN="$WORK/sites-$DOCS-$SITES.jsonl"
if [ ! -s "$SITES_IN" ]; then
  "$GEN_BIN" --docs "$DOCS" --sites "$SITES" --seed 1 --site-templates 1 \
    --out "$SITES_IN" >/dev/null
fi

# fineweb without the boilerplate step: the recipe's other steps, same order
# and options (src/pipeline/config.cc, RecipeSteps).
cat >"$WORK/no-boilerplate.yaml" <<'EOF'
steps:
  - language_filter
  - gopher_repetition
  - gopher_quality
  - type: c4_quality
    filter_no_terminal_punct: false
  - fineweb_quality
EOF
cat >"$WORK/fineweb.yaml" <<'EOF'
recipe: fineweb
EOF
for h in spill reread; do
  cat >"$WORK/fineweb-$h.yaml" <<EOF
recipe: fineweb
options:
  boilerplate: {handoff: $h}
EOF
done

# CPU seconds of one run: the sum of phases_cpu, then each phase's CPU
# seconds (with the boilerplate step, the phases other than the last segment
# are the stage's map/reduce/finalize plus the segment before it).
cpu_of() {
  python3 - "$1/stats.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
p = s["phases_cpu"]
print("%.3f %s" % (sum(p.values()),
                   ",".join("%s=%.2f" % (k, v) for k, v in p.items())))
EOF
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

run_one() {  # input config label
  local input=$1 config=$2 label=$3 out="$WORK/out" times=() detail=""
  for r in $(seq 1 "$REPS"); do
    rm -rf "$out"
    "$WINNOW_BIN" run "$input" -o "$out" --config "$config" -j "$THREADS" -q \
      --compression none >/dev/null
    read -r t d < <(cpu_of "$out")
    times+=("$t")
    detail=$d
  done
  local m
  m=$(printf '%s\n' "${times[@]}" | median)
  echo "$m" >"$WORK/$label.cpu"
  printf '  %-28s %8.2f CPU s  (runs: %s)  [%s]\n' "$label" "$m" \
    "${times[*]}" "$detail"
}

ratio() {
  python3 -c "import sys; a=float(open(sys.argv[1]).read()); b=float(open(sys.argv[2]).read()); print('%+.1f%%' % (100*(a/b-1)))" \
    "$WORK/$1.cpu" "$WORK/$2.cpu"
}

echo "load: $(uptime | sed 's/.*load average/load average/')"
for input in "$SITES_IN" "$DOCS_WARC"; do
  [ -s "$input" ] || { echo "skipping $input (missing)"; continue; }
  name=$(basename "$input")
  echo "== $name ($(du -h "$input" | cut -f1))"
  run_one "$input" "$WORK/no-boilerplate.yaml" "$name.without"
  run_one "$input" "$WORK/fineweb.yaml" "$name.fineweb"
  run_one "$input" "$WORK/fineweb-spill.yaml" "$name.spill"
  run_one "$input" "$WORK/fineweb-reread.yaml" "$name.reread"
  echo "  boilerplate adds: default $(ratio "$name.fineweb" "$name.without")," \
    "spill $(ratio "$name.spill" "$name.without")," \
    "reread $(ratio "$name.reread" "$name.without")  (target: at most +30%)"
done
