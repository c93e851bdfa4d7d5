// Mock of <boost/beast/core.hpp> for drain's lit tests: the shapes of Beast 1.74's streams,
// buffers and handler binders. Declarations only.
#pragma once
#include <boost/asio.hpp>
namespace boost {
namespace beast {
namespace net = ::boost::asio;
using error_code = ::boost::system::error_code;
using string_view = std::string;

struct unlimited_rate_policy {};

template <class Protocol, class Executor = net::any_io_executor,
          class RatePolicy = unlimited_rate_policy>
class basic_stream {
public:
  using socket_type = net::basic_stream_socket<Protocol, Executor>;
  using executor_type = Executor;
  using lowest_layer_type = basic_stream;
  explicit basic_stream(net::io_context &) {}
  explicit basic_stream(socket_type &&) {}
  template <class Ex> explicit basic_stream(const Ex &) {}
  basic_stream(basic_stream &&) = default;
  ~basic_stream() {}
  socket_type &socket() noexcept { return *sock_; }
  socket_type release_socket();
  executor_type get_executor() noexcept { return {}; }
  void expires_after(std::chrono::nanoseconds) {}
  void expires_never() {}
  void close() {}
  void cancel() {}
  template <class ConstBufferSequence, class WriteHandler>
  net::async_return_t<WriteHandler, net::write_sig> async_write_some(const ConstBufferSequence &,
                                                                     WriteHandler &&handler) { return net::async_return_t<WriteHandler, net::write_sig>(); }
  template <class MutableBufferSequence, class ReadHandler>
  net::async_return_t<ReadHandler, net::write_sig> async_read_some(const MutableBufferSequence &,
                                                                   ReadHandler &&handler) { return net::async_return_t<ReadHandler, net::write_sig>(); }
  template <class Endpoint, class ConnectHandler>
  net::async_return_t<ConnectHandler, net::wait_sig> async_connect(const Endpoint &,
                                                                   ConnectHandler &&handler) { return net::async_return_t<ConnectHandler, net::wait_sig>(); }

private:
  socket_type *sock_ = nullptr;
};
using tcp_stream = basic_stream<net::ip::tcp>;

template <class T> typename T::lowest_layer_type &get_lowest_layer(T &t) noexcept {
  return t.lowest_layer_ref();
}
template <class Protocol, class Executor, class RatePolicy>
basic_stream<Protocol, Executor, RatePolicy> &
get_lowest_layer(basic_stream<Protocol, Executor, RatePolicy> &s) noexcept {
  return s;
}

class flat_buffer {
public:
  std::size_t size() const { return 0; }
  void consume(std::size_t) {}
  net::const_buffer data() const { return {}; }
};
using multi_buffer = flat_buffer;
inline std::string buffers_to_string(net::const_buffer) { return {}; }

template <class... Ts> void ignore_unused(const Ts &...) {}

namespace detail {
// What bind_front_handler returns: calls the handler with the bound arguments first.
template <class Handler, class... Args> class bind_front_wrapper {
public:
  template <class... Ts> void operator()(Ts &&...) {}
  Handler h_;
};
template <class Handler, class... Args> class bind_wrapper {
public:
  template <class... Ts> void operator()(Ts &&...) {}
  Handler h_;
};
} // namespace detail

template <class Handler, class... Args>
detail::bind_front_wrapper<typename std::decay<Handler>::type,
                           typename std::decay<Args>::type...>
bind_front_handler(Handler &&handler, Args &&...args) {
  return {std::forward<Handler>(handler)};
}
template <class Handler, class... Args>
detail::bind_wrapper<typename std::decay<Handler>::type, typename std::decay<Args>::type...>
bind_handler(Handler &&handler, Args &&...args) {
  return {std::forward<Handler>(handler)};
}

template <class NextLayer> class ssl_stream {
public:
  using next_layer_type = NextLayer;
  using lowest_layer_type = typename NextLayer::lowest_layer_type;
  template <class Arg> ssl_stream(Arg &&, net::ssl::context &) {}
  next_layer_type &next_layer() { return *next_; }
  lowest_layer_type &lowest_layer_ref() { return *next_; }
  template <class ConstBufferSequence, class WriteHandler>
  net::async_return_t<WriteHandler, net::write_sig> async_write_some(const ConstBufferSequence &,
                                                                     WriteHandler &&handler) { return net::async_return_t<WriteHandler, net::write_sig>(); }
  template <class MutableBufferSequence, class ReadHandler>
  net::async_return_t<ReadHandler, net::write_sig> async_read_some(const MutableBufferSequence &,
                                                                   ReadHandler &&handler) { return net::async_return_t<ReadHandler, net::write_sig>(); }
  template <class HandshakeHandler>
  net::async_return_t<HandshakeHandler, net::wait_sig>
  async_handshake(net::ssl::stream_base::handshake_type, HandshakeHandler &&handler) { return net::async_return_t<HandshakeHandler, net::wait_sig>(); }
  template <class ShutdownHandler>
  net::async_return_t<ShutdownHandler, net::wait_sig> async_shutdown(ShutdownHandler &&handler) { return net::async_return_t<ShutdownHandler, net::wait_sig>(); }
  void shutdown(error_code &) {}

private:
  NextLayer *next_ = nullptr;
};
} // namespace beast
} // namespace boost
