#!/usr/bin/env bash
# Counts the instructions and the mispredicted branches of one `winnow run`
# under valgrind's callgrind (with its branch predictor model) and prints the
# totals and where they go (inclusive counts of the reading, each step, the
# JSON writing and the compressed output). These counts do not depend on the
# machine's load or mode, unlike CPU time on this project's VMs
# (docs/BENCHMARKS.md), so this is how a change to the hot path is compared:
# run it on both builds and compare the lines. Both columns matter: on this
# machine a mispredicted branch costs about as much as 15-20 instructions
# (docs/BENCHMARKS.md, session 10).
#
# Usage: bench/instructions.sh [BUILD_DIR] [winnow run options...]
#   default: build, and `--recipe fineweb` on the Reuters file of ../shared
# Needs valgrind (Debian package `valgrind`). Takes ~40 s (x60 slower than a
# plain run).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
shift || true
ARGS=("$@")
[[ ${#ARGS[@]} -gt 0 ]] || ARGS=(--recipe fineweb)
SHARED=${WINNOW_SHARED_DIR:-../shared}
REUTERS=$SHARED/data/news/reuters21578.jsonl.gz
if ! command -v valgrind > /dev/null; then
  echo "valgrind not found (apt-get install valgrind)" >&2
  exit 2
fi
if [[ ! -f $REUTERS ]]; then
  echo "no $REUTERS (set WINNOW_SHARED_DIR)" >&2
  exit 2
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

valgrind --tool=callgrind --branch-sim=yes --callgrind-out-file="$TMP/cg.out" \
  "$BUILD/bin/winnow" run "$REUTERS" -o "$TMP/out" -j 1 -q "${ARGS[@]}" \
  2> "$TMP/valgrind.txt" > /dev/null
total=$(sed -n 's/.*refs: *//p' "$TMP/valgrind.txt" | tr -d ,)
mispredicted=$(sed -n 's/.*Mispredicts: *\([0-9,]*\).*/\1/p' "$TMP/valgrind.txt" | tr -d ,)
grouped() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
echo "winnow run reuters21578.jsonl.gz -j 1 ${ARGS[*]}"
printf '%-40s %15s %7s %12s %7s\n' "" "instructions" "" "mispredicted" ""
printf '%-40s %15s %7s %12s\n' "total" "$(grouped "$total")" "" \
  "$(grouped "$mispredicted")"

# Inclusive counts of the functions that partition the run, named by the
# part of their symbol that callgrind_annotate prints. Columns: Ir, Bcm, Bim
# (a count of zero is printed as '.', without a percentage).
callgrind_annotate --inclusive=yes --threshold=100 --show=Ir,Bcm,Bim \
  "$TMP/cg.out" 2> /dev/null > "$TMP/incl.txt"
part() {  # label pattern
  local counts ir bm
  counts=$(grep -E "$2" "$TMP/incl.txt" | head -1 |
    sed -E 's/\([ 0-9.]*%\)//g' | awk '{
      for (k = 1; k <= 3; ++k) { v = $k; gsub(",", "", v); if (v == ".") v = 0; printf "%s ", v }
    }') || true
  read -r ir bcm bim <<< "$counts"
  if [[ $ir =~ ^[0-9]+$ ]]; then
    bm=$((bcm + bim))
    printf '%-40s %15s %6.1f%% %12s %6.1f%%\n' "$1" "$(grouped "$ir")" \
      "$(awk -v a="$ir" -v b="$total" 'BEGIN{print 100 * a / b}')" \
      "$(grouped "$bm")" \
      "$(awk -v a="$bm" -v b="$mispredicted" 'BEGIN{print 100 * a / b}')"
  fi
}
part "reading (decompress + parse JSONL)" 'JsonlReader::Read\(winnow::Document'
part "all steps (RunStep)" 'winnow::RunStep\(winnow::Step\*, bool, unsigned long'
# Each step type's Process(), largest first.
grep -E '::[A-Za-z0-9_]+::Process\(winnow::Document\*, winnow::Counters\*\)' \
  "$TMP/incl.txt" |
  sed -E 's/^ *([0-9,]+) .*::([A-Za-z0-9_]+)::Process\(.*/\1 \2/' |
  awk '!seen[$2]++' | while read -r ir name; do
    part "  $name" "::${name}::Process\\(winnow::Document"
  done
part "  of which NLTK tokenization" 'NltkEnglishTokenizer::SplitWords\('
part "  of which CLD2" 'CLD2::ExtDetectLanguageSummaryCheckUTF8'
part "JSON writing (AppendDocumentJson)" 'AppendDocumentJson\(winnow::Document'
part "output compression (AtomicFileWriter)" 'AtomicFileWriter::Append\('
