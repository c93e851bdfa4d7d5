// drain-slowreader: the seed's reproduction harness, made deterministic.
//
// Opens a batch of connections at once (default 25), asks each for a large
// body (GET /bytes/N, Connection: close), then reads slowly: a small
// SO_RCVBUF, a pause before the first read, small reads with pauses between
// rounds. Every body is checked byte for byte against the pattern, against
// Content-Length, and against the X-Checksum header. Prints, per size,
//   "25 of 25 complete"  or
//   "3 of 25 complete, 22 truncated (got 219264 of 15000000 bytes ...)".
// Exit status: with --expect complete (default), 0 only if every response of
// every size is complete; with --expect truncated, 0 only if every size saw at
// least one truncated response and none was corrupt (used against the twin:
// a harness that cannot make the twin fail proves nothing).
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "drainref/http_parser.h"
#include "drainref/net.h"
#include "drainref/pattern.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string unix_path;
  std::string tcp;
  std::vector<std::uint64_t> sizes{2000000, 3300000, 15000000};
  int batch = 25;
  int rcvbuf = 16 * 1024;
  std::size_t read_size = 16 * 1024;
  long pause_us = 200;
  long start_delay_ms = 20;
  long timeout_s = 120;
  std::string prefix = "/bytes/";
  bool expect_truncated = false;
  bool keep_alive = false;  // send no "Connection: close"; the client closes after the body
  bool verbose = false;
};

enum class Outcome { Running, Complete, Truncated, Corrupt, Failed, TimedOut };

struct Conn {
  drainref::UniqueFd fd;
  Outcome outcome = Outcome::Running;
  std::string head;
  bool head_done = false;
  int status = 0;
  std::optional<std::uint64_t> content_length;
  bool chunked = false;
  std::optional<drainref::ChunkedDecoder> decoder;
  std::string checksum_header;
  std::uint64_t got = 0;  // body bytes received
  std::optional<std::uint64_t> first_mismatch;
  drainref::Fnv1a64 fnv;
  std::string detail;
};

[[noreturn]] void usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s (--unix PATH | --tcp HOST:PORT) [--sizes N,N,...] [--batch N]\n"
               "          [--rcvbuf BYTES] [--read-size BYTES] [--pause-us US] [--start-delay-ms MS]\n"
               "          [--timeout-s S] [--path-prefix /bytes/] [--keep-alive]\n"
               "          [--expect complete|truncated] [--verbose]\n",
               argv0);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) usage(argv[0]);
      return argv[++i];
    };
    if (a == "--unix") o.unix_path = val();
    else if (a == "--tcp") o.tcp = val();
    else if (a == "--sizes") {
      o.sizes.clear();
      std::string s = val();
      for (std::size_t pos = 0; pos <= s.size();) {
        const std::size_t comma = std::min(s.find(',', pos), s.size());
        o.sizes.push_back(std::strtoull(s.substr(pos, comma - pos).c_str(), nullptr, 10));
        pos = comma + 1;
      }
    } else if (a == "--batch") o.batch = std::atoi(val().c_str());
    else if (a == "--rcvbuf") o.rcvbuf = std::atoi(val().c_str());
    else if (a == "--read-size") o.read_size = std::strtoull(val().c_str(), nullptr, 10);
    else if (a == "--pause-us") o.pause_us = std::atol(val().c_str());
    else if (a == "--start-delay-ms") o.start_delay_ms = std::atol(val().c_str());
    else if (a == "--timeout-s") o.timeout_s = std::atol(val().c_str());
    else if (a == "--path-prefix") o.prefix = val();
    else if (a == "--keep-alive") o.keep_alive = true;
    else if (a == "--verbose") o.verbose = true;
    else if (a == "--expect") {
      const std::string e = val();
      if (e == "truncated") o.expect_truncated = true;
      else if (e != "complete") usage(argv[0]);
    } else usage(argv[0]);
  }
  if (o.unix_path.empty() == o.tcp.empty() || o.batch <= 0 || o.read_size == 0 || o.sizes.empty()) {
    usage(argv[0]);
  }
  return o;
}

void verify(Conn& c, const char* p, std::size_t n) {
  for (std::size_t k = 0; k < n && !c.first_mismatch; ++k) {
    if (static_cast<std::uint8_t>(p[k]) != drainref::pattern_byte(c.got + k)) c.first_mismatch = c.got + k;
  }
  c.fnv.update(p, n);
  c.got += n;
}

void on_body(Conn& c, const char* p, std::size_t n) {
  if (!c.chunked) {
    verify(c, p, n);
    return;
  }
  std::string out;
  const auto r = c.decoder->feed(std::string_view(p, n), out);
  verify(c, out.data(), out.size());
  if (r.status == drainref::ParseStatus::Error) {
    c.outcome = Outcome::Corrupt;
    c.detail = "bad chunked framing";
  } else if (r.status == drainref::ParseStatus::Complete) {
    c.content_length = c.got;  // the terminating chunk was seen
  }
}

