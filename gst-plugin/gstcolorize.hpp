// The `colorize` element: a GstVideoFilter that colorizes black-and-white video through the engine.
#pragma once

#include <gst/gst.h>
#include <gst/video/gstvideofilter.h>

G_BEGIN_DECLS

#define GST_TYPE_COLORIZE (gst_colorize_get_type())
G_DECLARE_FINAL_TYPE(GstColorize, gst_colorize, GST, COLORIZE, GstVideoFilter)

// Registers the element in `plugin` (the plugin's init function).
gboolean gst_colorize_register(GstPlugin* plugin);

// Registers a "colorize" plugin from inside this process, for applications and tests that link the
// element instead of loading libgstcolorize.so.
gboolean gst_colorize_register_static(void);

G_END_DECLS
