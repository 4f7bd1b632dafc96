#!/usr/bin/env bash
# Colours a long film on a Slurm cluster: a job array of N pieces, then a join that runs once every piece
# has succeeded (afterok). Prints the two job ids.
#   scripts/slurm/submit.sh [--partition P] [--gpus-per-task G] [--time T] [--cpus-per-task C]
#                           [--max-parallel M] INPUT OUTPUT N [COLORIZE OPTIONS...]
# --gpus-per-task G gives each piece G GPUs (add --device cuda to the colorize options); --time is each
# piece's limit (a piece over it is lost alone: run submit.sh again, finished pieces are kept);
# --max-parallel M runs at most M pieces at once (--array=1-N%M). The colorize command is $COLORIZE, else
# the one on PATH, as the nodes see it. Paths are made absolute: the jobs may start elsewhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
common=() array_extra=() max_parallel=
while [ $# -gt 0 ]; do
  case $1 in
    --partition) common+=(--partition "$2"); shift 2 ;;
    --time) array_extra+=(--time "$2"); shift 2 ;;
    --gpus-per-task) array_extra+=(--gpus-per-task "$2"); shift 2 ;;
    --cpus-per-task) array_extra+=(--cpus-per-task "$2"); shift 2 ;;
    --max-parallel) max_parallel=$2; shift 2 ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) echo "submit.sh: unknown option '$1'" >&2; usage ;;
    *) break ;;
  esac
done
[ $# -ge 3 ] || usage
input=$(realpath -m "$1") output=$(realpath -m "$2") pieces=$3
shift 3
[[ $pieces =~ ^[1-9][0-9]*$ ]] || { echo "submit.sh: N must be a positive number, not '$pieces'" >&2; exit 2; }
[ -e "$input" ] || { echo "submit.sh: no input '$input'" >&2; exit 1; }
command -v sbatch >/dev/null || { echo "submit.sh: sbatch not found: is this a Slurm login node?" >&2; exit 1; }
range=1-$pieces${max_parallel:+%$max_parallel}
array=$(sbatch --parsable "${common[@]}" "${array_extra[@]}" --array="$range" \
  "$here/piece.sbatch" "$input" "$output" "$pieces" "$@")
array=${array%%;*}
join=$(sbatch --parsable "${common[@]}" --dependency=afterok:"$array" --kill-on-invalid-dep=yes \
  "$here/join.sbatch" "$input" "$output" "$pieces" "$@")
join=${join%%;*}
echo "pieces: job array $array (1-$pieces); join: job $join, after every piece succeeded"
