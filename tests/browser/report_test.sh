#!/usr/bin/env bash
# Browser test of `winnow report`: a small run over generated documents plus
# hostile fixtures (fixtures/hostile.jsonl: <script>, <img onerror>,
# </textarea>, javascript: URLs in text, ids, URLs and metadata), rendered
# in headless Chromium. Checks every section and chart is present and
# non-empty, nothing was logged to the console, and no hostile content was
# turned into markup or ran — also with the page's Content-Security-Policy
# removed, so escaping alone is proven. Saves a screenshot.
#
# usage: report_test.sh WINNOW_BINARY WORK_DIR
# Exit 77 (ctest SKIP) when chromium is not installed; set CHROMIUM to use
# another binary.
set -euo pipefail

WINNOW=${1:?usage: report_test.sh WINNOW_BINARY WORK_DIR}
WORK=${2:?usage: report_test.sh WINNOW_BINARY WORK_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$CHROMIUM" ] || [ ! -x "$CHROMIUM" ]; then
  echo "SKIP: chromium is not installed (apt-get install chromium)"
  exit 77
fi
if ! command -v python3 >/dev/null; then
  echo "SKIP: python3 is not installed"
  exit 77
fi

rm -rf "$WORK"
mkdir -p "$WORK"
cp "$HERE/fixtures/hostile.jsonl" "$WORK/in.jsonl"
"$WINNOW" gen -n 600 --seed 11 -o "$WORK/gen.jsonl"
cat "$WORK/gen.jsonl" >> "$WORK/in.jsonl"
cat > "$WORK/job.yaml" <<'YAML'
steps:
  # First, so the short hostile documents are removed with their markup
  # intact (the cleaning steps would strip leaked tags).
  - type: gopher_quality
    write_signals: true
  - recipe: clean
  - type: gopher_repetition
    write_signals: true
  - type: c4_quality
    write_signals: true
  - type: fineweb_quality
    write_signals: true
  - minhash_dedup
YAML
"$WINNOW" run "$WORK/in.jsonl" -o "$WORK/out" --config "$WORK/job.yaml" -j 1 --quiet --report
REPORT="$WORK/out/report.html"
test -s "$REPORT"
# Again with enough samples per reason that every hostile document is shown.
"$WINNOW" report "$WORK/out" --samples 100

# The same page with its Content-Security-Policy removed: escaping must hold
# on its own.
sed 's/<meta http-equiv="Content-Security-Policy"[^>]*>//' "$REPORT" > "$WORK/report-nocsp.html"
if grep -q 'Content-Security-Policy' "$WORK/report-nocsp.html"; then
  echo "FAIL: could not strip the CSP for the second check"
  exit 1
fi

chrome() {
  # --virtual-time-budget lets timers and error handlers run before the dump.
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-extensions --user-data-dir="$WORK/profile" --enable-logging=stderr --v=0 \
    --virtual-time-budget=3000 "$@"
}
chrome --dump-dom "file://$REPORT" > "$WORK/dom.html" 2> "$WORK/console.log"
chrome --dump-dom "file://$WORK/report-nocsp.html" > "$WORK/dom-nocsp.html" \
  2> "$WORK/console-nocsp.log"
chrome --screenshot="$WORK/report.png" --window-size=1300,2400 --hide-scrollbars \
  "file://$REPORT" 2> "$WORK/screenshot.log" >/dev/null
test -s "$WORK/report.png" || { echo "FAIL: no screenshot"; exit 1; }

python3 "$HERE/check_dom.py" "$WORK/dom.html" "$WORK/console.log" \
  "$WORK/dom-nocsp.html" "$WORK/console-nocsp.log"

# Negative control: the same page with the escaping of <script> undone must
# fail the checks (the hostile script runs and changes the title), or the
# checks above prove nothing.
sed 's/&lt;script&gt;/<script>/g; s/&lt;\/script&gt;/<\/script>/g; s/&#39;/'"'"'/g' \
  "$WORK/report-nocsp.html" > "$WORK/report-unescaped.html"
chrome --dump-dom "file://$WORK/report-unescaped.html" > "$WORK/dom-unescaped.html" \
  2> "$WORK/console-unescaped.log"
if python3 "$HERE/check_dom.py" "$WORK/dom-unescaped.html" "$WORK/console-unescaped.log" \
    > "$WORK/control.txt"; then
  echo "FAIL: the checks passed on a page with unescaped hostile scripts"
  exit 1
fi
grep -q "title is .*PWNED" "$WORK/control.txt" || {
  echo "FAIL: the negative control did not run the hostile script:"; cat "$WORK/control.txt"; exit 1; }
echo "screenshot: $WORK/report.png"
echo "report_test: 1 passed, 0 failed"
