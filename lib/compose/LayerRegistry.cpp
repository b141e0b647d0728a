#include "compose/LayerRegistry.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "io/LayerIO.h"

namespace usdkit {

namespace {

// Why a name found no layer file: usually there is none, but a looping
// link or a folder deserves its own words.
std::string unresolvedReason(std::string_view identifier) {
  struct stat st {};
  if (::stat(std::string(identifier).c_str(), &st) == 0)
    return S_ISDIR(st.st_mode) ? std::strerror(EISDIR) : "not a regular file";
  if (errno == ENOENT || errno == ENOTDIR) return "no such file";
  return std::strerror(errno);
}

}  // namespace

Expected<std::shared_ptr<const Layer>> LayerRegistry::open(std::string_view identifier) {
  if (identifier.empty()) return makeError("cannot open a layer with an empty asset path");
  std::optional<std::string> resolved = resolver_.resolve(identifier);
  std::string key = resolved ? *resolved : std::string(identifier);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = byResolvedPath_.find(key);
  if (it != byResolvedPath_.end()) return it->second;
  Expected<std::shared_ptr<const Layer>> result = makeError(std::string(identifier) + ": " + unresolvedReason(identifier));
  if (resolved) {
    OpenOptions options;
    options.progress = progress_;
    Expected<std::shared_ptr<Layer>> layer = openLayer(*resolved, options);
    if (layer) {
      (*layer)->setIdentifier(*resolved);
      result = std::shared_ptr<const Layer>(std::move(layer.value()));
    } else {
      result = std::move(layer).error();
    }
  }
  return byResolvedPath_.emplace(std::move(key), std::move(result)).first->second;
}

std::shared_ptr<const Layer> LayerRegistry::add(std::shared_ptr<const Layer> layer) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, inserted] = byResolvedPath_.emplace(layer->identifier(), layer);
  if (!inserted && it->second) return it->second.value();
  if (!inserted) it->second = layer;
  return layer;
}

void LayerRegistry::forget(const Layer& layer) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = byResolvedPath_.find(layer.identifier());
  if (it != byResolvedPath_.end() && it->second && it->second->get() == &layer) byResolvedPath_.erase(it);
}

std::size_t LayerRegistry::openCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return byResolvedPath_.size();
}

}  // namespace usdkit
