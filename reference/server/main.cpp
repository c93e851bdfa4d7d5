// drain-refserver: the reference HTTP/1.1 server. An epoll loop around
// drainref::Connection. On SIGTERM/SIGINT it stops accepting, lets every
// connection finish (and flush) the response in flight, and exits 0.
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "drainref/app.h"
#include "drainref/connection.h"
#include "drainref/net.h"

namespace {

using drainref::Connection;
using drainref::Interest;
using drainref::Poll;
using Clock = std::chrono::steady_clock;

struct Config {
  std::string tcp;
  std::string unix_path;
  std::string root;
  int sndbuf = 0;
  long idle_timeout_ms = 30000;
  long write_timeout_ms = 30000;
  long linger_timeout_ms = 2000;
  bool stats = false;
};

[[noreturn]] void usage(const char* argv0, int code) {
  std::fprintf(code == 0 ? stdout : stderr,
               "usage: %s [--tcp HOST:PORT] [--unix PATH] [--root DIR] [--sndbuf BYTES]\n"
               "          [--idle-timeout-ms MS] [--write-timeout-ms MS] [--linger-timeout-ms MS]\n"
               "          [--stats]\n"
               "Serves GET /bytes/N, /chunked/N, /health, POST /echo and files under --root.\n",
               argv0);
  std::exit(code);
}

Config parse_args(int argc, char** argv) {
  Config c;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) usage(argv[0], 2);
      return argv[++i];
    };
    if (a == "--tcp") c.tcp = next();
    else if (a == "--unix") c.unix_path = next();
    else if (a == "--root") c.root = next();
    else if (a == "--sndbuf") c.sndbuf = std::atoi(next().c_str());
    else if (a == "--idle-timeout-ms") c.idle_timeout_ms = std::atol(next().c_str());
    else if (a == "--write-timeout-ms") c.write_timeout_ms = std::atol(next().c_str());
    else if (a == "--linger-timeout-ms") c.linger_timeout_ms = std::atol(next().c_str());
    else if (a == "--stats") c.stats = true;
    else if (a == "-h" || a == "--help") usage(argv[0], 0);
    else usage(argv[0], 2);
  }
  if (c.tcp.empty() && c.unix_path.empty()) usage(argv[0], 2);
  return c;
}

std::uint32_t events_for(Interest i) {
  std::uint32_t ev = 0;
  if (i.read) ev |= EPOLLIN;
  if (i.write) ev |= EPOLLOUT;
  return ev;
}

struct Stats {
  std::uint64_t accepted = 0, clean = 0, aborted = 0, responses = 0, bytes = 0;
};

class Server {
 public:
  Server(Config cfg) : cfg_(std::move(cfg)) {
    drainref::AppOptions app;
    app.root = cfg_.root;
    handler_ = drainref::make_app(app);
    opts_.idle_timeout = std::chrono::milliseconds(cfg_.idle_timeout_ms);
    opts_.write_timeout = std::chrono::milliseconds(cfg_.write_timeout_ms);
    opts_.linger_timeout = std::chrono::milliseconds(cfg_.linger_timeout_ms);
  }

  int run() {
    epfd_ = drainref::UniqueFd(::epoll_create1(EPOLL_CLOEXEC));
    if (!epfd_.valid()) return fail("epoll_create1");
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    if (::sigprocmask(SIG_BLOCK, &mask, nullptr) != 0) return fail("sigprocmask");
    sigfd_ = drainref::UniqueFd(::signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC));
    if (!sigfd_.valid()) return fail("signalfd");
    if (!add(sigfd_.get(), EPOLLIN)) return fail("epoll_ctl");

    if (!cfg_.tcp.empty()) {
      std::uint16_t port = 0;
      listeners_.push_back(drainref::listen_tcp(cfg_.tcp, &port));
      tcp_listener_ = listeners_.back().get();
      std::printf("drain-refserver listening tcp %s:%u\n",
                  cfg_.tcp.substr(0, cfg_.tcp.rfind(':')).c_str(), port);
    }
    if (!cfg_.unix_path.empty()) {
      listeners_.push_back(drainref::listen_unix(cfg_.unix_path));
      std::printf("drain-refserver listening unix %s\n", cfg_.unix_path.c_str());
    }
    if (std::fflush(stdout) != 0) return fail("stdout");  // tests wait for the "listening" lines
    for (const auto& l : listeners_) {
      if (!add(l.get(), EPOLLIN)) return fail("epoll_ctl");
    }

