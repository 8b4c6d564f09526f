#!/usr/bin/env bash
# A one-node Slurm cluster on this machine (Debian's slurm-wlm and munge), for trying the sharded sweep through sbatch.
# Run as root. Rerunnable: it rewrites the configuration, stops the daemons it started before (by their pid files)
# and starts them again, so it also brings the cluster back after the machine's processes were killed.
#
#   slurm/start-local-cluster.sh            # install if missing, configure, start; prints sinfo
#   slurm/start-local-cluster.sh --stop     # stop the daemons this script started
set -euo pipefail

RUN=/run/rwkv-slurm                 # pid files of the daemons started here
SPOOL=/var/spool/rwkv-slurm         # controller state and node spool
LOGS=/var/log/rwkv-slurm
CONF=/etc/slurm/slurm.conf
NODE=$(hostname -s)

[ "$(id -u)" = 0 ] || { echo "start-local-cluster.sh: run as root (it starts munged, slurmctld and slurmd)" >&2; exit 2; }

stop_pid() {                        # stop one daemon by its pid file, if that process is still the daemon named
    local file=$1 name=$2
    [ -f "$file" ] || return 0
    local pid; pid=$(cat "$file")
    if [ -n "$pid" ] && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "$name" ]; then
        kill "$pid"
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$file"
}

stop_all() {
    stop_pid "$RUN/slurmd.pid" slurmd
    stop_pid "$RUN/slurmctld.pid" slurmctld
    stop_pid /run/munge/munged.pid munged
}

if [ "${1:-}" = "--stop" ]; then stop_all; echo "stopped"; exit 0; fi

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge
fi

stop_all
mkdir -p "$RUN" "$SPOOL/ctld" "$SPOOL/d" "$LOGS" /run/munge
chown munge:munge /run/munge
chmod 0755 /run/munge
[ -s /etc/munge/munge.key ] || mungekey --create --force
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
runuser -u munge -- munged --pid-file=/run/munge/munged.pid
for _ in $(seq 50); do munge -n >/dev/null 2>&1 && break; sleep 0.1; done
munge -n | unmunge >/dev/null || { echo "start-local-cluster.sh: munge does not answer" >&2; exit 1; }

CPUS=$(nproc)
MEM_MB=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
# Without systemd or cgroup delegation here, processes are tracked through /proc and tasks are not confined.
cat > "$CONF" <<CONF
# written by slurm/start-local-cluster.sh
ClusterName=rwkv-local
SlurmctldHost=$NODE
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=2048
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd.pid
StateSaveLocation=$SPOOL/ctld
SlurmdSpoolDir=$SPOOL/d
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
NodeName=$NODE CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=local Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF

slurmctld
slurmd
for _ in $(seq 100); do
    state=$(sinfo -h -N -o %t 2>/dev/null || true)
    case "$state" in idle*|mix*|alloc*) break ;; esac
    sleep 0.2
done
# a node that went down with the previous session comes back
scontrol update NodeName="$NODE" State=RESUME >/dev/null 2>&1 || true
sinfo
