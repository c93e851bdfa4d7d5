// libFuzzer target for the whole connection: the input is sent, in pieces,
// from the client end of a socketpair(AF_UNIX) to a drainref::Connection
// (server SO_SNDBUF 4 KB, so flushes go Pending all the time). The client
// reads everything, then half-closes. Checked invariants:
//  - the write side is never shut down while output is still buffered;
//  - once the client has sent its EOF and keeps reading, the connection ends
//    cleanly (Poll::Ready), never with an error and never hangs.
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "drainref/app.h"
#include "drainref/connection.h"
#include "drainref/net.h"

using namespace drainref;

namespace {

[[noreturn]] void fail() { std::abort(); }

const Handler& app() {
  static const Handler h = [] {
    AppOptions o;
    o.max_synthetic = 64 * 1024;  // keep each input fast
    o.stream_chunk = 1000;
    return make_app(o);
  }();
  return h;
}

void drain_client(int fd) {
  char buf[65536];
  while (::recv(fd, buf, sizeof buf, 0) > 0) {
  }
}

void check(const Connection& c) {
  if (c.write_shut_down() && c.buffered_bytes() != 0) fail();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool once = [] {
    std::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)once;
  if (size == 0) return 0;
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return 0;
  UniqueFd client(sv[1]);
  if (!set_sndbuf(sv[0], 4096) || !set_nonblocking(client.get(), true)) {
    ::close(sv[0]);
    return 0;
  }
  const auto now = Connection::Clock::now();
  Connection conn(sv[0], app(), ConnectionOptions{}, now);
  const std::size_t piece = 1 + data[0] % 64;
  std::size_t pos = 1;
  Poll p = Poll::Pending;
  for (int guard = 0; pos < size && guard < 100000 && p == Poll::Pending; ++guard) {
    const std::size_t n = std::min(piece, size - pos);
    const ssize_t sent = ::send(client.get(), data + pos, n, MSG_NOSIGNAL);
    if (sent > 0) pos += static_cast<std::size_t>(sent);
    p = conn.poll(now);
    check(conn);
    drain_client(client.get());
  }
  if (p == Poll::Error) fail();
  if (::shutdown(client.get(), SHUT_WR) != 0) fail();
  for (int guard = 0; guard < 100000 && p == Poll::Pending; ++guard) {
    p = conn.poll(now);
    check(conn);
    drain_client(client.get());
  }
  if (p != Poll::Ready) fail();  // hung or aborted although the client behaved
  return 0;
}
