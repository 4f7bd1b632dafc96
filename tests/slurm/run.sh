#!/usr/bin/env bash
# A one-node Slurm cluster started here for the test (munged, slurmctld and slurmd from Debian, as root,
# with the test's own temporary key, configuration, ports and spool), on which scripts/slurm/submit.sh
# colours the sample clip as a job array of 3 pieces and a join that waits for them (afterok). The joined
# film must equal a single run's in frame count, timestamps and audio, and differ from it in colour by at
# most 1.0 in mean |ab| (scripts/ab-difference.py). A second array whose pieces fail must leave its join
# cancelled and no film written. Then colorize-train as a 2-task job (scripts/slurm/train.sbatch), its ranks
# from Slurm's variables, must train one run. Where Slurm cannot start (not root, the packages
# missing: scripts/setup-debian.sh --slurm), it says so and exits 0 as skipped; nowhere else.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
skip() { echo "tests/slurm: SKIPPED: $*"; exit 0; }
fail() { echo "tests/slurm: FAILED: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || skip "starting slurmctld, slurmd and munged needs root"
for c in munged slurmctld slurmd sbatch squeue scontrol; do
  command -v $c >/dev/null || skip "$c is not installed (scripts/setup-debian.sh --slurm installs it)"
done
colorize=$root/build/ffmpeg-tool/colorize
[ -x "$colorize" ] || fail "build the command first (scripts/build.sh)"

work=$(mktemp -d /tmp/colorize-slurm.XXXXXX)
chmod 755 "$work"
daemons=()
cleanup() {
  for pid in "${daemons[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${daemons[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
show_logs() { for f in "$work"/*.log; do echo "--- $f"; tail -n 20 "$f"; done >&2; }

# munge: a key of its own, its socket in the work folder.
mkdir -m 700 "$work/munge"
head -c 1024 /dev/urandom > "$work/munge/key"
chmod 400 "$work/munge/key"
munged --force --key-file="$work/munge/key" --socket="$work/munge/socket" --pid-file="$work/munge/pid" \
  --seed-file="$work/munge/seed" --log-file="$work/munged.log" || { show_logs; fail "munged did not start"; }
daemons+=("$(cat "$work/munge/pid")")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
host=$(hostname -s)
export SLURM_CONF=$work/slurm.conf
mkdir -p "$work/state" "$work/spool"
cat > "$SLURM_CONF" <<CONF
ClusterName=colorize-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -D -i > "$work/slurmctld.out" 2>&1 &
daemons+=($!)
slurmd -D > "$work/slurmd.out" 2>&1 &
daemons+=($!)
for _ in $(seq 60); do
  scontrol show node "$host" 2>/dev/null | grep -q "State=IDLE" && break
  sleep 1
done
scontrol show node "$host" 2>/dev/null | grep -q "State=IDLE" || { show_logs; fail "the Slurm node did not come up"; }
echo "tests/slurm: one-node Slurm up ($(sinfo --version))"

input=$root/samples/cockatoo-bw.mp4
out=$work/films
mkdir -p "$out"
export COLORIZE=$colorize
submitted=$(cd "$out" && "$root/scripts/slurm/submit.sh" --time 10 "$input" "$out/joined.mkv" 3)
echo "tests/slurm: $submitted"
join=$(sed -n 's/.*join: job \([0-9]*\).*/\1/p' <<<"$submitted")
for _ in $(seq 600); do
  state=$(scontrol show job "$join" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
  case $state in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY) break ;; esac
  sleep 1
done
[ "$state" = COMPLETED ] || { scontrol show job 2>/dev/null | grep -E "JobId|JobState" >&2; for f in "$out"/*.log; do echo "--- $f"; cat "$f"; done >&2; show_logs; fail "the join ended $state"; }
[ -f "$out/joined.mkv" ] || fail "the join completed without writing the film"
[ ! -e "$out/joined.mkv.pieces" ] || fail "the pieces were not removed after the join"

# A piece that fails (here: a model that does not exist) must keep the join from running at all.
failing=$(cd "$out" && "$root/scripts/slurm/submit.sh" --time 10 "$input" "$out/never.mkv" 2 --model no-such-model)
never=$(sed -n 's/.*join: job \([0-9]*\).*/\1/p' <<<"$failing")
for _ in $(seq 120); do
  state=$(scontrol show job "$never" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
  [ "$state" = PENDING ] || break
  sleep 1
done
[ "$state" = CANCELLED ] || fail "the join after failed pieces ended $state, not CANCELLED"
[ ! -e "$out/never.mkv" ] || fail "a film was written from failed pieces"

"$colorize" -v error -nostats -y -i "$input" -o "$out/single.mkv"
frames() { ffprobe -v error -select_streams v -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$1"; }
# Presentation and decoding times, each sorted: Matroska keeps no decoding times, and its reader's
# guesses pair them with frames by the keyframes' places, which the pieces move.
packets() { for t in pts dts; do ffprobe -v error -select_streams "$2" -show_entries packet=$t -of csv=p=0 "$1" | sort -n; done; }
audio() { ffmpeg -v error -i "$1" -map 0:a -c copy -f md5 -; }
[ "$(frames "$out/joined.mkv")" = "$(frames "$out/single.mkv")" ] || fail "frame counts differ"
cmp -s <(packets "$out/joined.mkv" v) <(packets "$out/single.mkv" v) || fail "video timestamps differ"
cmp -s <(packets "$out/joined.mkv" a) <(packets "$out/single.mkv" a) || fail "audio timestamps differ"
[ "$(audio "$out/joined.mkv")" = "$(audio "$out/single.mkv")" ] || fail "the audio differs"
difference=$("$root/scripts/ab-difference.py" "$out/joined.mkv" "$out/single.mkv")
mean=$(sed -n 's/.*mean_ab=\([0-9.]*\).*/\1/p' <<<"$difference")
awk "BEGIN{exit !($mean <= 1.0)}" || fail "colour differs from the single run's by $mean in mean |ab| (at most 1.0)"
echo "tests/slurm: the film in pieces passed: $(frames "$out/joined.mkv") frames, timestamps and audio as a single run's; $difference"

# Data-parallel training: scripts/slurm/train.sbatch on 2 tasks, ranks from Slurm's variables, one run.
trainer=$root/build/training/colorize-train
if [ -x "$trainer" ]; then
  mkdir -p "$work/photos"
  for i in 0 1 2 3; do
    ffmpeg -v error -f lavfi -i testsrc2=size=96x72 -ss "$i" -frames:v 1 "$work/photos/p$i.png"
  done
  job=$(cd "$out" && COLORIZE_TRAIN=$trainer sbatch --parsable --ntasks 2 --time 10 \
    "$root/scripts/slurm/train.sbatch" --data "$work/photos" --out "$out/run" --ngf 4 --levels 5 --ndf 8 \
    --size 32 --batch 2 --steps 6 --threads 1 --log-every 1 --val-every 3 --checkpoint-every 3)
  job=${job%%;*}
  for _ in $(seq 300); do
    state=$(scontrol show job "$job" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
    case $state in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY) break ;; esac
    sleep 1
  done
  log=$out/colorize-train-$job.log
  [ "$state" = COMPLETED ] || { cat "$log" >&2; show_logs; fail "the training job ended $state"; }
  grep -q "rank 1 of 2 (slurm)" "$log" || { cat "$log" >&2; fail "the second task did not join as rank 1"; }
  [ -f "$out/run/generator.safetensors" ] || fail "the training job wrote no generator"
  rows=$(($(wc -l < "$out/run/metrics.csv") - 1))
  [ "$rows" -eq 6 ] || fail "metrics.csv has $rows rows, not 6 (each step once)"
  echo "tests/slurm: training on 2 Slurm tasks passed: one run, 6 steps, rank 0's files"
else
  echo "tests/slurm: no build/training/colorize-train: the training job is not tried"
fi
