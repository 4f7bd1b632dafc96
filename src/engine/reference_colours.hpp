// A colourist's reference frames carried through their shots. Each reference is a colour picture of one
// frame (painted by hand, or a photograph of the same scene); its a*b* are carried forward and backward
// along the motion (DIS optical flow on L*, as temporal smoothing does) through the frame's shot, never
// across a scene cut, and handed to the engine as a ColourGuide per frame. A pixel keeps the reference's
// colour while the motion explains it; where the moved lightness stops matching (occlusions, things
// entering the picture) its weight falls and the network's prediction takes over. Between two references
// of one shot, each frame takes both, weighted by their distance in time.
//
// Two readings of the input: the first (add(), finish()) finds the shots and builds every frame's guide;
// the second (guide()) hands them out while the frames are coloured. The guides wait in a temporary file
// (about 3 bytes a pixel at the network's size: 260 KB a frame at render size 256, 16:9), and only frames
// between a shot's start or last reference and a reference still to come are held in memory (about 1.4
// MB a frame there). Needs OpenCV's video module, as temporal smoothing does.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "color/frame_view.hpp"
#include "engine/colour_guide.hpp"

namespace colorize::engine {

struct Reference {
  // The frame it belongs to: the first frame at or after seconds - tolerance (the constructor's), or the
  // frame with this number (0: the first frame added).
  std::optional<double> seconds;
  std::optional<long> frame;
  std::string label;       // how messages name it: "12.5 s (coat.png)"
  color::FrameView image;  // any size, host memory, copied by the constructor
};

struct ReferenceOptions {
  int render_size = 256;  // as the Colorizer's: guides are made at the network's size
  // Half a frame's duration: a reference given by time belongs to the first frame at or after
  // seconds - tolerance (the frame shown at that time, for times taken from the frames themselves).
  double tolerance_seconds = 0.02;
  // A pixel keeps its weight while the moved frame's L* matches within match_tolerance (a 5x5 mean of
  // the error), and loses it as exp(-(excess / match_sigma)^2) beyond, per frame carried: a reference is
  // worth carrying through the small errors of noise and flow, which would otherwise compound frame
  // after frame, but not into what the motion does not explain.
  float match_tolerance = 6.0f;
  float match_sigma = 6.0f;
  float cut_threshold = 14.0f;  // mean L* error of the moved frame that marks a scene cut
  // A reference whose lightness correlates less than this with its frame's (both at a coarse size, so
  // a photograph taken a little to the side still passes) is another picture: it is left out.
  float min_correlation = 0.5f;
};

class ReferenceColours {
 public:
  // Throws std::invalid_argument in a build without OpenCV's video module, or for a reference with
  // neither time nor frame number, or an image the colour code cannot read.
  ReferenceColours(const std::vector<Reference>& references, const ReferenceOptions& options = {});
  ~ReferenceColours();
  ReferenceColours(const ReferenceColours&) = delete;
  ReferenceColours& operator=(const ReferenceColours&) = delete;

  // First reading: every frame of the input, in order, with its time in seconds (host memory, any
  // format the colour code reads).
  void add(const color::FrameView& frame, double seconds);
  // End of the first reading: the last shot is finished; references no frame matched are warned about.
  void finish();

  // Second reading: the guide of frame number `index` (in the order add() saw them), or null when no
  // reference reaches it. Only after finish().
  std::shared_ptr<const ColourGuide> guide(long index) const;

  // What the first reading found wrong (references left out, and why), one message each, for the user.
  const std::vector<std::string>& warnings() const;
  int references_used() const;
  long frames_guided() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace colorize::engine