void on_head(Conn& c) {
  const std::size_t end = c.head.find("\r\n\r\n");
  const std::string rest = c.head.substr(end + 4);
  c.head.resize(end + 4);
  c.head_done = true;
  if (c.head.rfind("HTTP/1.1 ", 0) != 0 || c.head.size() < 12) {
    c.outcome = Outcome::Failed;
    c.detail = "not an HTTP/1.1 response";
    return;
  }
  c.status = std::atoi(c.head.c_str() + 9);
  // Parse header lines (case-insensitive names).
  std::size_t pos = c.head.find("\r\n") + 2;
  while (pos < end) {
    const std::size_t eol = c.head.find("\r\n", pos);
    const std::string line = c.head.substr(pos, eol - pos);
    pos = eol + 2;
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string name = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    if (drainref::iequals(name, "content-length")) c.content_length = std::strtoull(value.c_str(), nullptr, 10);
    if (drainref::iequals(name, "x-checksum")) c.checksum_header = value;
    if (drainref::iequals(name, "transfer-encoding") && drainref::iequals(value, "chunked")) {
      c.chunked = true;
      c.decoder.emplace(~std::uint64_t{0} >> 4);
    }
  }
  if (c.status != 200) {
    c.outcome = Outcome::Failed;
    c.detail = "status " + std::to_string(c.status);
    return;
  }
  if (!rest.empty()) on_body(c, rest.data(), rest.size());
}

void finish(Conn& c, std::uint64_t expected, bool eof) {
  if (c.outcome != Outcome::Running) return;
  if (!c.head_done) {
    c.outcome = Outcome::Truncated;
    c.detail = eof ? "connection ended before the response head" : "no response head";
    return;
  }
  const std::uint64_t want = c.content_length.value_or(expected);
  if (c.first_mismatch) {
    c.outcome = Outcome::Corrupt;
    c.detail = "first wrong byte at offset " + std::to_string(*c.first_mismatch);
  } else if (c.got < want || (c.chunked && !c.content_length)) {
    c.outcome = Outcome::Truncated;
  } else if (c.got > want) {
    c.outcome = Outcome::Corrupt;
    c.detail = "more bytes than Content-Length";
  } else if (c.got != expected) {
    c.outcome = Outcome::Corrupt;
    c.detail = "Content-Length " + std::to_string(want) + " for a request of " + std::to_string(expected);
  } else if (!c.checksum_header.empty() && c.checksum_header != c.fnv.hex()) {
    c.outcome = Outcome::Corrupt;
    c.detail = "X-Checksum " + c.checksum_header + " but body hashes to " + c.fnv.hex();
  } else if (c.checksum_header.empty()) {
    c.outcome = Outcome::Corrupt;
    c.detail = "no X-Checksum header";
  } else {
    c.outcome = Outcome::Complete;
  }
}

struct Summary {
  int complete = 0, truncated = 0, corrupt = 0, failed = 0, timed_out = 0;
};

