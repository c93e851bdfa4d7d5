// libFuzzer target for the request parser and the chunked decoder.
//
// Checks, besides the sanitizers' findings:
//  - parsing is independent of how the bytes arrive: a head that is Complete
//    on the whole input is Incomplete (never Error) on every strict prefix
//    that ends before the end of the head;
//  - the chunked decoder gives the same result fed at once and byte by byte;
//  - every error carries a 4xx/5xx status.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "drainref/http_parser.h"

using namespace drainref;

namespace {

[[noreturn]] void fail() { std::abort(); }

void check_head(std::string_view in) {
  ParserLimits lim;
  lim.max_head_bytes = 4096;
  lim.max_headers = 32;
  Request r;
  const ParseResult whole = parse_request_head(in, r, lim);
  if (whole.status == ParseStatus::Error && (whole.error_status < 400 || whole.error_status > 599)) fail();
  if (whole.status == ParseStatus::Complete) {
    if (whole.consumed == 0 || whole.consumed > in.size()) fail();
    if (r.target.empty() || r.target.front() != '/') fail();
    if (r.chunked && r.content_length != 0) fail();
    // every prefix that cuts the head short must ask for more bytes
    for (std::size_t n = 0; n < whole.consumed; n += 1 + n / 8) {
      Request p;
      const ParseResult part = parse_request_head(in.substr(0, n), p, lim);
      if (part.status == ParseStatus::Complete) fail();
    }
  }
}

void check_chunked(std::string_view in) {
  ChunkedDecoder a(1 << 16);
  std::string out_a;
  const auto ra = a.feed(in, out_a);
  ChunkedDecoder b(1 << 16);
  std::string out_b;
  ParseStatus sb = ParseStatus::Incomplete;
  std::size_t consumed_b = 0;
  for (std::size_t i = 0; i < in.size() && sb == ParseStatus::Incomplete; ++i) {
    const auto rb = b.feed(in.substr(i, 1), out_b);
    consumed_b += rb.consumed;
    sb = rb.status;
  }
  if (ra.status != sb) fail();
  if (ra.status != ParseStatus::Error && (out_a != out_b || ra.consumed != consumed_b)) fail();
  if (ra.status == ParseStatus::Error && ra.error_status != 400 && ra.error_status != 413) fail();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  check_head(in);
  check_chunked(in);
  return 0;
}
