// State machine tests of drainref::Connection over socketpair(AF_UNIX) with a
// small send buffer, so that "the kernel did not take everything" happens in
// every test that sends a large body. Time is simulated: poll(now) is given
// explicit time points, so timeouts are deterministic.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "drainref/app.h"
#include "drainref/connection.h"
#include "drainref/net.h"
#include "drainref/pattern.h"

using namespace drainref;
using namespace std::chrono_literals;
using Clock = Connection::Clock;

namespace {

struct ParsedResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::size_t consumed = 0;
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Parses one response from the front of `data`. Returns false if incomplete.
bool parse_response(const std::string& data, bool head_request, ParsedResponse& out) {
  const std::size_t end = data.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  out = ParsedResponse{};
  out.status = std::atoi(data.c_str() + 9);
  std::size_t pos = data.find("\r\n") + 2;
  while (pos < end) {
    const std::size_t eol = data.find("\r\n", pos);
    const std::string line = data.substr(pos, eol - pos);
    const std::size_t colon = line.find(':');
    out.headers[lower(line.substr(0, colon))] = line.substr(colon + 2);
    pos = eol + 2;
  }
  pos = end + 4;
  if (head_request || out.status == 100) {
    out.consumed = pos;
    return true;
  }
  if (out.headers.count("transfer-encoding")) {
    ChunkedDecoder d(~0ull >> 4);
    const auto r = d.feed(std::string_view(data).substr(pos), out.body);
    if (r.status != ParseStatus::Complete) return false;
    out.consumed = pos + r.consumed;
    return true;
  }
  const std::size_t len = std::strtoull(out.headers["content-length"].c_str(), nullptr, 10);
  if (data.size() - pos < len) return false;
  out.body = data.substr(pos, len);
  out.consumed = pos + len;
  return true;
}

bool is_pattern(const std::string& body) {
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (static_cast<std::uint8_t>(body[i]) != pattern_byte(i)) return false;
  }
  return true;
}

class ConnTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::signal(SIGPIPE, SIG_IGN);
    int sv[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    server_fd_ = sv[0];
    client_ = UniqueFd(sv[1]);
    ASSERT_TRUE(set_sndbuf(server_fd_, 4096));
    ASSERT_TRUE(set_nonblocking(client_.get(), true));
    opts_.idle_timeout = 5s;
    opts_.write_timeout = 2s;
    opts_.linger_timeout = 1s;
  }

  void make(Handler h = make_app({})) {
    conn_ = std::make_unique<Connection>(server_fd_, std::move(h), opts_, now_);
  }

  void send(const std::string& s) {
    ASSERT_EQ(::send(client_.get(), s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size()));
  }

  // Reads up to `max` bytes that are available on the client side. Sets eof_.
  std::size_t recv_some(std::size_t max = 1 << 20) {
    char buf[65536];
    std::size_t total = 0;
    while (total < max) {
      const ssize_t n = ::recv(client_.get(), buf, std::min(sizeof buf, max - total), 0);
      if (n > 0) {
        received_.append(buf, static_cast<std::size_t>(n));
        total += static_cast<std::size_t>(n);
        continue;
      }
      if (n == 0) eof_ = true;
      if (n < 0 && errno != EAGAIN) reset_ = true;
      break;
    }
    return total;
  }

  // Alternates poll() and client reads until the connection ends or `rounds`
  // rounds made no progress. Returns the last poll result.
  Poll pump(int rounds = 10000, std::size_t read_per_round = 1 << 20) {
    Poll p = Poll::Pending;
    int idle = 0;
    while (idle < 3 && rounds-- > 0) {
      p = conn_->poll(now_);
      if (p != Poll::Pending) {
        recv_some();
        return p;
      }
      const std::size_t n = recv_some(read_per_round);
      idle = n == 0 ? idle + 1 : 0;
    }
    return p;
  }

  ParsedResponse next_response(bool head = false) {
    ParsedResponse r;
    EXPECT_TRUE(parse_response(received_, head, r)) << "no complete response in " << received_.size() << " bytes";
    received_.erase(0, r.consumed);
    return r;
  }

  int server_fd_ = -1;
  UniqueFd client_;
  ConnectionOptions opts_;
  Clock::time_point now_ = Clock::now();
  std::unique_ptr<Connection> conn_;
  std::string received_;
  bool eof_ = false;
  bool reset_ = false;
};

