// drain-refserver-twin: DELIBERATELY WRONG server for tests only. Same
// options and application as drain-refserver, but connections are driven by
// TwinConnection, whose poll_loop() discards the flush result (hyper's bug).
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "drainref/app.h"
#include "drainref/net.h"
#include "twin_connection.h"

using drainref::Poll;
using drainref::twin::TwinConnection;

namespace {

std::uint32_t events_for(const TwinConnection& c) {
  const drainref::Interest i = c.interest();
  return (i.read ? EPOLLIN : 0u) | (i.write ? EPOLLOUT : 0u);
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  std::string tcp, unix_path, root;
  int sndbuf = 0;
  for (int i = 1; i < argc; i += 2) {
    const std::string a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (v == nullptr && a != "--help") {
      std::fprintf(stderr, "missing value for %s\n", a.c_str());
      return 2;
    }
    if (a == "--tcp") tcp = v;
    else if (a == "--unix") unix_path = v;
    else if (a == "--root") root = v;
    else if (a == "--sndbuf") sndbuf = std::atoi(v);
    else if (a == "--idle-timeout-ms" || a == "--write-timeout-ms" || a == "--linger-timeout-ms") {
      // accepted for symmetry with drain-refserver; the twin has no timeouts
    } else {
      std::fprintf(stderr, "usage: %s [--tcp HOST:PORT] [--unix PATH] [--sndbuf N]\n", argv[0]);
      return 2;
    }
  }
  if (tcp.empty() && unix_path.empty()) {
    std::fprintf(stderr, "usage: %s [--tcp HOST:PORT] [--unix PATH] [--sndbuf N]\n", argv[0]);
    return 2;
  }
  drainref::AppOptions app;
  app.root = root;
  const drainref::Handler handler = drainref::make_app(app);

  try {
    drainref::UniqueFd ep(::epoll_create1(EPOLL_CLOEXEC));
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    ::sigprocmask(SIG_BLOCK, &mask, nullptr);
    drainref::UniqueFd sig(::signalfd(-1, &mask, SFD_CLOEXEC));
    std::vector<drainref::UniqueFd> listeners;
    if (!tcp.empty()) {
      std::uint16_t port = 0;
      listeners.push_back(drainref::listen_tcp(tcp, &port));
      std::printf("drain-refserver-twin listening tcp %s:%u\n", tcp.substr(0, tcp.rfind(':')).c_str(), port);
    }
    if (!unix_path.empty()) {
      listeners.push_back(drainref::listen_unix(unix_path));
      std::printf("drain-refserver-twin listening unix %s\n", unix_path.c_str());
    }
    if (std::fflush(stdout) != 0) {
      std::perror("stdout");
      return 1;
    }
    auto add = [&](int fd, std::uint32_t ev) {
      epoll_event e{};
      e.events = ev;
      e.data.fd = fd;
      ::epoll_ctl(ep.get(), EPOLL_CTL_ADD, fd, &e);
    };
    add(sig.get(), EPOLLIN);
    for (const auto& l : listeners) add(l.get(), EPOLLIN);

    std::unordered_map<int, std::unique_ptr<TwinConnection>> conns;
    auto drive = [&](int fd) {
      auto it = conns.find(fd);
      if (it == conns.end()) return;
      TwinConnection& c = *it->second;
      if (c.poll_loop() == Poll::Ready && c.is_done()) {
        c.shutdown_and_close();  // BUG: out_buf_ may still hold most of the response
        conns.erase(it);
        return;
      }
      epoll_event e{};
      e.events = events_for(c);
      e.data.fd = fd;
      ::epoll_ctl(ep.get(), EPOLL_CTL_MOD, fd, &e);
    };

    std::vector<epoll_event> events(256);
    for (;;) {
      const int n = ::epoll_wait(ep.get(), events.data(), static_cast<int>(events.size()), -1);
      for (int k = 0; k < n; ++k) {
        const int fd = events[static_cast<std::size_t>(k)].data.fd;
        if (fd == sig.get()) {
          std::fprintf(stderr, "drain-refserver-twin: signal, exiting without draining\n");
          if (!unix_path.empty()) ::unlink(unix_path.c_str());
          return 0;
        }
        bool listener = false;
        for (const auto& l : listeners) listener = listener || l.get() == fd;
        if (!listener) {
          drive(fd);
          continue;
        }
        for (;;) {
          const int cfd = ::accept4(fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (cfd < 0) break;
          if (sndbuf > 0 && !drainref::set_sndbuf(cfd, sndbuf)) std::perror("SO_SNDBUF");
          conns.emplace(cfd, std::make_unique<TwinConnection>(cfd, handler));
          add(cfd, EPOLLIN);
          drive(cfd);
        }
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "drain-refserver-twin: %s\n", e.what());
    return 1;
  }
}
