// drainref/response.h - what a handler answers with.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "drainref/http_parser.h"

namespace drainref {

// Owns a file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();
  [[nodiscard]] int get() const noexcept { return fd_; }
  [[nodiscard]] bool valid() const noexcept { return fd_ >= 0; }
  void reset() noexcept;

 private:
  int fd_ = -1;
};

// A response body. Large bodies are never copied into the connection's write
// buffer: memory bodies are sent with writev straight from their storage and
// files with sendfile.
class Body {
 public:
  enum class Kind : std::uint8_t { Empty, Memory, File, Stream };
  // Stream producer: appends the next piece to `chunk` and returns true, or
  // returns false at the end of the body (`chunk` may then hold a last
  // piece). Returning true with an empty chunk is an error (the connection
  // aborts). Sent with chunked encoding (HTTP/1.1) or close-delimited.
  using Producer = std::function<bool(std::string& chunk)>;

  Body() = default;
  static Body text(std::string s);
  static Body shared(std::shared_ptr<const std::string> data);
  static Body file(UniqueFd fd, std::uint64_t offset, std::uint64_t length);
  static Body stream(Producer next);

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  // Length when known (all kinds but Stream).
  [[nodiscard]] std::uint64_t size() const noexcept;
  // The bytes of a Memory body (null for other kinds).
  [[nodiscard]] const std::shared_ptr<const std::string>& memory() const noexcept { return data_; }

 private:
  friend class Connection;
  Kind kind_ = Kind::Empty;
  std::shared_ptr<const std::string> data_;  // Memory
  UniqueFd file_;                            // File
  std::uint64_t file_offset_ = 0;
  std::uint64_t file_length_ = 0;
  Producer producer_;  // Stream
};

struct Response {
  int status = 200;
  // Extra header fields. Content-Length, Transfer-Encoding and Connection are
  // written by the connection from the body and the connection state.
  std::vector<Header> headers;
  Body body;

  static Response simple(int status, std::string text);
};

using Handler = std::function<Response(const Request&)>;

}  // namespace drainref
