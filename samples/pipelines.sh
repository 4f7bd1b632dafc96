#!/usr/bin/env bash
# Example pipelines for the colorize GStreamer element, from the build tree. Usage:
#   samples/pipelines.sh file|webcam|webcam-file|live-test [MODEL]
# Installed (cmake --install build), drop GST_PLUGIN_PATH and model=: the defaults find both.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export GST_PLUGIN_PATH="$here/build/gst-plugin${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
model=${2:-$here/models/default.safetensors}
case "${1:-}" in
  file)         # file to file: the sample clip, colorized with the look-ahead smoothing, re-encoded (audio is
                # not carried by this pipeline)
    gst-launch-1.0 filesrc location="$here/samples/cockatoo-bw.mp4" ! decodebin ! videoconvert \
      ! colorize model="$model" temporal-smoothing=file ! videoconvert ! x264enc ! mp4mux ! filesink location=cockatoo-gst.mp4 ;;
  webcam)       # webcam to screen
    gst-launch-1.0 v4l2src ! videoconvert ! colorize model="$model" ! videoconvert ! autovideosink ;;
  webcam-file)  # webcam to file, 30 s (Ctrl-C ends it cleanly thanks to -e)
    gst-launch-1.0 -e v4l2src num-buffers=900 ! videoconvert ! colorize model="$model" ! videoconvert \
      ! x264enc tune=zerolatency ! mp4mux ! filesink location=webcam-colour.mp4 ;;
  live-test)    # a live source stand-in: 640x480 at 30 fps, with QoS dropping frames when the CPU is behind
    gst-launch-1.0 videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=480,framerate=30/1 \
      ! videoconvert ! video/x-raw,format=GRAY8 ! colorize model="$model" ! videoconvert ! fpsdisplaysink ;;
  *) sed -n 2,4p "$0"; exit 2 ;;
esac
