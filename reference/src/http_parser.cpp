// Incremental HTTP/1.1 request head parser and chunked body decoder.
#include "drainref/http_parser.h"

#include <algorithm>
#include <cstring>

namespace drainref {
namespace {

bool is_tchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool is_ows(char c) { return c == ' ' || c == '\t'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

ParseResult error(int status, const char* why) {
  ParseResult r;
  r.status = ParseStatus::Error;
  r.error_status = status;
  r.error_reason = why;
  return r;
}

// Calls fn(token) for each comma-separated, trimmed, non-empty list element.
template <typename Fn>
void for_each_token(std::string_view list, Fn fn) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view item = trim(list.substr(0, comma));
    if (!item.empty()) fn(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

bool parse_request_line(std::string_view line, Request& out, ParseResult& err) {
  const std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0) {
    err = error(400, "malformed request line");
    return false;
  }
  const std::string_view method = line.substr(0, sp1);
  for (const char c : method) {
    if (!is_tchar(static_cast<unsigned char>(c))) {
      err = error(400, "invalid method token");
      return false;
    }
  }
  const std::string_view rest = line.substr(sp1 + 1);
  const std::size_t sp2 = rest.find(' ');
  if (sp2 == std::string_view::npos || sp2 == 0) {
    err = error(400, "malformed request line");
    return false;
  }
  const std::string_view target = rest.substr(0, sp2);
  for (const char c : target) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) {
      err = error(400, "invalid request target");
      return false;
    }
  }
  if (target.front() != '/') {
    err = error(400, "only origin-form request targets are accepted");
    return false;
  }
  const std::string_view version = rest.substr(sp2 + 1);
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' ||
      version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9') {
    err = error(400, "malformed HTTP version");
    return false;
  }
  if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) {
    err = error(505, "unsupported HTTP version");
    return false;
  }
  out.version_minor = version[7] - '0';
  out.method_text.assign(method);
  out.target.assign(target);
  if (method == "GET") {
    out.method = Method::Get;
  } else if (method == "HEAD") {
    out.method = Method::Head;
  } else if (method == "POST") {
    out.method = Method::Post;
  } else {
    out.method = Method::Other;
  }
  return true;
}

bool parse_header_line(std::string_view line, Request& out, ParseResult& err) {
  if (is_ows(line.front())) {
    err = error(400, "obsolete line folding");
    return false;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    err = error(400, "malformed header line");
    return false;
  }
  const std::string_view name = line.substr(0, colon);
  for (const char c : name) {
    if (!is_tchar(static_cast<unsigned char>(c))) {
      err = error(400, "invalid header name");
      return false;
    }
  }
  const std::string_view value = trim(line.substr(colon + 1));
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && u != '\t') || u == 0x7f) {
      err = error(400, "control character in header value");
      return false;
    }
  }
  out.headers.push_back(Header{std::string(name), std::string(value)});
  return true;
}