Summary run_batch(const Options& o, std::uint64_t size) {
  const auto t0 = Clock::now();
  std::vector<Conn> conns(static_cast<std::size_t>(o.batch));
  const std::string req = "GET " + o.prefix + std::to_string(size) + " HTTP/1.1\r\nHost: localhost\r\n" +
                          (o.keep_alive ? "" : "Connection: close\r\n") + "\r\n";
  for (Conn& c : conns) {
    c.fd = o.unix_path.empty() ? drainref::connect_tcp(o.tcp) : drainref::connect_unix(o.unix_path);
    if (!c.fd.valid()) {
      c.outcome = Outcome::Failed;
      c.detail = std::string("connect: ") + std::strerror(errno);
      continue;
    }
    if (o.rcvbuf > 0 && !drainref::set_rcvbuf(c.fd.get(), o.rcvbuf)) std::perror("SO_RCVBUF");
    const ssize_t n = ::send(c.fd.get(), req.data(), req.size(), MSG_NOSIGNAL);
    if (n != static_cast<ssize_t>(req.size())) {  // a blocking send of a short request: all or error
      c.outcome = Outcome::Failed;
      c.detail = std::string("send: ") + (n < 0 ? std::strerror(errno) : "short write");
      continue;
    }
    if (!drainref::set_nonblocking(c.fd.get(), true)) {
      c.outcome = Outcome::Failed;
      c.detail = "fcntl";
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(o.start_delay_ms));
  const auto deadline = t0 + std::chrono::seconds(o.timeout_s);
  std::vector<char> buf(o.read_size);
  for (;;) {
    int running = 0;
    bool any_data = false;
    for (Conn& c : conns) {
      if (c.outcome != Outcome::Running) continue;
      const ssize_t n = ::recv(c.fd.get(), buf.data(), buf.size(), 0);
      if (n > 0) {
        any_data = true;
        const auto len = static_cast<std::size_t>(n);
        if (c.head_done) {
          on_body(c, buf.data(), len);
        } else {
          c.head.append(buf.data(), len);
          if (c.head.find("\r\n\r\n") != std::string::npos) {
            on_head(c);
          } else if (c.head.size() > 64 * 1024) {
            c.outcome = Outcome::Failed;
            c.detail = "response head too large";
          }
        }
        if (c.outcome == Outcome::Running && c.head_done && c.content_length && c.got >= *c.content_length &&
            o.keep_alive) {
          finish(c, size, false);  // keep-alive: the body is delimited, do not wait for EOF
        }
      } else if (n == 0) {
        finish(c, size, true);
      } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        finish(c, size, true);  // reset: whatever we have decides
        if (c.outcome == Outcome::Complete && o.verbose) std::fprintf(stderr, "(reset after a complete body)\n");
      }
      if (c.outcome == Outcome::Running) ++running;
    }
    if (running == 0) break;
    if (Clock::now() > deadline) {
      for (Conn& c : conns) {
        if (c.outcome == Outcome::Running) c.outcome = Outcome::TimedOut;
      }
      break;
    }
    if (o.pause_us > 0) {
      std::this_thread::sleep_for(std::chrono::microseconds(o.pause_us));
    } else if (!any_data) {
      std::vector<pollfd> pfds;
      for (Conn& c : conns) {
        if (c.outcome == Outcome::Running) pfds.push_back(pollfd{c.fd.get(), POLLIN, 0});
      }
      if (::poll(pfds.data(), pfds.size(), 100) < 0 && errno != EINTR) std::perror("poll");
    }
  }

  Summary s;
  std::uint64_t tmin = ~std::uint64_t{0}, tmax = 0;
  std::string corrupt_detail, failed_detail;
  for (const Conn& c : conns) {
    switch (c.outcome) {
      case Outcome::Complete: ++s.complete; break;
      case Outcome::Truncated:
        ++s.truncated;
        tmin = std::min(tmin, c.got);
        tmax = std::max(tmax, c.got);
        break;
      case Outcome::Corrupt: ++s.corrupt; corrupt_detail = c.detail; break;
      case Outcome::Failed: ++s.failed; failed_detail = c.detail; break;
      case Outcome::TimedOut: ++s.timed_out; break;
      case Outcome::Running: break;
    }
  }
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("size %llu: %d of %d complete", static_cast<unsigned long long>(size), s.complete, o.batch);
  if (s.truncated > 0) {
    std::printf(", %d truncated (got %llu of %llu bytes", s.truncated, static_cast<unsigned long long>(tmax),
                static_cast<unsigned long long>(size));
    if (tmin != tmax) std::printf("; min %llu", static_cast<unsigned long long>(tmin));
    std::printf(")");
  }
  if (s.corrupt > 0) std::printf(", %d corrupt (%s)", s.corrupt, corrupt_detail.c_str());
  if (s.failed > 0) std::printf(", %d failed (%s)", s.failed, failed_detail.c_str());
  if (s.timed_out > 0) std::printf(", %d timed out", s.timed_out);
  std::printf(" [%.2f s]\n", secs);
  if (std::fflush(stdout) != 0) std::perror("stdout");
  return s;
}

}  // namespace

// Helper modes for the shell tests: "--hash FILE" prints the FNV-1a 64 hex of
// a file; "--pattern N" writes the N-byte pattern to stdout.
int helper_mode(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--hash") {
    std::FILE* f = std::fopen(argv[2], "rb");
    if (f == nullptr) {
      std::perror(argv[2]);
      return 1;
    }
    drainref::Fnv1a64 h;
    char buf[1 << 16];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) h.update(buf, n);
    const bool read_error = std::ferror(f) != 0;
    if (std::fclose(f) != 0 || read_error) {
      std::perror(argv[2]);
      return 1;
    }
    std::printf("%s\n", h.hex().c_str());
    return 0;
  }
  if (argc == 3 && std::string(argv[1]) == "--pattern") {
    const std::uint64_t n = std::strtoull(argv[2], nullptr, 10);
    char buf[1 << 16];
    for (std::uint64_t pos = 0; pos < n;) {
      const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(sizeof buf, n - pos));
      drainref::fill_pattern(buf, take, pos);
      if (std::fwrite(buf, 1, take, stdout) != take) return 1;
      pos += take;
    }
    return std::fflush(stdout) == 0 ? 0 : 1;
  }
  return -1;
}

int main(int argc, char** argv) {
  if (const int rc = helper_mode(argc, argv); rc >= 0) return rc;
  const Options o = parse(argc, argv);
  bool all_complete = true;
  bool every_size_truncated = true;
  bool any_corrupt = false;
  for (const std::uint64_t size : o.sizes) {
    const Summary s = run_batch(o, size);
    all_complete = all_complete && s.complete == o.batch;
    every_size_truncated = every_size_truncated && s.truncated > 0;
    any_corrupt = any_corrupt || s.corrupt > 0;
  }
  if (o.expect_truncated) {
    const bool ok = every_size_truncated && !any_corrupt;
    std::printf("RESULT: %s (expected truncation: %s)\n", ok ? "PASS" : "FAIL",
                ok ? "the server lost response bytes, as the twin must" : "no truncation was provoked");
    return ok ? 0 : 1;
  }
  std::printf("RESULT: %s\n", all_complete ? "PASS (every body complete and byte-exact)" : "FAIL");
  return all_complete ? 0 : 1;
}
