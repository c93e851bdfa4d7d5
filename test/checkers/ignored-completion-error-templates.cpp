// RUN: %check_drain -std=c++17,c++20 %s drain-ignored-completion-error %t -- -- -isystem %S/Inputs/async
//
// Header-only servers: the session is a class template (over its body type, its stream, its
// handler) that the translation unit never instantiates, so the write and its handler exist
// only in their dependent form.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <memory>
#include <string>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

void log_error(const boost::system::error_code &, const char *what);
void note_sent(std::size_t);

//===--- positives --------------------------------------------------------===//

template <class Body> class unnamed_error_session {
  tcp::socket socket_;
  std::string out_;
  std::size_t sent_ = 0;

public:
  void write_response() {
    net::async_write(socket_, net::buffer(out_), [this](boost::system::error_code, std::size_t n) {
      // CHECK-MESSAGES: :[[@LINE-1]]:50: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
      sent_ += n;
    });
  }
};

template <class Body>
class shared_session : public std::enable_shared_from_this<shared_session<Body>> {
  tcp::socket socket_;
  std::string out_;
  void do_read();

public:
  void write_response() {
    net::async_write(socket_, net::buffer(out_),
                     [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
      // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
                       self->do_read();
                     });
  }
};

template <class Body> class write_some_session {
  tcp::socket socket_;
  std::string out_;

public:
  void write_chunk() {
    socket_.async_write_some(net::buffer(out_), [this](std::error_code ec, std::size_t n) {
      // CHECK-MESSAGES: :[[@LINE-1]]:49: warning: completion handler of 'async_write_some' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
      out_.erase(0, n);
    });
  }
};

template <class Stream> class generic_stream_session {
  Stream stream_;
  std::string out_;

public:
  void write_chunk() {
    stream_.async_write_some(net::buffer(out_), [this](boost::system::error_code ec, std::size_t) {
      // CHECK-MESSAGES: :[[@LINE-1]]:49: warning: completion handler of 'async_write_some' ignores the byte count; a short write loses the rest of the buffer [drain-ignored-completion-error]
      if (ec)
        return log_error(ec, "write");
      out_.clear();
    });
  }
};

template <class NextLayer>
class websocket_session : public std::enable_shared_from_this<websocket_session<NextLayer>> {
  websocket::stream<NextLayer> ws_;
  std::string out_;

public:
  void send() {
    ws_.async_write(net::buffer(out_), [self = this->shared_from_this()](boost::system::error_code,
                                                                         std::size_t) {});
    // CHECK-MESSAGES: :[[@LINE-2]]:40: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
  }
};

template <class Body> class echo_session {
  tcp::socket socket_;
  char buf_[512];

public:
  void do_read() {
    socket_.async_read_some(net::buffer(buf_, sizeof buf_),
                            [this](boost::system::error_code ec, std::size_t n) {
                              if (ec)
                                return log_error(ec, "read");
                              net::async_write(socket_, net::buffer(buf_, n),
                                               [this](boost::system::error_code, std::size_t) {
      // CHECK-MESSAGES: :[[@LINE-1]]:48: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
                                                 do_read();
                                               });
                            });
  }
};

template <class AsyncStream> void send_reply(AsyncStream &s, const std::string &reply) {
  net::async_write(s, net::buffer(reply), [](boost::system::error_code, std::size_t n) {
    // CHECK-MESSAGES: :[[@LINE-1]]:43: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
    note_sent(n);
  });
}

template <class Stream> class goodbye_session {
  Stream stream_;
  std::string goodbye_;

public:
  void say_goodbye() {
    net::async_write(stream_, net::buffer(goodbye_), net::detached);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'async_write' is detached, so a failed write goes unnoticed [drain-ignored-completion-error]
  }
};

// A generic handler is judged in a template as it is elsewhere: its own `auto` parameter
// receives the error.
template <class Body> class generic_handler_session {
  tcp::socket socket_;
  std::string out_;

public:
  void write_response() {
    net::async_write(socket_, net::buffer(out_), [this](auto ec, auto n) { note_sent(n); });
    // CHECK-MESSAGES: :[[@LINE-1]]:50: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
  }
};

// Instantiated twice: the instantiations are analysed, the pattern is not reported again.
template <class Body> class instantiated_session {
  tcp::socket socket_;
  std::string out_;

public:
  void write_response() {
    net::async_write(socket_, net::buffer(out_), [this](boost::system::error_code, std::size_t n) {
      // CHECK-MESSAGES: :[[@LINE-1]]:50: warning: completion handler of 'async_write' ignores the error; a failed write goes unnoticed [drain-ignored-completion-error]
      note_sent(n);
    });
  }
};
void respond_with_both(instantiated_session<int> &a, instantiated_session<char> &b) {
  a.write_response();
  b.write_response();
}

