#!/usr/bin/env bash
# The colorize element on a live source for a long time: does its memory stay flat, does it keep the
# rate? bench/soak.sh [SECONDS] [WIDTHxHEIGHT] [FPS] [ELEMENT PROPERTIES...] (defaults 3600, 320x240, 15)
# runs videotestsrc is-live=true -> GRAY8 -> colorize -> identity -> fakesink (sync=true, QoS on) and
# samples every 10 s the process's resident memory (VmRSS), the frames that left the element (identity's
# per-buffer message) and the QoS messages (frames dropped for lateness). The log grows by about 400
# bytes a frame (20 MB an hour at 15 frames/s). Writes
# out/soak/soak.csv and prints a summary: RSS after the first minute, at the end and at most, the
# growth per hour after the first minute, frames rendered and dropped, the average rate.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3600}
size=${2:-320x240}
fps=${3:-15}
shift $(($# < 3 ? $# : 3))
width=${size%x*}
height=${size#*x}
export GST_PLUGIN_PATH=$PWD/build/gst-plugin
[ -f build/gst-plugin/libgstcolorize.so ] || { echo "soak: build the element first (scripts/build.sh)" >&2; exit 1; }
out=out/soak
mkdir -p "$out"
log=$out/gst.log
csv=$out/soak.csv

# -e: SIGINT sends EOS, so the pipeline ends as a user's would. -m prints the bus's messages (QoS among
# them); -v with identity silent=false prints one line per buffer that left the element.
gst-launch-1.0 -e -m -v videotestsrc is-live=true pattern=ball \
  ! "video/x-raw,width=$width,height=$height,framerate=$fps/1" ! videoconvert ! video/x-raw,format=GRAY8 \
  ! colorize model=default "$@" ! identity name=counted silent=false ! videoconvert ! fakesink sync=true \
  > "$log" 2>&1 &
pid=$!
trap 'kill -INT $pid 2>/dev/null || true' EXIT
echo "seconds,rss_mb,rendered,dropped" > "$csv"
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  sleep 10
  now=$(($(date +%s) - start))
  rss=$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status" 2>/dev/null || echo "")
  rendered=$(grep -c 'counted: last-message = chain' "$log" || true)
  dropped=$(grep -c '(qos)' "$log" || true)
  [ -n "$rss" ] && echo "$now,$rss,$rendered,$dropped" >> "$csv"
  [ "$now" -ge "$seconds" ] && break
done
kill -INT "$pid" 2>/dev/null || true
wait "$pid" || true
trap - EXIT
grep -q "^ERROR" "$log" && { grep "^ERROR" "$log" | head -5 >&2; echo "soak: the pipeline failed ($log)" >&2; exit 1; }

/usr/bin/python3 - "$csv" "$fps" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["rendered"]]
if len(rows) < 2:
    sys.exit("soak: too few samples")
t = [float(r["seconds"]) for r in rows]
rss = [float(r["rss_mb"]) for r in rows]
after_minute = [(a, b) for a, b in zip(t, rss) if a >= 60] or list(zip(t, rss))
t0, r0 = after_minute[0]
t1, r1 = after_minute[-1]
growth = (r1 - r0) / max(t1 - t0, 1) * 3600
last = rows[-1]
rendered, dropped = int(last["rendered"]), int(last["dropped"])
print(f"soak: {t[-1]:.0f} s at {sys.argv[2]} frames/s: RSS {r0:.1f} MB after the first minute, "
      f"{r1:.1f} MB at the end, {max(rss):.1f} MB at most ({growth:+.1f} MB per hour after the first "
      f"minute); {rendered} frames rendered, {dropped} dropped by QoS, {rendered / t[-1]:.2f} frames/s")
PY
