#!/usr/bin/env bash
# Scale benchmark of corpus-wide dedup (recipe `dedup`: exact + MinHash).
#
# For each N (default: 1000000 5000000) it generates N documents of about
# 1 KB (`winnow gen -n N --doc-bytes 1000 --seed 3`), splits them into
# PARTS input files, runs `winnow run IN -o OUT --recipe dedup -j JOBS` under
# /usr/bin/time -v, and prints one table row: wall time, the time of every
# phase (from OUT/stats.json "phases"), peak RSS, and the intermediate disk
# (OUT/.work at the end of the run: run files are never deleted before the
# job ends, so this is also the peak, apart from transient sort spills).
# cpu_s is the sum of stats.json "phases_cpu" (user + system CPU seconds of
# all phases); on a shared machine it is the steadier figure, and
# cpu_s / 2 is the wall time to expect on two idle cores. A second line per
# N gives the CPU seconds of each phase and the load average before and
# after the run. A phase the plan does not have prints "-" (e.g. a CONFIG
# whose layout has fewer segments).
#
# Usage: bench/dedup_scale.sh [N ...]
# Environment:
#   WINNOW_BIN  winnow binary              (default build/bin/winnow)
#   WORK        scratch directory           (default /tmp/winnow-dedup-scale)
#   PARTS       input files per corpus      (default 16)
#   JOBS        -j                          (default 2)
#   CONFIG      a job YAML instead of --recipe dedup (e.g. to try options)
#   LEVEL       zstd level of the output shards (default: the job's default);
#               makes a YAML "recipe: dedup" + "output: {level: LEVEL}"
#   KEEP=1      keep the generated corpus and outputs
# Needs about 1.3 GB of disk per million documents for the input, plus the
# output shards and the intermediate files.
set -euo pipefail

BIN=${WINNOW_BIN:-build/bin/winnow}
WORK=${WORK:-/tmp/winnow-dedup-scale}
PARTS=${PARTS:-16}
JOBS=${JOBS:-2}
SIZES=("$@")
[[ ${#SIZES[@]} -eq 0 ]] && SIZES=(1000000 5000000)

mkdir -p "$WORK"
printf '%-9s %8s %8s %9s %8s %8s %8s %8s %9s %9s %8s %8s %s\n' docs wall_s cpu_s gen_s seg0 red0+fin0 \
  seg1 red1+fin1 seg2 rss_MB work_MB B/doc "kept/removed"
for N in "${SIZES[@]}"; do
  IN="$WORK/in-$N"
  OUT="$WORK/out-$N"
  rm -rf "$OUT"
  gen_s=0
  if [[ ! -d "$IN" ]]; then
    mkdir -p "$IN"
    t0=$(date +%s.%N)
    "$BIN" gen -o "$WORK/gen-$N.jsonl" -n "$N" --doc-bytes 1000 --seed 3
    split -n "l/$PARTS" -d -a 3 --additional-suffix=.jsonl "$WORK/gen-$N.jsonl" "$IN/part-"
    rm -f "$WORK/gen-$N.jsonl"
    gen_s=$(echo "$(date +%s.%N) - $t0" | bc)
  fi
  if [[ -n "${CONFIG:-}" ]]; then
    JOB=(--config "$CONFIG")
  elif [[ -n "${LEVEL:-}" ]]; then
    printf 'recipe: dedup\noutput: {compression: zstd, level: %s}\n' "$LEVEL" > "$WORK/level.yaml"
    JOB=(--config "$WORK/level.yaml")
  else
    JOB=(--recipe dedup)
  fi
  load0=$(cut -d' ' -f1-3 /proc/loadavg)
  /usr/bin/time -v "$BIN" run "$IN" -o "$OUT" "${JOB[@]}" -j "$JOBS" \
    2> "$WORK/time-$N.txt" > /dev/null
  rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$WORK/time-$N.txt")
  work_bytes=$(du -sb "$OUT/.work" | cut -f1)
  load1=$(cut -d' ' -f1-3 /proc/loadavg)
  python3 - "$OUT/stats.json" "$N" "$gen_s" "$rss_kb" "$work_bytes" "$load0" "$load1" <<'EOF'
import json, sys
stats, n, gen_s, rss_kb, work = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
d = json.load(open(stats))
p = d["phases"]
t = d["totals"]
c = d.get("phases_cpu", {})
def col(m, *keys):
    if not any(k in m for k in keys):
        return "%8s" % "-"
    return "%8.1f" % sum(m.get(k, 0.0) for k in keys)
def row(m):
    return " ".join([col(m, "segment_0"), col(m, "reduce_0", "finalize_0"), col(m, "segment_1"),
                     col(m, "reduce_1", "finalize_1"), col(m, "segment_2")])
print("%-9d %8.1f %8.1f %9.1f %s %9.0f %8.0f %8.0f %d/%d" % (
    n, d["wall_seconds"], sum(c.values()), gen_s, row(p), rss_kb / 1024, work / 1e6, work / n,
    t["kept"], t["removed"]))
print("  cpu_s   %26s %s   load %s -> %s" % ("", row(c), sys.argv[6], sys.argv[7]))
print("  phases:", json.dumps(p), file=sys.stderr)
print("  phases_cpu:", json.dumps(d.get("phases_cpu", {})), file=sys.stderr)
print("  stages:", json.dumps(d.get("stages", {})), file=sys.stderr)
EOF
  if [[ "${KEEP:-0}" != 1 ]]; then rm -rf "$IN" "$OUT"; fi
done
