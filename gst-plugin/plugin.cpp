// libgstcolorize.so: the plugin GStreamer loads (GST_PLUGIN_PATH or its plugin directory).
#include "gst-plugin/gstcolorize.hpp"

#define PACKAGE "colorize"

GST_PLUGIN_DEFINE(GST_VERSION_MAJOR, GST_VERSION_MINOR, colorize, "Colorization of black-and-white video",
                  gst_colorize_register, COLORIZE_VERSION, "unknown", "colorize", "colorize")
