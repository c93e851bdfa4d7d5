// drainref/http_parser.h - incremental HTTP/1.1 request parser (no I/O).
//
// The parser is pure: it looks at bytes already read and either finds a
// complete request head, asks for more bytes, or reports the status code the
// connection must answer with before closing (400, 431, 501, 505).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace drainref {

enum class Method : std::uint8_t { Get, Head, Post, Other };

struct Header {
  std::string name;   // as received
  std::string value;  // leading/trailing whitespace removed
};

struct Request {
  Method method = Method::Other;
  std::string method_text;
  std::string target;
  int version_minor = 1;  // HTTP/1.<minor>; only 0 and 1 are accepted
  std::vector<Header> headers;
  // Framing of the request body, decided by the parser.
  bool chunked = false;
  std::uint64_t content_length = 0;  // meaningful when !chunked
  bool keep_alive = true;            // from version + Connection header
  std::string body;                  // filled by the connection

  // Case-insensitive lookup of the first header with this name.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
};

struct ParserLimits {
  std::size_t max_head_bytes = 16 * 1024;  // request line + headers
  std::size_t max_headers = 100;
  std::uint64_t max_body_bytes = 1024 * 1024;
};

enum class [[nodiscard]] ParseStatus : std::uint8_t { Complete, Incomplete, Error };

struct ParseResult {
  ParseStatus status = ParseStatus::Incomplete;
  std::size_t consumed = 0;  // bytes of the head (Complete only)
  int error_status = 0;      // HTTP status to answer with (Error only)
  const char* error_reason = "";
};

// Parses a request head from the start of `buf`. On Complete, `out` holds the
// request and `consumed` is the length of the head including the empty line.
[[nodiscard]] ParseResult parse_request_head(std::string_view buf, Request& out,
                                             const ParserLimits& limits = {});

// Decoder for a chunked request body ("1a;ext\r\n<data>\r\n0\r\n\r\n").
class ChunkedDecoder {
 public:
  struct Result {
    ParseStatus status = ParseStatus::Incomplete;  // Complete: last chunk + trailers seen
    std::size_t consumed = 0;                      // bytes of `in` used
    int error_status = 0;
  };
  explicit ChunkedDecoder(std::uint64_t max_body = 1024 * 1024) : max_body_(max_body) {}
  // Feeds bytes; decoded data is appended to `out`.
  [[nodiscard]] Result feed(std::string_view in, std::string& out);

 private:
  enum class St : std::uint8_t { Size, Ext, SizeLf, Data, DataCr, DataLf, Trailer, TrailerLf, Done };
  St st_ = St::Size;
  std::uint64_t remaining_ = 0;
  std::uint64_t total_ = 0;
  std::uint64_t max_body_;
  int size_digits_ = 0;
  std::size_t trailer_line_ = 0;   // length of the current trailer line
  std::size_t trailer_bytes_ = 0;  // all trailer bytes, bounded
};

const char* reason_phrase(int status) noexcept;
bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace drainref
