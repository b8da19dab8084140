#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for a bounded time each.
# Usage: fuzz/run_fuzzers.sh BUILD_DIR [SECONDS_PER_TARGET [PARALLEL]]
#   SECONDS_PER_TARGET default 20; PARALLEL targets at a time, default the
#   number of cores (libFuzzer itself uses one core per target).
# The corpus of each target starts from fuzz/seeds (gzip and zstd variants
# of the text seeds are made here, so no binary seed is committed) and lives
# in BUILD_DIR/fuzz-corpus/<target>, so repeated runs keep what they found.
# A crash, leak, timeout or sanitizer report fails the script; the input
# that caused it is left in BUILD_DIR/fuzz-artifacts/.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:?usage: fuzz/run_fuzzers.sh BUILD_DIR [SECONDS]}
SECS=${2:-20}
PARALLEL=${3:-$(nproc)}
SEEDS=fuzz/seeds
ART=$BUILD/fuzz-artifacts
mkdir -p "$ART"

# The targets and their seed folders (under fuzz/seeds), one target per
# line, as fuzz/CMakeLists.txt declares them.
MANIFEST=$BUILD/fuzz-targets.txt
[[ -f $MANIFEST ]] || { echo "no $MANIFEST: configure $BUILD first"; exit 1; }
seed_dirs() {  # target -> seed folders
  local name rest
  while read -r name rest; do
    if [[ $name == "$1" ]]; then
      for s in $rest; do echo "$SEEDS/$s"; done
    fi
  done < "$MANIFEST"
}

# Fuzzes one target; prints one line (and the report's first lines on
# failure); exit status 1 on a finding.
fuzz_one() {
  local target=$1 bin=$BUILD/bin/$1
  if [[ ! -x $bin ]]; then
    echo "MISSING $target ($bin not built)"; return 1
  fi
  local corpus=$BUILD/fuzz-corpus/$target
  mkdir -p "$corpus"
  for d in $(seed_dirs "$target"); do
    for f in "$d"/*; do
      cp -n "$f" "$corpus/" 2>/dev/null
      if [[ $target == decompress_fuzzer || $target == jsonl_fuzzer ]]; then
        gzip -c "$f" > "$corpus/$(basename "$f").gz"
        zstd -q -c "$f" > "$corpus/$(basename "$f").zst"
      fi
    done
  done
  if [[ $target == warc_fuzzer ]]; then  # whole-file gzip of a WARC seed
    tail -c +2 "$SEEDS/warc/two_records.warc" | gzip -c | { printf '\0'; cat; } > "$corpus/two_records.warc.gz"
  fi
  local log=$BUILD/fuzz-$target.log
  "$bin" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2560 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$ART/$target-" \
    "$corpus" >"$log" 2>&1
  local rc=$?
  local execs cov
  execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
  cov=$(grep -E '^#[0-9]+' "$log" | tail -1 | grep -o 'cov: [0-9]*' | awk '{print $2}')
  if [[ $rc -ne 0 ]]; then
    echo "FAIL    $target (exit $rc; ${execs:-?} runs) — see $log"
    grep -E 'ERROR|FUZZ_CHECK|runtime error|Test unit written' "$log" | head -5
    return 1
  fi
  echo "ok      $target: ${execs:-?} runs in ${SECS}s, coverage ${cov:-?} edges, corpus $(ls "$corpus" | wc -l) inputs"
}

mapfile -t TARGETS < <(awk 'NF {print $1}' "$MANIFEST")
STATUS=$BUILD/fuzz-status
rm -rf "$STATUS" && mkdir -p "$STATUS"
running=0
for target in "${TARGETS[@]}"; do
  if (( running >= PARALLEL )); then wait -n; running=$((running - 1)); fi
  ( fuzz_one "$target" > "$STATUS/$target.out" 2>&1; echo $? > "$STATUS/$target.rc" ) &
  running=$((running + 1))
done
wait
failed=()
for target in "${TARGETS[@]}"; do
  cat "$STATUS/$target.out"
  [[ $(cat "$STATUS/$target.rc" 2>/dev/null) == 0 ]] || failed+=("$target")
done
if (( ${#failed[@]} )); then
  echo "fuzzing failed: ${failed[*]}"; exit 1
fi
echo "fuzzing: all ${#TARGETS[@]} targets ran ${SECS}s each ($PARALLEL at a time) without a finding"
