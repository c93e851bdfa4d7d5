// Mock of <boost/beast/websocket.hpp> for drain's lit tests.
#pragma once
#include <boost/beast/core.hpp>
namespace boost {
namespace beast {
namespace websocket {
enum close_code : std::uint16_t { normal = 1000, going_away = 1001 };
struct close_reason {
  close_reason(close_code) {}
};
template <class NextLayer, bool deflateSupported = true> class stream {
public:
  using next_layer_type = typename std::remove_reference<NextLayer>::type;
  using lowest_layer_type = typename next_layer_type::lowest_layer_type;
  template <class... Args> explicit stream(Args &&...) {}
  next_layer_type &next_layer() noexcept { return *next_; }
  lowest_layer_type &lowest_layer_ref() { return *next_; }
  bool is_open() const { return true; }
  void text(bool) {}
  bool got_text() const { return true; }
  template <class ConstBufferSequence> std::size_t write(const ConstBufferSequence &);
  template <class ConstBufferSequence>
  std::size_t write(const ConstBufferSequence &, error_code &);
  template <class ConstBufferSequence, class WriteHandler>
  net::async_return_t<WriteHandler, net::write_sig> async_write(const ConstBufferSequence &,
                                                                WriteHandler &&handler) { return net::async_return_t<WriteHandler, net::write_sig>(); }
  template <class DynamicBuffer, class ReadHandler>
  net::async_return_t<ReadHandler, net::write_sig> async_read(DynamicBuffer &,
                                                              ReadHandler &&handler) { return net::async_return_t<ReadHandler, net::write_sig>(); }
  template <class AcceptHandler>
  net::async_return_t<AcceptHandler, net::wait_sig> async_accept(AcceptHandler &&handler) { return net::async_return_t<AcceptHandler, net::wait_sig>(); }
  void close(const close_reason &) {}
  void close(const close_reason &, error_code &) {}
  template <class CloseHandler>
  net::async_return_t<CloseHandler, net::wait_sig> async_close(const close_reason &,
                                                              CloseHandler &&handler) { return net::async_return_t<CloseHandler, net::wait_sig>(); }

private:
  next_layer_type *next_ = nullptr;
};
enum class error { closed = 1 };
inline bool operator==(const error_code &, error) { return false; }
inline bool operator!=(const error_code &, error) { return true; }
} // namespace websocket
} // namespace beast
} // namespace boost
