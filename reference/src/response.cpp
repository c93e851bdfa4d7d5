#include "drainref/response.h"

#include <unistd.h>

#include "drainref/poll.h"

namespace drainref {

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
  if (this != &o) {
    reset();
    fd_ = std::exchange(o.fd_, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() { reset(); }

void UniqueFd::reset() noexcept {
  // Only ever used for regular files and listening sockets, never for a
  // connection with unflushed output.
  if (fd_ >= 0 && ::close(std::exchange(fd_, -1)) != 0) {
    fd_ = -1;
  }
}

Body Body::text(std::string s) {
  return shared(std::make_shared<const std::string>(std::move(s)));
}

Body Body::shared(std::shared_ptr<const std::string> data) {
  Body b;
  b.kind_ = Kind::Memory;
  b.data_ = std::move(data);
  return b;
}

Body Body::file(UniqueFd fd, std::uint64_t offset, std::uint64_t length) {
  Body b;
  b.kind_ = Kind::File;
  b.file_ = std::move(fd);
  b.file_offset_ = offset;
  b.file_length_ = length;
  return b;
}

Body Body::stream(Producer next) {
  Body b;
  b.kind_ = Kind::Stream;
  b.producer_ = std::move(next);
  return b;
}

std::uint64_t Body::size() const noexcept {
  switch (kind_) {
    case Kind::Memory: return data_ ? data_->size() : 0;
    case Kind::File: return file_length_;
    case Kind::Empty:
    case Kind::Stream: return 0;
  }
  return 0;
}

Response Response::simple(int status, std::string text) {
  Response r;
  r.status = status;
  r.headers.push_back(Header{"Content-Type", "text/plain"});
  r.body = Body::text(std::move(text));
  return r;
}

const char* to_string(Poll p) noexcept {
  switch (p) {
    case Poll::Ready: return "Ready";
    case Poll::Pending: return "Pending";
    case Poll::Error: return "Error";
  }
  return "?";
}

}  // namespace drainref
