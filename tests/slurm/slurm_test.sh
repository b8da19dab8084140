#!/bin/bash
# Runs a multi-phase winnow job (site boilerplate, then MinHash dedup, over
# four input shards: 8 phases) through a real single-node Slurm that this script
# starts for the host and stops again: munged with a fresh key, slurmctld and
# slurmd with a generated slurm.conf, all state under a temporary directory.
# One task attempt is SIGKILLed (WINNOW_TEST_KILL_TASK) and must be retried.
# Checks: the outputs are byte-identical to a local run; `winnow status`
# shows every phase complete and the retried task; a rerun after losing one
# task's marker submits only that task (and finish) and ends identical; a
# task failing with no retries left cancels the later phases, `run --wait`
# exits 1, and the rerun resumes there and ends identical.
#
# Usage: slurm_test.sh /path/to/winnow     Exit 77 = skipped (ctest SKIP).
set -u
WINNOW=${1:?usage: slurm_test.sh /path/to/winnow}
SKIP=77

skip() { echo "SKIP: $*"; exit $SKIP; }
fail() { echo "FAIL: $*"; exit 1; }

. "$(dirname "$0")/cluster.sh"

# --- the job ---------------------------------------------------------------
mkdir -p "$T/in"
for i in 0 1 2; do
  "$WINNOW" gen -o "$T/in/part-$i.jsonl" -n 300 --seed $((11 + i)) --sites 12 || fail "gen"
done
# The same documents again in another shard: exact and near copies across files.
head -n 120 "$T/in/part-0.jsonl" > "$T/in/part-3.jsonl"
cat > "$T/job.yaml" <<'YAML'
steps:
  - type: boilerplate
    partitions: 2
  - type: minhash_dedup
    partitions: 3
YAML
cd "$T"  # relative input paths, as a user would give them
"$WINNOW" run in -o local --config job.yaml -j 2 -q || fail "local run"

start=$(date +%s)
WINNOW_TEST_KILL_TASK="segment_1:1:$T/killed" \
  "$WINNOW" run in -o slurm --config job.yaml --executor slurm --tasks 2 --retries 2 --wait \
  2> "$T/run.log"
rc=$?
cat "$T/run.log"
[ $rc -eq 0 ] || { tail -n 30 "$T"/slurm/.work/slurm/logs/* 2>/dev/null; fail "slurm run exited $rc"; }
echo "slurm run took $(( $(date +%s) - start ))s"

same() {  # same output files, byte for byte (stats.json has timings)
  diff -r -x .work -x stats.json -x report.html "$1" "$2" >/dev/null ||
    { diff -rq -x .work -x stats.json "$1" "$2"; fail "$2 differs from $1"; }
}
same local slurm
[ -f "$T/killed" ] || fail "the kill hook did not fire"
grep -q "status 137" slurm/.work/tasks/segment_1-00001.failed ||
  fail "the killed attempt is not recorded: $(cat slurm/.work/tasks/segment_1-00001.failed 2>&1)"
grep -q '"accounting_ok":true' slurm/stats.json || fail "stats.json: accounting"
if command -v python3 >/dev/null; then  # stats.json: same counts
python3 - local/stats.json slurm/stats.json <<'PY' || fail "stats.json totals differ"
import json, sys
def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if not k.endswith("seconds")}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x
a, b = (json.load(open(p)) for p in sys.argv[1:])
for key in ("totals", "stages", "boilerplate"):
    assert strip(a.get(key)) == strip(b.get(key)), key
print("stats.json totals, stages, boilerplate: equal; slurm phases:",
      {k: round(v, 2) for k, v in b["phases"].items()})
PY
fi

"$WINNOW" status slurm | tee "$T/status.txt"
grep -q '^complete' "$T/status.txt" || fail "status does not say complete"
awk '$1 == "segment_1" && $5 == 1 { ok = 1 } END { exit !ok }' "$T/status.txt" ||
  fail "status does not show the retried task"
awk 'NR > 1 && $1 ~ /_|finish/ && $2 != $3 { bad = 1 } END { exit bad }' "$T/status.txt" ||
  fail "status shows an incomplete phase"

# --- rerun after losing one task: only that task and finish go to Slurm ----
rm slurm/.work/seg2/00002.done slurm/kept/00002.jsonl.zst
"$WINNOW" run in -o slurm --config job.yaml --executor slurm --wait 2> "$T/rerun.log"
rc=$?
cat "$T/rerun.log"
[ $rc -eq 0 ] || fail "rerun exited $rc"
grep -q "segment_2 .*1 of 4 tasks" "$T/rerun.log" || fail "rerun did not submit just the lost task"
[ "$(grep -c 'Slurm job' "$T/rerun.log")" -eq 2 ] || fail "rerun submitted more than segment_2 and finish"
same local slurm

# --- a task that fails for good: later phases are cancelled; rerun finishes -
WINNOW_TEST_KILL_TASK="finalize_1:0:$T/killed-again" \
  "$WINNOW" run in -o failing --config job.yaml --executor slurm --retries 0 --wait \
  2> "$T/fail.log"
rc=$?
cat "$T/fail.log"
[ $rc -eq 1 ] || fail "a job with a failed task exited $rc, not 1"
grep -q "ended incomplete" "$T/fail.log" || fail "the failure is not explained"
"$WINNOW" status failing | tee "$T/status-fail.txt"
awk '$1 == "finalize_1" && $4 == 1 { ok = 1 } END { exit !ok }' "$T/status-fail.txt" ||
  fail "status does not show the failed task"
awk '$1 == "segment_2" && $3 == 0 { ok = 1 } END { exit !ok }' "$T/status-fail.txt" ||
  fail "phases after the failure ran"
"$WINNOW" run in -o failing --config job.yaml --executor slurm --wait 2> "$T/refail.log" ||
  { cat "$T/refail.log"; fail "rerun after the failure"; }
grep -q "finalize_1 .*1 of 1 tasks" "$T/refail.log" || fail "rerun did not resume at the failed task"
same local failing

# --- a local status, for comparison ----------------------------------------
"$WINNOW" status local | grep -q '^complete' || fail "status of the local run"
echo "PASS"
