// What a caller attaches to a frame it sends to the engine and gets back with the finished frame: its
// output buffer, the input's timestamps, an index. Any movable type, move-only ones included (FFmpeg
// frames, GStreamer buffers), so that a front end keeps no queue of its own beside the engine's: as
// FFmpeg's DNN interface pairs each input frame with its output frame.
#pragma once

#include <memory>
#include <stdexcept>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace colorize::engine {

class FrameTag {
 public:
  FrameTag() = default;
  template <class T, class = std::enable_if_t<!std::is_same_v<std::decay_t<T>, FrameTag>>>
  FrameTag(T&& value)  // NOLINT(google-explicit-constructor): a tag is made where a frame is sent
      : holder_(std::make_unique<Holder<std::decay_t<T>>>(std::forward<T>(value))) {}

  bool has_value() const { return holder_ != nullptr; }
  template <class T>
  bool holds() const {
    return holder_ && holder_->type() == typeid(T);
  }
  // The value, which must be a T (std::logic_error otherwise: a caller mixed up its own tags).
  template <class T>
  T& get() {
    if (!holds<T>()) throw std::logic_error("FrameTag: the frame's tag is not of the type asked for");
    return static_cast<Holder<T>&>(*holder_).value;
  }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual const std::type_info& type() const = 0;
  };
  template <class T>
  struct Holder final : Base {
    template <class U>
    explicit Holder(U&& v) : value(std::forward<U>(v)) {}
    const std::type_info& type() const override { return typeid(T); }
    T value;
  };
  std::unique_ptr<Base> holder_;
};

}  // namespace colorize::engine
