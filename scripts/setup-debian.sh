#!/usr/bin/env bash
# Installs every Debian 12 package colorize needs to build, test and run. Idempotent: apt-get skips
# what is already installed, so running it twice costs a few seconds.
# --bench adds the Python peer's packages for bench/compare.sh (python3-torch, python3-opencv);
# --training adds what scripts/fetch-training-data.sh needs beyond them (python3-pyqt5: Qt's reader of
# gcompris-qt-data's resource archives).
# --slurm adds a one-node Slurm's daemons and clients for tests/slurm/run.sh (slurmctld, slurmd,
# slurm-client, munge; their services are not started: the test starts its own).
set -euo pipefail

die() { echo "setup-debian: $*" >&2; exit 1; }

command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script needs Debian 12 (or a derivative)."
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else die "run as root (or install sudo)."; fi
else
  SUDO=
fi

packages=(
  # toolchain
  build-essential cmake pkg-config clang-format
  # clang and its libFuzzer runtime for the fuzz targets (scripts/fuzz.sh)
  clang libclang-rt-14-dev
  # LibTorch (CPU) and the BLAS that makes its convolutions ~9x faster than the reference BLAS
  libtorch-dev libopenblas0-openmp
  # Gloo's headers: LibTorch's c10d process groups for data-parallel training (colorize-train on N ranks)
  libgloo-dev
  # FFmpeg libraries for the CLI and the trainer, and the ffmpeg tools for tests and samples
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libavdevice-dev ffmpeg
  # GStreamer for the element and its tests
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev gstreamer1.0-tools
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-libav
  # OpenCV's video module: DIS optical flow for temporal smoothing (core and imgproc come with it)
  libopencv-video-dev
  # command-line parsing, JSON (model-file headers), tests and benchmarks
  libboost-program-options-dev nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev
  # test-data generation (reference tables) and training plots with Debian's own Python, not a user's pyenv
  python3 python3-numpy python3-pil python3-skimage python3-matplotlib
)
for option in "$@"; do
  case $option in
    --bench) packages+=(python3-torch python3-opencv) ;;
    --training) packages+=(python3-pyqt5) ;;
    --slurm) packages+=(slurmctld slurmd slurm-client munge) ;;
    *) die "unknown argument '$option' (the options are --bench, --training and --slurm)" ;;
  esac
done

export DEBIAN_FRONTEND=noninteractive
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-debian: all ${#packages[@]} packages already installed."
  exit 0
fi
echo "setup-debian: installing ${#missing[@]} packages: ${missing[*]}"
$SUDO apt-get update -qq || die "apt-get update failed: is the Debian archive reachable?"
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
  die "apt-get install failed (see the messages above)."
echo "setup-debian: done."