const char* kGet = "GET /bytes/10 HTTP/1.1\r\nHost: x\r\n\r\n";

}  // namespace

TEST_F(ConnTest, KeepAliveGetStaysOpen) {
  make();
  send(kGet);
  EXPECT_EQ(pump(), Poll::Pending);
  ParsedResponse r = next_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.size(), 10u);
  EXPECT_TRUE(is_pattern(r.body));
  EXPECT_EQ(r.headers["x-checksum"], fnv1a64_hex(r.body));
  EXPECT_EQ(r.headers.count("connection"), 0u);
  EXPECT_EQ(conn_->state(), ConnState::ReadHead);
  EXPECT_EQ(conn_->responses_completed(), 1u);
  EXPECT_TRUE(conn_->interest().read);
  EXPECT_FALSE(conn_->interest().write);
  EXPECT_FALSE(eof_);
  // a second request on the same connection
  send(kGet);
  EXPECT_EQ(pump(), Poll::Pending);
  EXPECT_EQ(next_response().status, 200);
  EXPECT_EQ(conn_->responses_completed(), 2u);
}

TEST_F(ConnTest, ConnectionCloseShutsDownAfterFlushThenLingers) {
  make();
  send("GET /bytes/100 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(pump(), Poll::Pending);  // lingering: waits for the client's EOF
  EXPECT_EQ(conn_->state(), ConnState::Linger);
  EXPECT_TRUE(conn_->write_shut_down());
  EXPECT_TRUE(eof_);
  ParsedResponse r = next_response();
  EXPECT_EQ(r.headers["connection"], "close");
  EXPECT_EQ(r.body.size(), 100u);
  ASSERT_EQ(::shutdown(client_.get(), SHUT_WR), 0);
  EXPECT_EQ(conn_->poll(now_), Poll::Ready);
  EXPECT_EQ(conn_->state(), ConnState::Closed);
  EXPECT_EQ(conn_->fd(), -1);
}

// The seed's bug, from the reference's side: a body far larger than the
// socket buffer, a reader that has not read yet. The connection must wait.
TEST_F(ConnTest, LargeBodyPendingFlushNeverShutsDown) {
  make();
  send("GET /bytes/2000000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(conn_->poll(now_), Poll::Pending);
  EXPECT_GT(conn_->buffered_bytes(), 1000000u);
  EXPECT_FALSE(conn_->write_shut_down());
  EXPECT_TRUE(conn_->interest().write);
  EXPECT_FALSE(conn_->interest().read);
  // Polling again without the reader reading changes nothing.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(conn_->poll(now_), Poll::Pending);
  EXPECT_FALSE(conn_->write_shut_down());
  // A slow reader: small reads; the connection must not shut down before
  // every byte is out.
  while (!eof_) {
    const Poll p = conn_->poll(now_);
    ASSERT_NE(p, Poll::Error) << conn_->error_reason();
    if (conn_->write_shut_down()) {
      EXPECT_EQ(conn_->buffered_bytes(), 0u);
    }
    recv_some(3000);
  }
  ParsedResponse r = next_response();
  EXPECT_EQ(r.body.size(), 2000000u);
  EXPECT_TRUE(is_pattern(r.body));
  EXPECT_EQ(r.headers["x-checksum"], fnv1a64_hex(r.body));
}

TEST_F(ConnTest, PollShutdownFlushesFirstAndReturnsPendingWhileBuffered) {
  make();
  send("GET /bytes/300000 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(conn_->poll(now_), Poll::Pending);
  ASSERT_GT(conn_->buffered_bytes(), 0u);
  EXPECT_EQ(conn_->poll_shutdown(), Poll::Pending);
  EXPECT_FALSE(conn_->write_shut_down());
  Poll s = Poll::Pending;
  while (s == Poll::Pending) {
    recv_some(8192);
    s = conn_->poll_shutdown();
  }
  EXPECT_EQ(s, Poll::Ready);
  EXPECT_TRUE(conn_->write_shut_down());
  EXPECT_EQ(conn_->buffered_bytes(), 0u);
  while (!eof_) recv_some();
  EXPECT_EQ(next_response().body.size(), 300000u);
  EXPECT_EQ(conn_->poll_flush(), Poll::Ready);
}

TEST_F(ConnTest, PollFlushReportsPendingThenReady) {
  make();
  send("GET /bytes/100000 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(conn_->poll_read(), Poll::Ready);  // parsed and dispatched
  EXPECT_EQ(conn_->state(), ConnState::Respond);
  EXPECT_EQ(conn_->poll_write(), Poll::Ready);
  EXPECT_EQ(conn_->poll_flush(), Poll::Pending);
  const std::uint64_t before = conn_->buffered_bytes();
  recv_some(4096);
  EXPECT_EQ(conn_->poll_flush(), Poll::Pending);
  EXPECT_LT(conn_->buffered_bytes(), before);
  Poll f = Poll::Pending;
  while (f == Poll::Pending) {
    recv_some();
    f = conn_->poll_flush();
  }
  EXPECT_EQ(f, Poll::Ready);
  EXPECT_EQ(conn_->buffered_bytes(), 0u);
}

TEST_F(ConnTest, PipelinedRequestsAnsweredInOrder) {
  make();
  send(std::string("GET /bytes/5 HTTP/1.1\r\nHost: x\r\n\r\n") +
       "HEAD /bytes/70000 HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /bytes/70000 HTTP/1.1\r\nHost: x\r\n\r\n" +
       "GET /chunked/1000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(pump(), Poll::Pending);
  EXPECT_TRUE(eof_);
  EXPECT_EQ(next_response().body.size(), 5u);
  ParsedResponse head = next_response(true);
  EXPECT_EQ(head.headers["content-length"], "70000");
  ParsedResponse big = next_response();
  EXPECT_EQ(big.body.size(), 70000u);
  EXPECT_TRUE(is_pattern(big.body));
  ParsedResponse ch = next_response();
  EXPECT_EQ(ch.headers["transfer-encoding"], "chunked");
  EXPECT_EQ(ch.body.size(), 1000u);
  EXPECT_TRUE(received_.empty());
  EXPECT_EQ(conn_->responses_completed(), 4u);
}

TEST_F(ConnTest, ChunkedResponse) {
  make();
  send("GET /chunked/200000 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(pump(10000, 5000), Poll::Pending);
  ParsedResponse r = next_response();
  EXPECT_EQ(r.headers["transfer-encoding"], "chunked");
  EXPECT_EQ(r.headers.count("content-length"), 0u);
  EXPECT_EQ(r.body.size(), 200000u);
  EXPECT_TRUE(is_pattern(r.body));
  EXPECT_EQ(r.headers["x-checksum"], fnv1a64_hex(r.body));
  EXPECT_EQ(conn_->state(), ConnState::ReadHead);
}

TEST_F(ConnTest, ChunkedResponseToHttp10IsCloseDelimited) {
  make();
  send("GET /chunked/3000 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(pump(), Poll::Pending);
  EXPECT_TRUE(eof_);
  const std::size_t end = received_.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(received_.find("Transfer-Encoding"), std::string::npos);
  EXPECT_NE(received_.find("Connection: close"), std::string::npos);
  EXPECT_EQ(received_.size() - end - 4, 3000u);
}

TEST_F(ConnTest, HeadSendsHeadersOnly) {
  make();
  send("HEAD /bytes/50000 HTTP/1.1\r\nHost: x\r\n\r\nGET /bytes/3 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(pump(), Poll::Pending);
  ParsedResponse h = next_response(true);
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.headers["content-length"], "50000");
  ParsedResponse g = next_response();  // would be garbage if HEAD had sent a body
  EXPECT_EQ(g.status, 200);
  EXPECT_EQ(g.body.size(), 3u);
  EXPECT_TRUE(received_.empty());
}

TEST_F(ConnTest, Http10KeepAliveRules) {
  make();
  send("GET /bytes/4 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(pump(), Poll::Pending);
  ParsedResponse r = next_response();
  EXPECT_EQ(r.headers["connection"], "keep-alive");
  EXPECT_EQ(conn_->state(), ConnState::ReadHead);
  send("GET /bytes/4 HTTP/1.0\r\n\r\n");
  EXPECT_EQ(pump(), Poll::Pending);
  EXPECT_EQ(next_response().headers["connection"], "close");
  EXPECT_TRUE(eof_);
}

namespace {
struct ErrorCase {
  const char* request;
  int status;
};
}  // namespace

class ConnErrorTest : public ConnTest, public ::testing::WithParamInterface<ErrorCase> {};

TEST_P(ConnErrorTest, AnswersThenClosesCleanly) {
  make();
  // the garbage after the bad request must be discarded, not answered, and
  // must not turn the close into a reset
  send(std::string(GetParam().request) + "GET /bytes/1 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(pump(), Poll::Pending);
  EXPECT_EQ(conn_->state(), ConnState::Linger);
  EXPECT_TRUE(eof_);
  EXPECT_FALSE(reset_);
  ParsedResponse r = next_response();
  EXPECT_EQ(r.status, GetParam().status);
  EXPECT_EQ(r.headers["connection"], "close");
  EXPECT_TRUE(received_.empty()) << "a second response was sent";
  send(std::string(100000, 'x'));  // more input while lingering is read and dropped
  EXPECT_EQ(conn_->poll(now_), Poll::Pending);
  ASSERT_EQ(::shutdown(client_.get(), SHUT_WR), 0);
  EXPECT_EQ(conn_->poll(now_), Poll::Ready);
}

INSTANTIATE_TEST_SUITE_P(
    Errors, ConnErrorTest,
    ::testing::Values(ErrorCase{"GET / HTTP/1.1\nHost: x\r\n\r\n", 400},
                      ErrorCase{"GET / HTTP/1.1\r\n\r\n", 400},
                      ErrorCase{"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n",
                                400},
                      ErrorCase{"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
                                400},
                      ErrorCase{"PUT / HTTP/1.1\r\nHost: x\r\n\r\n", 501},
                      ErrorCase{"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505},
                      ErrorCase{"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n", 400}));

TEST_F(ConnTest, OversizedHead431) {
  make();
  send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a'));
  EXPECT_EQ(pump(), Poll::Pending);
  EXPECT_EQ(next_response().status, 431);
  EXPECT_TRUE(eof_);
  EXPECT_EQ(conn_->state(), ConnState::Linger);
}

TEST_F(ConnTest, RequestBodiesContentLengthAndChunked) {
  make();
  send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello");
  EXPECT_EQ(pump(), Poll::Pending);
  EXPECT_EQ(conn_->state(), ConnState::ReadBody);
  send(" world");
  send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(pump(), Poll::Pending);
  ParsedResponse a = next_response();
  EXPECT_EQ(a.body, "hello world");
  EXPECT_EQ(a.headers["x-checksum"], fnv1a64_hex("hello world"));
  EXPECT_EQ(next_response().body, "abc");
}

TEST_F(ConnTest, Expect100Continue) {
  make();
  send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(pump(), Poll::Pending);
  EXPECT_EQ(next_response().status, 100);
  send("ok");
  EXPECT_EQ(pump(), Poll::Pending);
  EXPECT_EQ(next_response().body, "ok");
}

TEST_F(ConnTest, PeerHalfCloseAfterRequestGetsWholeResponse) {
  make();
  send("GET /bytes/500000 HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(::shutdown(client_.get(), SHUT_WR), 0);
  Poll p = Poll::Pending;
  while (p == Poll::Pending) {
    p = conn_->poll(now_);
    recv_some(7000);
  }
  EXPECT_EQ(p, Poll::Ready) << conn_->error_reason();
  while (!eof_) recv_some();
  ParsedResponse r = next_response();
  EXPECT_EQ(r.body.size(), 500000u);
  EXPECT_TRUE(is_pattern(r.body));
  EXPECT_EQ(conn_->state(), ConnState::Closed);
}

TEST_F(ConnTest, PeerHalfCloseWhileIdleEndsConnection) {
  make();
  ASSERT_EQ(::shutdown(client_.get(), SHUT_WR), 0);
  EXPECT_EQ(conn_->poll(now_), Poll::Ready);
  recv_some();
  EXPECT_TRUE(eof_);
}

TEST_F(ConnTest, PeerResetMidBodyIsAnError) {
  make();
  send("GET /bytes/2000000 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(conn_->poll(now_), Poll::Pending);
  recv_some(1000);
  client_.reset();  // close with unread data: the server's next send fails
  Poll p = Poll::Pending;
  for (int i = 0; i < 10 && p == Poll::Pending; ++i) p = conn_->poll(now_);
  EXPECT_EQ(p, Poll::Error);
  EXPECT_FALSE(conn_->error_reason().empty());
  EXPECT_EQ(conn_->state(), ConnState::Closed);
  EXPECT_EQ(conn_->poll(now_), Poll::Error);  // stays ended
}

TEST_F(ConnTest, WriteStallTimeoutAbortsANonReadingPeer) {
  make();
  send("GET /bytes/2000000 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(conn_->poll(now_), Poll::Pending);
  EXPECT_EQ(conn_->deadline(), now_ + opts_.write_timeout);
  now_ += opts_.write_timeout - 1ms;
  EXPECT_EQ(conn_->poll(now_), Poll::Pending);
  recv_some(70000);  // progress (AF_UNIX frees space per whole skb) restarts the stall clock
  EXPECT_EQ(conn_->poll(now_), Poll::Pending);
  now_ += opts_.write_timeout - 1ms;
  EXPECT_EQ(conn_->poll(now_), Poll::Pending);
  now_ += 2ms;  // no progress for write_timeout: abort
  EXPECT_EQ(conn_->poll(now_), Poll::Error);
  EXPECT_NE(conn_->error_reason().find("write stall"), std::string_view::npos);
  EXPECT_EQ(conn_->buffered_bytes(), 0u);  // discarded deliberately
  while (!eof_ && !reset_) recv_some();
}

TEST_F(ConnTest, IdleKeepAliveTimeoutShutsDownCleanly) {
  make();
  send(kGet);
  EXPECT_EQ(pump(), Poll::Pending);
  EXPECT_EQ(next_response().status, 200);
  EXPECT_EQ(conn_->deadline(), now_ + opts_.idle_timeout);
  now_ += opts_.idle_timeout;
  EXPECT_EQ(conn_->poll(now_), Poll::Pending);
  EXPECT_EQ(conn_->state(), ConnState::Linger);
  recv_some();
  EXPECT_TRUE(eof_);
  EXPECT_TRUE(received_.empty());
  now_ += opts_.linger_timeout;  // the peer never closes: linger ends anyway
  EXPECT_EQ(conn_->poll(now_), Poll::Ready);
}

TEST_F(ConnTest, SlowHeadTimesOutWith408) {
  make();
  send("GET /bytes/1 HTTP/1.1\r\nHo");
  EXPECT_EQ(conn_->poll(now_), Poll::Pending);
  now_ += opts_.idle_timeout;
  EXPECT_EQ(conn_->poll(now_), Poll::Pending);
  recv_some();
  EXPECT_EQ(next_response().status, 408);
  EXPECT_TRUE(eof_);
}

TEST_F(ConnTest, BackpressureBoundsBufferedOutput) {
  make();
  std::string reqs;
  for (int i = 0; i < 50; ++i) reqs += "GET /bytes/10000 HTTP/1.1\r\nHost: x\r\n\r\n";
  send(reqs);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(conn_->poll(now_), Poll::Pending);
  EXPECT_LE(conn_->buffered_bytes(), opts_.high_water + 10000 + 200);
  EXPECT_LT(conn_->responses_completed(), 50u);
  EXPECT_FALSE(conn_->interest().read);  // not reading more requests until it drains
  EXPECT_TRUE(conn_->interest().write);
  EXPECT_EQ(pump(), Poll::Pending);
  EXPECT_EQ(conn_->responses_completed(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(next_response().body.size(), 10000u);
}

TEST_F(ConnTest, GracefulShutdownFinishesResponseInFlight) {
  make();
  send("GET /bytes/400000 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(conn_->poll(now_), Poll::Pending);
  conn_->begin_graceful_shutdown();
  while (!eof_) {
    ASSERT_NE(conn_->poll(now_), Poll::Error);
    recv_some(20000);
  }
  EXPECT_EQ(next_response().body.size(), 400000u);
  EXPECT_TRUE(conn_->write_shut_down());
}

TEST_F(ConnTest, GracefulShutdownOfIdleConnection) {
  make();
  conn_->begin_graceful_shutdown();
  EXPECT_EQ(conn_->poll(now_), Poll::Pending);
  EXPECT_EQ(conn_->state(), ConnState::Linger);
  recv_some();
  EXPECT_TRUE(eof_);
}

TEST_F(ConnTest, FileBodyViaSendfile) {
  char path[] = "/tmp/drainref-test-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  std::string content(300000, '\0');
  fill_pattern(content.data(), content.size(), 0);
  ASSERT_EQ(::write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  ASSERT_EQ(::close(fd), 0);
  const std::string name = std::string(path).substr(5);  // strip "/tmp/"
  AppOptions app;
  app.root = "/tmp";
  make(make_app(app));
  send("GET /" + name + " HTTP/1.1\r\nHost: x\r\n\r\nGET /../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(pump(10000, 10000), Poll::Pending);
  ::unlink(path);
  ParsedResponse r = next_response();
  EXPECT_EQ(r.body.size(), content.size());
  EXPECT_TRUE(r.body == content);
  EXPECT_EQ(next_response().status, 403);
}

TEST_F(ConnTest, SmallFileBodyIsCopiedBehindItsHead) {
  char path[] = "/tmp/drainref-test-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "0123456789", 10), 10);
  ASSERT_EQ(::close(fd), 0);
  AppOptions app;
  app.root = "/tmp";
  make(make_app(app));
  const std::string req = "GET /" + std::string(path).substr(5) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  send(req + req);
  EXPECT_EQ(pump(), Poll::Pending);
  ::unlink(path);
  EXPECT_EQ(next_response().body, "0123456789");
  EXPECT_EQ(next_response().body, "0123456789");
  EXPECT_EQ(conn_->responses_completed(), 2u);
}

TEST_F(ConnTest, StreamProducerFailureAbortsNeverEndsCleanly) {
  make([](const Request&) {
    Response r;
    auto calls = std::make_shared<int>(0);
    r.body = Body::stream([calls](std::string& out) {
      if (++*calls > 3) throw std::runtime_error("disk gone");
      out.assign(1000, 'a');
      return true;
    });
    return r;
  });
  send(kGet);
  EXPECT_EQ(pump(), Poll::Error);
  EXPECT_NE(conn_->error_reason().find("disk gone"), std::string_view::npos);
  EXPECT_FALSE(conn_->write_shut_down());  // no orderly end for a broken body
  while (!eof_ && !reset_) recv_some();
  EXPECT_EQ(received_.find("0\r\n\r\n"), std::string::npos);  // no terminating chunk
}

TEST_F(ConnTest, HandlerExceptionIs500) {
  make([](const Request&) -> Response { throw std::runtime_error("boom"); });
  send(kGet);
  EXPECT_EQ(pump(), Poll::Pending);
  EXPECT_EQ(next_response().status, 500);
}

TEST_F(ConnTest, InterestAndDeadlineTrackState) {
  make();
  EXPECT_TRUE(conn_->interest().read);
  EXPECT_FALSE(conn_->interest().write);
  EXPECT_EQ(conn_->deadline(), now_ + opts_.idle_timeout);
  EXPECT_EQ(conn_->poll(now_), Poll::Pending);
  EXPECT_EQ(conn_->state(), ConnState::ReadHead);
}
