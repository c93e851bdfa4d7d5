// Tests of the request head parser and the chunked decoder.
#include <gtest/gtest.h>

#include <string>

#include "drainref/http_parser.h"

using namespace drainref;

namespace {

ParseResult parse(const std::string& s, Request& r, ParserLimits lim = {}) {
  return parse_request_head(s, r, lim);
}

int error_of(const std::string& s, ParserLimits lim = {}) {
  Request r;
  const ParseResult pr = parse(s, r, lim);
  return pr.status == ParseStatus::Error ? pr.error_status : 0;
}

}  // namespace

TEST(Parser, SimpleGet) {
  Request r;
  const std::string s = "GET /bytes/10 HTTP/1.1\r\nHost: x\r\nX-A:  v1 \r\n\r\nNEXT";
  const ParseResult pr = parse(s, r);
  ASSERT_EQ(pr.status, ParseStatus::Complete);
  EXPECT_EQ(pr.consumed, s.size() - 4);
  EXPECT_EQ(r.method, Method::Get);
  EXPECT_EQ(r.target, "/bytes/10");
  EXPECT_EQ(r.version_minor, 1);
  EXPECT_TRUE(r.keep_alive);
  EXPECT_EQ(r.header("x-a").value_or(""), "v1");
  EXPECT_EQ(r.header("HOST").value_or(""), "x");
  EXPECT_FALSE(r.header("missing").has_value());
}

TEST(Parser, IncompleteUntilEmptyLine) {
  const std::string s = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  for (std::size_t n = 0; n < s.size(); ++n) {
    Request r;
    EXPECT_EQ(parse(s.substr(0, n), r).status, ParseStatus::Incomplete) << n;
  }
}

TEST(Parser, LeadingEmptyLinesIgnored) {
  Request r;
  EXPECT_EQ(parse("\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", r).status, ParseStatus::Complete);
}

TEST(Parser, KeepAliveRules) {
  Request r;
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", r).status, ParseStatus::Complete);
  EXPECT_FALSE(r.keep_alive);
  ASSERT_EQ(parse("GET / HTTP/1.0\r\n\r\n", r).status, ParseStatus::Complete);
  EXPECT_FALSE(r.keep_alive);
  EXPECT_EQ(r.version_minor, 0);
  ASSERT_EQ(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", r).status, ParseStatus::Complete);
  EXPECT_TRUE(r.keep_alive);
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: foo, CLOSE\r\n\r\n", r).status,
            ParseStatus::Complete);
  EXPECT_FALSE(r.keep_alive);
}

TEST(Parser, Malformed400) {
  EXPECT_EQ(error_of("GET / HTTP/1.1\nHost: x\r\n\r\n"), 400);              // bare LF
  EXPECT_EQ(error_of("GET  / HTTP/1.1\r\nHost: x\r\n\r\n"), 400);           // double space
  EXPECT_EQ(error_of("GET / HTTP/1.1 \r\nHost: x\r\n\r\n"), 400);           // trailing space
  EXPECT_EQ(error_of("G(T / HTTP/1.1\r\nHost: x\r\n\r\n"), 400);            // bad token
  EXPECT_EQ(error_of("GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n"), 400);    // absolute-form
  EXPECT_EQ(error_of("GET / HTTX/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nHost : x\r\n\r\n"), 400);           // space before colon
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n"), 400); // obs-fold
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nNoColon\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\n\r\n"), 400);                       // no Host
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nHost: x\r\nX: a\x01z\r\n\r\n"), 400);
  EXPECT_EQ(error_of("\r\n\r\n\r\n\r\n\r\n"), 400);  // only a few leading CRLFs are ignored
}

TEST(Parser, ContentLengthAndTransferEncoding) {
  Request r;
  ASSERT_EQ(parse("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", r).status,
            ParseStatus::Complete);
  EXPECT_EQ(r.content_length, 5u);
  EXPECT_EQ(error_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"), 400);
  EXPECT_EQ(error_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"), 400);
  EXPECT_EQ(error_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\n"), 400);
  EXPECT_EQ(error_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n"), 400);
  // conflicting framing: request smuggling vector
  EXPECT_EQ(error_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"), 400);
  EXPECT_EQ(error_of("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"), 400);
  EXPECT_EQ(error_of("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"), 501);
  EXPECT_EQ(error_of("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400);
  ASSERT_EQ(parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n", r).status,
            ParseStatus::Complete);
  EXPECT_TRUE(r.chunked);
  ParserLimits lim;
  lim.max_body_bytes = 10;
  EXPECT_EQ(error_of("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", lim), 413);
}

TEST(Parser, Oversized431) {
  ParserLimits lim;
  lim.max_head_bytes = 256;
  // never-ending head
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nHost: x\r\nX: " + std::string(300, 'a'), lim), 431);
  // complete but too large
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nHost: x\r\nX: " + std::string(300, 'a') + "\r\n\r\n", lim), 431);
  lim.max_head_bytes = 16 * 1024;
  lim.max_headers = 3;
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", lim), 431);
}

TEST(Parser, Methods501AndVersion505) {
  EXPECT_EQ(error_of("PUT / HTTP/1.1\r\nHost: x\r\n\r\n"), 501);
  EXPECT_EQ(error_of("BREW / HTTP/1.1\r\nHost: x\r\n\r\n"), 501);
  EXPECT_EQ(error_of("GET / HTTP/2.0\r\nHost: x\r\n\r\n"), 505);
  EXPECT_EQ(error_of("GET / HTTP/1.2\r\nHost: x\r\n\r\n"), 505);
  Request r;
  ASSERT_EQ(parse("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n", r).status, ParseStatus::Complete);
  EXPECT_EQ(r.method, Method::Head);
}

TEST(Chunked, DecodesAcrossEveryByteSplit) {
  const std::string wire = "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\nNEXT";
  for (std::size_t split = 0; split <= wire.size() - 4; ++split) {
    ChunkedDecoder d;
    std::string out;
    auto r1 = d.feed(std::string_view(wire).substr(0, split), out);
    ASSERT_NE(r1.status, ParseStatus::Error) << split;
    ASSERT_EQ(r1.consumed, split);
    auto r2 = d.feed(std::string_view(wire).substr(split), out);
    ASSERT_EQ(r2.status, ParseStatus::Complete) << split;
    EXPECT_EQ(split + r2.consumed, wire.size() - 4) << split;
    EXPECT_EQ(out, "hello world");
  }
}

TEST(Chunked, Errors) {
  auto err = [](const std::string& wire, std::uint64_t max = 1024) {
    ChunkedDecoder d(max);
    std::string out;
    const auto r = d.feed(wire, out);
    return r.status == ParseStatus::Error ? r.error_status : 0;
  };
  EXPECT_EQ(err("x\r\n"), 400);
  EXPECT_EQ(err("\r\n"), 400);
  EXPECT_EQ(err("5\nhello"), 400);
  EXPECT_EQ(err("5\r\nhelloX"), 400);
  EXPECT_EQ(err("1234567890abcdef0\r\n"), 400);
  EXPECT_EQ(err("401\r\n", 1024), 413);
  EXPECT_EQ(err("0\r\nbad\ntrailer"), 400);
}
