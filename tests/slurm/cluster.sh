#!/bin/bash
# A throwaway single-node Slurm for this host, for tests and benchmarks:
# munged with a fresh key, slurmctld and slurmd with a generated slurm.conf
# (proctrack/linuxproc, task/none, select/cons_tres, one CPU per core), all
# state under a temporary directory $T, stopped again on exit.
#
# Source it from bash after setting WINNOW (the binary) and defining
# skip() and fail(); it sets T and SLURM_CONF and installs an EXIT trap.
# KEEP_TMP=1 keeps $T.
[ "$(id -u)" -eq 0 ] || skip "needs root (slurmd runs jobs as root here)"
for b in munged munge slurmctld slurmd sbatch squeue scontrol sinfo; do
  command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] ||
    skip "$b not installed (Debian: slurm-wlm, munge)"
done
export PATH="$PATH:/usr/sbin"
[ -x "$WINNOW" ] || fail "winnow binary not found: $WINNOW"
WINNOW=$(readlink -f "$WINNOW")

T=$(mktemp -d /tmp/winnow-slurm.XXXXXX)
chmod 755 "$T"
cleanup() {
  if [ -f "$T/slurm.conf" ]; then
    SLURM_CONF="$T/slurm.conf" scontrol shutdown >/dev/null 2>&1
    for f in "$T/slurmctld.pid" "$T/slurmd.pid"; do
      [ -f "$f" ] || continue
      pid=$(cat "$f")
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    done
  fi
  [ -f "$T/munge/munged.pid" ] && kill "$(cat "$T/munge/munged.pid")" 2>/dev/null
  if [ "${KEEP_TMP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT

# --- munge -----------------------------------------------------------------
mkdir -p "$T/munge" && chmod 700 "$T/munge"
head -c 1024 /dev/urandom > "$T/munge/munge.key" && chmod 400 "$T/munge/munge.key"
munged --force --socket="$T/munge/sock" --key-file="$T/munge/munge.key" \
  --log-file="$T/munge/munged.log" --pid-file="$T/munge/munged.pid" \
  --seed-file="$T/munge/munged.seed" || skip "munged does not start here"
chmod 755 "$T/munge"

# --- slurm -----------------------------------------------------------------
HOST=$(hostname -s)
PORT=$((20000 + RANDOM % 20000))
mkdir -p "$T/state" "$T/spool" "$T/log"
cat > "$T/slurm.conf" <<CONF
ClusterName=winnowtest
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge/sock
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MailProg=/bin/true
MinJobAge=60
NodeName=$HOST CPUs=$(nproc) State=UNKNOWN
PartitionName=winnow Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$T/slurm.conf"
slurmctld -i || skip "slurmctld does not start (see $T/log/slurmctld.log)"
slurmd || skip "slurmd does not start (see $T/log/slurmd.log)"
up=0
for _ in $(seq 100); do
  if sinfo -h -o %t 2>/dev/null | grep -q idle; then up=1; break; fi
  sleep 0.2
done
[ $up = 1 ] || { tail -20 "$T/log/slurmctld.log" "$T/log/slurmd.log"; fail "the Slurm node did not come up"; }
echo "slurm up on $HOST:$PORT"

