// Mock of <boost/beast/http.hpp> for drain's lit tests.
#pragma once
#include <boost/beast/core.hpp>
namespace boost {
namespace beast {
namespace http {
enum class verb { get, head, post, put };
enum class status { ok = 200, bad_request = 400, not_found = 404, internal_server_error = 500 };
enum class field { server, content_type, content_length, connection };
class fields {};
struct string_body {
  using value_type = std::string;
};
struct empty_body {
  struct value_type {};
};
struct dynamic_body {
  using value_type = flat_buffer;
};
template <bool isRequest, class Fields = fields> class header {};
template <bool isRequest, class Body, class Fields = fields> class message {
public:
  message() = default;
  message(status, unsigned) {}
  message(verb, std::string, unsigned) {}
  typename Body::value_type &body() { return body_; }
  void set(field, const std::string &) {}
  void keep_alive(bool) {}
  bool keep_alive() const { return true; }
  bool need_eof() const { return false; }
  void prepare_payload() {}
  unsigned version() const { return 11; }
  verb method() const { return verb::get; }
  std::string target() const { return {}; }
  void result(status) {}

private:
  typename Body::value_type body_;
};
template <class Body, class Fields = fields> using request = message<true, Body, Fields>;
template <class Body, class Fields = fields> using response = message<false, Body, Fields>;

template <bool isRequest, class Body, class Fields = fields> class serializer {
public:
  explicit serializer(message<isRequest, Body, Fields> &) {}
  bool is_done() const { return false; }
};
template <bool isRequest, class Body, class Fields = fields> class parser {
public:
  message<isRequest, Body, Fields> &get() { return m_; }
  message<isRequest, Body, Fields> release() { return {}; }
  void body_limit(std::size_t) {}

private:
  message<isRequest, Body, Fields> m_;
};
template <class Body> using request_parser = parser<true, Body>;

template <class SyncWriteStream, bool isRequest, class Body, class Fields>
std::size_t write(SyncWriteStream &stream, const message<isRequest, Body, Fields> &msg);
template <class SyncWriteStream, bool isRequest, class Body, class Fields>
std::size_t write(SyncWriteStream &stream, const message<isRequest, Body, Fields> &msg,
                  error_code &ec);

template <class AsyncWriteStream, bool isRequest, class Body, class Fields, class WriteHandler>
net::async_return_t<WriteHandler, net::write_sig>
async_write(AsyncWriteStream &stream, message<isRequest, Body, Fields> &msg,
            WriteHandler &&handler) { return net::async_return_t<WriteHandler, net::write_sig>(); }
template <class AsyncWriteStream, bool isRequest, class Body, class Fields, class WriteHandler>
net::async_return_t<WriteHandler, net::write_sig>
async_write(AsyncWriteStream &stream, const message<isRequest, Body, Fields> &msg,
            WriteHandler &&handler) { return net::async_return_t<WriteHandler, net::write_sig>(); }
template <class AsyncWriteStream, bool isRequest, class Body, class Fields, class WriteHandler>
net::async_return_t<WriteHandler, net::write_sig>
async_write(AsyncWriteStream &stream, serializer<isRequest, Body, Fields> &sr,
            WriteHandler &&handler) { return net::async_return_t<WriteHandler, net::write_sig>(); }
template <class AsyncWriteStream, bool isRequest, class Body, class Fields, class WriteHandler>
net::async_return_t<WriteHandler, net::write_sig>
async_write_some(AsyncWriteStream &stream, serializer<isRequest, Body, Fields> &sr,
                 WriteHandler &&handler) { return net::async_return_t<WriteHandler, net::write_sig>(); }
template <class AsyncWriteStream, bool isRequest, class Body, class Fields, class WriteHandler>
net::async_return_t<WriteHandler, net::write_sig>
async_write_header(AsyncWriteStream &stream, serializer<isRequest, Body, Fields> &sr,
                   WriteHandler &&handler) { return net::async_return_t<WriteHandler, net::write_sig>(); }

template <class AsyncReadStream, class DynamicBuffer, bool isRequest, class Body, class Fields,
          class ReadHandler>
net::async_return_t<ReadHandler, net::write_sig>
async_read(AsyncReadStream &stream, DynamicBuffer &buffer, message<isRequest, Body, Fields> &msg,
           ReadHandler &&handler) { return net::async_return_t<ReadHandler, net::write_sig>(); }
template <class AsyncReadStream, class DynamicBuffer, bool isRequest, class Body, class Fields,
          class ReadHandler>
net::async_return_t<ReadHandler, net::write_sig>
async_read(AsyncReadStream &stream, DynamicBuffer &buffer, parser<isRequest, Body, Fields> &p,
           ReadHandler &&handler) { return net::async_return_t<ReadHandler, net::write_sig>(); }

enum class error { end_of_stream = 1, partial_message };
inline bool operator==(const error_code &, error) { return false; }
inline bool operator!=(const error_code &, error) { return true; }
} // namespace http
} // namespace beast
} // namespace boost