//===--- negatives --------------------------------------------------------===//

template <class Body> class checked_session {
  tcp::socket socket_;
  std::string out_;
  std::size_t sent_ = 0;
  void close();

public:
  void write_response() {
    net::async_write(socket_, net::buffer(out_),
                     [this](boost::system::error_code ec, std::size_t n) {
                       if (ec) {
                         log_error(ec, "write");
                         return close();
                       }
                       sent_ += n;
                     });
  }
};

template <class Body>
class checked_shared_session : public std::enable_shared_from_this<checked_shared_session<Body>> {
  tcp::socket socket_;
  std::string out_;
  void do_read();
  void fail(boost::system::error_code ec, const char *what);

public:
  void write_response() {
    net::async_write(socket_, net::buffer(out_),
                     [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
                       if (ec)
                         return self->fail(ec, "write");
                       self->do_read();
                     });
  }
};

template <class Body> class checked_write_some_session {
  tcp::socket socket_;
  std::string out_;

public:
  void write_chunk() {
    socket_.async_write_some(net::buffer(out_), [this](std::error_code ec, std::size_t n) {
      if (ec)
        return;
      out_.erase(0, n);
      if (!out_.empty())
        write_chunk();
    });
  }
};

template <class Stream> class checked_generic_stream_session {
  Stream stream_;
  std::string out_;

public:
  void write_chunk() {
    stream_.async_write_some(net::buffer(out_), [this](boost::system::error_code ec, std::size_t n) {
      if (ec)
        return log_error(ec, "write");
      out_.erase(0, n);
    });
  }
};

template <class NextLayer>
class checked_websocket_session
    : public std::enable_shared_from_this<checked_websocket_session<NextLayer>> {
  websocket::stream<NextLayer> ws_;
  std::string out_;

public:
  void send() {
    ws_.async_write(net::buffer(out_),
                    [self = this->shared_from_this()](boost::system::error_code ec, std::size_t) {
                      if (ec)
                        log_error(ec, "websocket write");
                    });
  }
};

template <class Body> class checked_echo_session {
  tcp::socket socket_;
  char buf_[512];

public:
  void do_read() {
    socket_.async_read_some(net::buffer(buf_, sizeof buf_),
                            [this](boost::system::error_code ec, std::size_t n) {
                              if (ec)
                                return log_error(ec, "read");
                              net::async_write(socket_, net::buffer(buf_, n),
                                               [this](boost::system::error_code ec, std::size_t) {
                                                 if (!ec)
                                                   do_read();
                                               });
                            });
  }
};

template <class AsyncStream> void send_checked_reply(AsyncStream &s, const std::string &reply) {
  net::async_write(s, net::buffer(reply), [](boost::system::error_code ec, std::size_t n) {
    if (ec)
      return log_error(ec, "reply");
    note_sent(n);
  });
}

template <class Body> class checked_generic_handler_session {
  tcp::socket socket_;
  std::string out_;

public:
  void write_response() {
    net::async_write(socket_, net::buffer(out_), [this](auto ec, auto n) {
      if (ec)
        return log_error(ec, "write");
      note_sent(n);
    });
  }
};

// The error's type depends on the template's argument: what it is (and whether a handler
// that ignores it loses anything) is only known in an instantiation, and there is none.
template <class Traits> class traits_session {
  tcp::socket socket_;
  std::string out_;

public:
  void write_response() {
    net::async_write(socket_, net::buffer(out_),
                     [this](typename Traits::error_type, std::size_t n) { note_sent(n); });
  }
};

// Instantiated, with a handler that tests its error: silent in the pattern and in both
// instantiations.
template <class Body> class instantiated_checked_session {
  tcp::socket socket_;
  std::string out_;

public:
  void write_response() {
    net::async_write(socket_, net::buffer(out_), [this](boost::system::error_code ec, std::size_t) {
      if (ec)
        log_error(ec, "write");
    });
  }
};
void respond_checked_with_both(instantiated_checked_session<int> &a,
                               instantiated_checked_session<char> &b) {
  a.write_response();
  b.write_response();
}

template <class Body> class discarded_on_purpose_session {
  tcp::socket socket_;
  std::string out_;

public:
  void write_and_forget() {
    net::async_write(socket_, net::buffer(out_), [this](boost::system::error_code ec, std::size_t) {
      (void)ec; // a best-effort goodbye: the connection is closed next either way
    });
  }
};

template <class Body> class read_only_session {
  tcp::socket socket_;
  char buf_[512];

public:
  void drain_input() {
    socket_.async_read_some(net::buffer(buf_, sizeof buf_),
                            [this](boost::system::error_code, std::size_t) { drain_input(); });
  }
};
