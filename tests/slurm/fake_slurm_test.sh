#!/bin/bash
# The Slurm executor without Slurm: `sbatch` and `squeue` are stand-ins
# (first on PATH) that run each job array at once, element by element, in
# submission order, and skip a job whose afterok dependency failed (as
# --kill-on-invalid-dep would cancel it). Runs anywhere, no root: checks the
# batch scripts, grouping, retries, failure and rerun logic that
# slurm_test.sh checks on a real Slurm.
#
# Usage: fake_slurm_test.sh /path/to/winnow
set -u
WINNOW=$(readlink -f "${1:?usage: fake_slurm_test.sh /path/to/winnow}")
fail() { echo "FAIL: $*"; exit 1; }
T=$(mktemp -d /tmp/winnow-fakeslurm.XXXXXX)
trap 'rm -rf "$T"' EXIT

mkdir -p "$T/bin"
cat > "$T/bin/sbatch" <<'SH'
#!/bin/bash
# Stand-in sbatch: runs the array now; prints the job id (--parsable).
state=${FAKE_SLURM_STATE:?}
id=$(( $(cat "$state/next" 2>/dev/null || echo 100) + 1 )); echo $id > "$state/next"
array=0-0; out=/dev/null; dep=; cpus=1; script=
for a in "$@"; do
  case $a in
    --array=*) array=${a#--array=} ;;
    --output=*) out=${a#--output=} ;;
    --dependency=afterok:*) dep=${a#--dependency=afterok:} ;;
    --cpus-per-task=*) cpus=${a#--cpus-per-task=} ;;
    --*) ;;
    *) script=$a ;;
  esac
done
echo "$*" >> "$state/sbatch.log"
if [ -n "$dep" ] && [ -e "$state/failed-$dep" ]; then
  touch "$state/failed-$id"; echo $id; exit 0   # cancelled: dependency never satisfied
fi
for i in $(seq ${array%-*} ${array#*-}); do
  log=${out//%A/$id}; log=${log//%a/$i}
  SLURM_JOB_ID=$id SLURM_ARRAY_TASK_ID=$i SLURM_CPUS_PER_TASK=$cpus bash "$script" > "$log" 2>&1 ||
    touch "$state/failed-$id"
done
echo $id
SH
printf '#!/bin/sh\nexit 0\n' > "$T/bin/squeue"
chmod +x "$T/bin/sbatch" "$T/bin/squeue"
export PATH="$T/bin:$PATH" FAKE_SLURM_STATE="$T/state"
mkdir -p "$T/state"

cd "$T"
mkdir in
for i in 0 1 2; do "$WINNOW" gen -o in/p$i.jsonl -n 200 --seed $((20 + i)) --sites 8 || fail gen; done
head -n 80 in/p0.jsonl > in/p3.jsonl
"$WINNOW" run in -o local --recipe dedup -j 2 -q || fail "local run"
same() {
  diff -r -x .work -x stats.json "$1" "$2" >/dev/null || { diff -rq -x .work "$1" "$2"; fail "$2 differs from $1"; }
}

# Groups of tasks, two at a time per element, one killed attempt retried.
WINNOW_TEST_KILL_TASK="segment_0:2:$T/killed" "$WINNOW" run in -o a --recipe dedup \
  --executor slurm --tasks 2 --cpus-per-task 2 --retries 1 --sbatch-arg=--nice=5 --wait -q \
  2> a.log ||
  { cat a.log; fail "fake slurm run"; }
same local a
[ -f killed ] || fail "kill hook did not fire"
grep -q "status 137" a/.work/tasks/segment_0-00002.failed || fail "killed attempt not recorded"
[ "$(cat a/.work/slurm/segment_0.groups)" = "$(printf '0 1\n2 3')" ] || fail "groups: $(cat a/.work/slurm/segment_0.groups)"
grep -q -- "--array=0-1 " state/sbatch.log || fail "array size"
grep -q -- "--cpus-per-task=2 .*--nice=5 " state/sbatch.log || fail "sbatch arguments"
grep -q -- "--dependency=afterok:101 --kill-on-invalid-dep=yes" state/sbatch.log || fail "dependency"
"$WINNOW" status a | grep -q '^complete' || fail "status"

# No retries left: later phases cancelled, exit 1, rerun resumes and matches.
WINNOW_TEST_KILL_TASK="finalize_0:0:$T/killed2" "$WINNOW" run in -o b --recipe dedup \
  --executor slurm --retries 0 --wait -q 2> b.log
[ $? -eq 1 ] || { cat b.log; fail "failed job did not exit 1"; }
"$WINNOW" status b > b.status
awk '$1 == "finalize_0" && $4 == 1 { ok = 1 } END { exit !ok }' b.status || { cat b.status; fail "status of failure"; }
awk '$1 == "segment_1" && $3 == 0 { ok = 1 } END { exit !ok }' b.status || { cat b.status; fail "later phase ran"; }
"$WINNOW" run in -o b --recipe dedup --executor slurm --wait -q 2> b2.log || { cat b2.log; fail "rerun"; }
grep -q "segment_0 .*Slurm job" b2.log && fail "rerun resubmitted segment_0"
same local b
echo PASS