    std::vector<epoll_event> events(256);
    auto last_scan = Clock::now();
    for (;;) {
      if (draining_ && conns_.empty()) break;
      const int n = ::epoll_wait(epfd_.get(), events.data(), static_cast<int>(events.size()), 50);
      if (n < 0 && errno != EINTR) return fail("epoll_wait");
      const auto now = Clock::now();
      for (int k = 0; k < n; ++k) {
        const int fd = events[static_cast<std::size_t>(k)].data.fd;
        if (fd == sigfd_.get()) {
          on_signal(now);
        } else if (is_listener(fd)) {
          accept_all(fd, now);
        } else {
          drive(fd, now);
        }
      }
      if (now - last_scan >= std::chrono::milliseconds(20)) {
        last_scan = now;
        std::vector<int> due;
        for (const auto& [fd, c] : conns_) {
          if (c.conn->deadline() <= now) due.push_back(fd);
        }
        for (const int fd : due) drive(fd, now);
      }
    }
    if (cfg_.stats) {
      rusage ru{};
      const long maxrss_kb = ::getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
      std::fprintf(stderr,
                   "drain-refserver: accepted %llu, clean %llu, aborted %llu, responses %llu, "
                   "bytes %llu, peak_rss_kb %ld\n",
                   static_cast<unsigned long long>(stats_.accepted),
                   static_cast<unsigned long long>(stats_.clean),
                   static_cast<unsigned long long>(stats_.aborted),
                   static_cast<unsigned long long>(stats_.responses),
                   static_cast<unsigned long long>(stats_.bytes), maxrss_kb);
    }
    std::fprintf(stderr, "drain-refserver: drained, exiting\n");
    return 0;
  }

 private:
  struct Entry {
    std::unique_ptr<Connection> conn;
    std::uint32_t events = 0;
  };

  int fail(const char* what) {
    std::perror(what);
    return 1;
  }

  bool add(int fd, std::uint32_t ev) {
    epoll_event e{};
    e.events = ev;
    e.data.fd = fd;
    return ::epoll_ctl(epfd_.get(), EPOLL_CTL_ADD, fd, &e) == 0;
  }

  bool is_listener(int fd) const {
    for (const auto& l : listeners_) {
      if (l.get() == fd) return true;
    }
    return false;
  }

  void accept_all(int lfd, Clock::time_point now) {
    for (;;) {
      const int fd = ::accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) std::perror("accept4");
        return;
      }
      if (cfg_.sndbuf > 0 && !drainref::set_sndbuf(fd, cfg_.sndbuf)) std::perror("SO_SNDBUF");
      if (lfd == tcp_listener_) {
        const int one = 1;
        if (::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) std::perror("TCP_NODELAY");
      }
      ++stats_.accepted;
      Entry e;
      e.conn = std::make_unique<Connection>(fd, handler_, opts_, now);
      e.events = events_for(e.conn->interest());
      if (!add(fd, e.events)) {
        std::perror("epoll_ctl add");
        continue;  // Entry destructor aborts the connection (nothing was written)
      }
      conns_.emplace(fd, std::move(e));
      drive(fd, now);  // the request may already be there
    }
  }

  void drive(int fd, Clock::time_point now) {
    const auto it = conns_.find(fd);
    if (it == conns_.end()) return;
    Connection& c = *it->second.conn;
    const Poll p = c.poll(now);
    if (p == Poll::Pending) {
      const std::uint32_t ev = events_for(c.interest());
      if (ev != it->second.events) {
        epoll_event e{};
        e.events = ev;
        e.data.fd = fd;
        if (::epoll_ctl(epfd_.get(), EPOLL_CTL_MOD, fd, &e) != 0) std::perror("epoll_ctl mod");
        it->second.events = ev;
      }
      return;
    }
    // Ready: clean end (flushed, shut down, closed). Error: aborted, closed.
    if (p == Poll::Ready) {
      ++stats_.clean;
    } else {
      ++stats_.aborted;
      if (cfg_.stats) {
        std::fprintf(stderr, "drain-refserver: connection aborted: %.*s\n",
                     static_cast<int>(c.error_reason().size()), c.error_reason().data());
      }
    }
    stats_.responses += c.responses_completed();
    stats_.bytes += c.bytes_sent();
    conns_.erase(it);  // the fd is already closed (and thus out of the epoll set)
  }

  void on_signal(Clock::time_point now) {
    signalfd_siginfo si{};
    while (::read(sigfd_.get(), &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
    }
    if (draining_) return;
    draining_ = true;
    std::fprintf(stderr, "drain-refserver: signal received, draining %zu connection(s)\n",
                 conns_.size());
    for (auto& l : listeners_) l.reset();  // closing also removes them from epoll
    if (!cfg_.unix_path.empty()) ::unlink(cfg_.unix_path.c_str());
    std::vector<int> fds;
    for (auto& [fd, e] : conns_) {
      e.conn->begin_graceful_shutdown();
      fds.push_back(fd);
    }
    for (const int fd : fds) drive(fd, now);
  }

  Config cfg_;
  drainref::Handler handler_;
  drainref::ConnectionOptions opts_;
  drainref::UniqueFd epfd_;
  drainref::UniqueFd sigfd_;
  std::vector<drainref::UniqueFd> listeners_;
  int tcp_listener_ = -1;
  std::unordered_map<int, Entry> conns_;
  bool draining_ = false;
  Stats stats_;
};

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // writev/sendfile on a reset peer: EPIPE, not a signal
  try {
    Server s(parse_args(argc, argv));
    return s.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "drain-refserver: %s\n", e.what());
    return 1;
  }
}