// Applies the framing and connection rules of RFC 9112 to a parsed head.
bool check_semantics(Request& req, const ParserLimits& limits, ParseResult& err) {
  int host_count = 0;
  bool have_cl = false;
  std::uint64_t cl = 0;
  bool have_te = false;
  std::vector<std::string_view> codings;
  bool conn_close = false;
  bool conn_keep_alive = false;
  for (const Header& h : req.headers) {
    if (iequals(h.name, "host")) {
      ++host_count;
    } else if (iequals(h.name, "content-length")) {
      const std::string_view v = h.value;
      if (v.empty() || v.size() > 18 ||
          !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        err = error(400, "invalid Content-Length");
        return false;
      }
      std::uint64_t n = 0;
      for (const char c : v) n = n * 10 + static_cast<std::uint64_t>(c - '0');
      if (have_cl && n != cl) {
        err = error(400, "conflicting Content-Length headers");
        return false;
      }
      have_cl = true;
      cl = n;
    } else if (iequals(h.name, "transfer-encoding")) {
      have_te = true;
      for_each_token(h.value, [&](std::string_view t) { codings.push_back(t); });
    } else if (iequals(h.name, "connection")) {
      for_each_token(h.value, [&](std::string_view t) {
        if (iequals(t, "close")) conn_close = true;
        if (iequals(t, "keep-alive")) conn_keep_alive = true;
      });
    }
  }
  if (req.version_minor == 1 && host_count != 1) {
    err = error(400, host_count == 0 ? "missing Host header" : "duplicate Host header");
    return false;
  }
  if (host_count > 1) {
    err = error(400, "duplicate Host header");
    return false;
  }
  if (have_te) {
    if (have_cl) {
      err = error(400, "both Content-Length and Transfer-Encoding");
      return false;
    }
    if (req.version_minor == 0) {
      err = error(400, "Transfer-Encoding in an HTTP/1.0 request");
      return false;
    }
    if (codings.empty() || !iequals(codings.back(), "chunked")) {
      // chunked must be the final coding; a request body we cannot delimit is a 400
      const bool has_chunked = std::any_of(codings.begin(), codings.end(),
                                           [](std::string_view t) { return iequals(t, "chunked"); });
      err = has_chunked || codings.empty() ? error(400, "chunked is not the final transfer coding")
                                           : error(501, "unsupported transfer coding");
      return false;
    }
    if (codings.size() != 1) {
      err = error(501, "unsupported transfer coding");
      return false;
    }
    req.chunked = true;
  } else if (have_cl) {
    if (cl > limits.max_body_bytes) {
      err = error(413, "request body too large");
      return false;
    }
    req.content_length = cl;
  }
  req.keep_alive = req.version_minor == 1 ? !conn_close : (conn_keep_alive && !conn_close);
  if (req.method == Method::Other) {
    err = error(501, "method not implemented");
    return false;
  }
  return true;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const Header& h : headers) {
    if (iequals(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

ParseResult parse_request_head(std::string_view buf, Request& out, const ParserLimits& limits) {
  out = Request{};
  std::size_t pos = 0;
  // RFC 9112 2.2: a server SHOULD ignore at least one empty line before the request line.
  for (int i = 0; i < 4 && buf.substr(pos, 2) == "\r\n"; ++i) pos += 2;
  const std::size_t start = pos;
  bool have_request_line = false;
  for (;;) {
    const std::size_t nl = buf.find('\n', pos);
    if (nl == std::string_view::npos) {
      if (buf.size() - start > limits.max_head_bytes) return error(431, "request head too large");
      return ParseResult{};  // Incomplete
    }
    if (nl + 1 - start > limits.max_head_bytes) return error(431, "request head too large");
    if (nl == pos || buf[nl - 1] != '\r') return error(400, "bare LF in request head");
    const std::string_view line = buf.substr(pos, nl - 1 - pos);
    pos = nl + 1;
    ParseResult err;
    if (!have_request_line) {
      if (line.empty()) return error(400, "empty request line");
      if (!parse_request_line(line, out, err)) return err;
      have_request_line = true;
      continue;
    }
    if (line.empty()) break;  // end of head
    if (out.headers.size() >= limits.max_headers) return error(431, "too many header fields");
    if (!parse_header_line(line, out, err)) return err;
  }
  ParseResult err;
  if (!check_semantics(out, limits, err)) return err;
  ParseResult ok;
  ok.status = ParseStatus::Complete;
  ok.consumed = pos;
  return ok;
}

ChunkedDecoder::Result ChunkedDecoder::feed(std::string_view in, std::string& out) {
  Result r;
  std::size_t i = 0;
  auto fail = [&](int status) {
    r.status = ParseStatus::Error;
    r.error_status = status;
    r.consumed = i;
    return r;
  };
  while (i < in.size()) {
    if (st_ == St::Done) break;
    if (st_ == St::Data) {
      const std::size_t n = static_cast<std::size_t>(
          std::min<std::uint64_t>(remaining_, static_cast<std::uint64_t>(in.size() - i)));
      out.append(in.data() + i, n);
      i += n;
      remaining_ -= n;
      if (remaining_ == 0) st_ = St::DataCr;
      continue;
    }
    const char c = in[i++];
    switch (st_) {
      case St::Size: {
        int digit = -1;
        if (c >= '0' && c <= '9') digit = c - '0';
        if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
        if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
        if (digit >= 0) {
          if (++size_digits_ > 15) return fail(400);
          remaining_ = remaining_ * 16 + static_cast<std::uint64_t>(digit);
        } else if (size_digits_ > 0 && c == ';') {
          st_ = St::Ext;
          trailer_line_ = 0;
        } else if (size_digits_ > 0 && c == '\r') {
          st_ = St::SizeLf;
        } else {
          return fail(400);
        }
        break;
      }
      case St::Ext:
        if (c == '\r') {
          st_ = St::SizeLf;
        } else if (c == '\n' || ++trailer_line_ > 4096) {
          return fail(400);
        }
        break;
      case St::SizeLf:
        if (c != '\n') return fail(400);
        size_digits_ = 0;
        trailer_line_ = 0;
        if (remaining_ == 0) {
          st_ = St::Trailer;
        } else {
          if (remaining_ > max_body_ - total_) return fail(413);
          total_ += remaining_;
          st_ = St::Data;
        }
        break;
      case St::DataCr:
        if (c != '\r') return fail(400);
        st_ = St::DataLf;
        break;
      case St::DataLf:
        if (c != '\n') return fail(400);
        st_ = St::Size;
        break;
      case St::Trailer:
        if (c == '\r') {
          st_ = St::TrailerLf;
        } else if (c == '\n' || ++trailer_bytes_ > 16 * 1024) {
          return fail(400);
        } else {
          ++trailer_line_;
        }
        break;
      case St::TrailerLf:
        if (c != '\n') return fail(400);
        if (trailer_line_ == 0) {
          st_ = St::Done;
        } else {
          trailer_line_ = 0;
          st_ = St::Trailer;
        }
        break;
      case St::Data:
      case St::Done:
        break;
    }
  }
  r.consumed = i;
  r.status = st_ == St::Done ? ParseStatus::Complete : ParseStatus::Incomplete;
  return r;
}

const char* reason_phrase(int status) noexcept {
  switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

}  // namespace drainref
