// The generator's shape as model files describe it. Free of LibTorch, so that the engine's public
// header (which reports it) compiles without torch headers.
#pragma once

#include <string>

namespace colorize::model {

// How the decoder doubles the resolution at each level.
enum class Upsampling {
  // pix2pix's ConvTranspose2d(kernel 4, stride 2): each output pixel's row and column parity picks one of
  // four sub-kernels. Nothing keeps the four alike, and across the levels their differences multiply
  // into a lattice of period 2^k; trained as a cGAN, the default models painted saturated specks on
  // it in flat areas (docs/quality.md).
  Transposed,
  // Nearest-neighbour x2, then a 3x3 convolution: every output pixel sees the same kernel, so no
  // lattice (Odena, Dumoulin and Olah, "Deconvolution and Checkerboard Artifacts", 2016). 9/4 the
  // multiply-adds of the transposed convolution per level.
  Resize,
};

struct GeneratorConfig {
  int ngf = 64;             // filters in the outermost layer; doubles per level up to 8 * ngf
  int levels = 8;           // down-sampling steps; 8 is pix2pix's unet_256
  int input_channels = 1;   // L / 50 - 1
  int output_channels = 2;  // ab / 110 (tanh)
  Upsampling upsampling = Upsampling::Transposed;
};

// "transposed" or "resize": the model files' and colorize-train's names.
const char* upsampling_name(Upsampling u);
// Throws std::invalid_argument for another name.
Upsampling upsampling_named(const std::string& name);

}  // namespace colorize::model
