#include "drainref/app.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <charconv>
#include <map>
#include <memory>
#include <string_view>
#include <utility>

#include "drainref/pattern.h"

namespace drainref {
namespace {

struct Generated {
  std::shared_ptr<const std::string> body;
  std::string checksum;
};

class App {
 public:
  explicit App(AppOptions o) : opt_(std::move(o)) {}

  Response handle(const Request& req) {
    std::string_view path = req.target;
    if (const auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
    if (req.method == Method::Post) {
      if (path != "/echo") return Response::simple(404, "not found\n");
      Response r;
      r.headers.push_back(Header{"X-Checksum", fnv1a64_hex(req.body)});
      r.body = Body::text(req.body);
      return r;
    }
    if (path == "/health") return Response::simple(200, "ok\n");
    if (path.rfind("/bytes/", 0) == 0) {
      std::uint64_t n = 0;
      if (!parse_size(path.substr(7), n)) return Response::simple(400, "bad size\n");
      const Generated& g = generate(n);
      Response r;
      r.headers.push_back(Header{"Content-Type", "application/octet-stream"});
      r.headers.push_back(Header{"X-Checksum", g.checksum});
      r.body = Body::shared(g.body);
      return r;
    }
    if (path.rfind("/chunked/", 0) == 0) {
      std::uint64_t n = 0;
      if (!parse_size(path.substr(9), n)) return Response::simple(400, "bad size\n");
      Response r;
      r.headers.push_back(Header{"Content-Type", "application/octet-stream"});
      r.headers.push_back(Header{"X-Checksum", checksum_of(n)});
      auto pos = std::make_shared<std::uint64_t>(0);
      const std::size_t chunk = opt_.stream_chunk;
      r.body = Body::stream([n, pos, chunk](std::string& out) {
        const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(chunk, n - *pos));
        out.resize(take);
        fill_pattern(out.data(), take, *pos);
        *pos += take;
        return *pos < n;
      });
      return r;
    }
    return serve_file(path);
  }

 private:
  bool parse_size(std::string_view s, std::uint64_t& n) const {
    const auto res = std::from_chars(s.data(), s.data() + s.size(), n);
    return res.ec == std::errc() && res.ptr == s.data() + s.size() && n <= opt_.max_synthetic;
  }

  static std::string checksum_of(std::uint64_t n) {
    Fnv1a64 f;
    char buf[16 * 1024];
    for (std::uint64_t pos = 0; pos < n;) {
      const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(sizeof buf, n - pos));
      fill_pattern(buf, take, pos);
      f.update(buf, take);
      pos += take;
    }
    return f.hex();
  }

  const Generated& generate(std::uint64_t n) {
    if (auto it = cache_.find(n); it != cache_.end()) return it->second;
    if (cached_ + n > opt_.cache_bytes) {  // simple bound: start over
      cache_.clear();
      cached_ = 0;
    }
    auto body = std::make_shared<std::string>(static_cast<std::size_t>(n), '\0');
    fill_pattern(body->data(), body->size(), 0);
    Generated g{std::move(body), {}};
    g.checksum = fnv1a64_hex(*g.body);
    cached_ += n;
    return cache_.emplace(n, std::move(g)).first->second;
  }

  Response serve_file(std::string_view path) {
    if (opt_.root.empty()) return Response::simple(404, "not found\n");
    // Reject any ".." segment; no percent-decoding is done.
    std::string_view rest = path;
    while (!rest.empty()) {
      rest.remove_prefix(1);
      const auto slash = rest.find('/');
      const std::string_view seg = rest.substr(0, slash);
      if (seg == "..") return Response::simple(403, "forbidden\n");
      if (slash == std::string_view::npos) break;
      rest = rest.substr(slash);
    }
    const std::string full = opt_.root + std::string(path);
    UniqueFd fd(::open(full.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return Response::simple(404, "not found\n");
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
      return Response::simple(404, "not found\n");
    }
    Response r;
    r.headers.push_back(Header{"Content-Type", "application/octet-stream"});
    r.body = Body::file(std::move(fd), 0, static_cast<std::uint64_t>(st.st_size));
    return r;
  }

  AppOptions opt_;
  std::map<std::uint64_t, Generated> cache_;
  std::uint64_t cached_ = 0;
};

}  // namespace

Handler make_app(AppOptions options) {
  auto app = std::make_shared<App>(std::move(options));
  return [app](const Request& req) { return app->handle(req); };
}

}  // namespace drainref
