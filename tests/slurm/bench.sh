#!/bin/bash
# Scaling on this machine's single-node Slurm: the same job (site
# boilerplate, exact and MinHash dedup) run locally with -j 1 and through
# Slurm with 1, 2 and 4 array elements per phase; checks that every output
# is byte-identical to the local run and prints stats.json's per-phase wall
# and CPU seconds for each run.
#
# Usage: bench.sh /path/to/winnow [SHARDS [DOCS_PER_SHARD]]   (as root)
set -u
WINNOW=${1:?usage: bench.sh /path/to/winnow [SHARDS [DOCS_PER_SHARD]]}
SHARDS=${2:-8}
DOCS=${3:-4000}
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
. "$(dirname "$0")/cluster.sh"

mkdir -p "$T/in"
for i in $(seq 0 $((SHARDS - 1))); do
  "$WINNOW" gen -o "$T/in/part-$i.jsonl" -n "$DOCS" --seed $((100 + i)) --sites 40 || fail gen
done
head -n $((DOCS / 2)) "$T/in/part-0.jsonl" > "$T/in/part-copy.jsonl"
cat > "$T/job.yaml" <<'YAML'
steps:
  - type: boilerplate
    partitions: 4
  - type: exact_dedup
    partitions: 4
  - type: minhash_dedup
    partitions: 4
YAML
cd "$T"
echo "input: $(ls in | wc -l) files, $(cat in/* | wc -l) documents, $(du -sh in | cut -f1)"
/usr/bin/time -f "local -j1: %e s wall, %U s user, %S s sys" \
  "$WINNOW" run in -o local --config job.yaml -j 1 -q || fail "local run"
for n in 1 2 4; do
  start=$(date +%s.%N)
  "$WINNOW" run in -o "slurm$n" --config job.yaml --executor slurm --tasks "$n" --wait -q \
    2> "$T/slurm$n.log" || { cat "$T/slurm$n.log"; fail "slurm run with $n tasks"; }
  end=$(date +%s.%N)
  if diff -r -x .work -x stats.json local "slurm$n" >/dev/null; then same=identical; else same=DIFFERENT; fi
  printf 'slurm --tasks %d: %.1f s from submission to exit; outputs %s to local\n' \
    "$n" "$(echo "$end - $start" | bc)" "$same"
done
python3 - local slurm1 slurm2 slurm4 <<'PY'
import json, sys
runs = {d: json.load(open(d + "/stats.json")) for d in sys.argv[1:]}
phases = list(runs["local"]["phases"])
print("| phase | " + " | ".join(f"{d} wall / cpu s" for d in runs) + " |")
print("|---|" + "---|" * len(runs))
for p in phases:
    cells = []
    for d, s in runs.items():
        cells.append(f'{s["phases"].get(p, 0):.2f} / {s["phases_cpu"].get(p, 0):.2f}')
    print(f"| {p} | " + " | ".join(cells) + " |")
tot = []
for d, s in runs.items():
    tot.append(f'{sum(s["phases"].values()):.2f} / {sum(s["phases_cpu"].values()):.2f}')
print("| sum | " + " | ".join(tot) + " |")
print("kept/removed:", {d: (s["totals"]["kept"], s["totals"]["removed"]) for d, s in runs.items()})
PY
