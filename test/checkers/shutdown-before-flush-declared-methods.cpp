// RUN: %check_drain -std=c++17 %s drain-shutdown-before-flush %t

// A handler class derives from its framework's buffered socket and calls the base's methods,
// defined in another file: only their declarations are here. On a connection class (it owns
// a write buffer and a socket), a `void` method named like a write queues what it is handed,
// and `Close()` with no argument ends the connection. InspIRCd's m_httpd wrote a page with
// WriteData() and called Close() at once: big pages arrived truncated. Its fix closes with
// Close(true), "only once all data has been sent".

#include <cstddef>
#include <string>

class SendQueue {
public:
  void push_back(const std::string &S);
  size_t size() const;
  size_t bytes() const;
};

class EventHandler {
  int fd;
};

class StreamSocket : public EventHandler {
public:
  virtual ~StreamSocket();
  void WriteData(const std::string &Data);
  virtual void Close();
  void Close(bool WriteBlock);
  void CloseAfterWrite();
  void DoWrite();
  void FlushSendQ();
  size_t getSendQSize() const;
  bool sendQueueEmpty() const;
  SendQueue &GetSendQ() { return sendq; }
  virtual void OnClose();
  bool IsClosed() const;

protected:
  SendQueue sendq;
};

// positives

class HttpSocket : public StreamSocket {
public:
  void Page(const std::string &Body) {
    WriteData("HTTP/1.0 200 OK\r\n\r\n");
    WriteData(Body);
    Close();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: {{.*}}may still hold data [drain-shutdown-before-flush]
  }

  void ErrorPage(bool Keep) {
    WriteData("HTTP/1.0 500 Internal Server Error\r\n\r\n");
    if (!Keep)
      this->Close();
    // CHECK-MESSAGES: :[[@LINE-1]]:13: warning: {{.*}}may still hold data [drain-shutdown-before-flush]
  }

  // negatives

  // The close that waits for the queue (the fix).
  void PageFixed(const std::string &Body) {
    WriteData(Body);
    Close(true);
  }
  void PageAfterWrite(const std::string &Body) {
    WriteData(Body);
    CloseAfterWrite();
  }
  // A flush that answers nothing is taken at its word.
  void PageFlushed(const std::string &Body) {
    WriteData(Body);
    FlushSendQ();
    Close();
  }
  // The queue is seen empty first.
  void PageChecked(const std::string &Body) {
    WriteData(Body);
    if (getSendQSize() == 0)
      Close();
  }
  void PageDrained(const std::string &Body) {
    WriteData(Body);
    if (sendQueueEmpty())
      Close();
  }
  // Nothing was queued here: what callers queued is not this method's to judge from a
  // declaration.
  void OnTimeout() { Close(); }
  void OnError() {
    if (!IsClosed())
      Close();
  }
};

// From outside the class, through a pointer.
void reply_and_close(StreamSocket *S, const std::string &Body) {
  S->WriteData(Body);
  S->Close();
  // CHECK-MESSAGES: :[[@LINE-1]]:6: warning: {{.*}}may still hold data [drain-shutdown-before-flush]
}

void reply_and_close_later(StreamSocket *S, const std::string &Body) {
  S->WriteData(Body);
  S->Close(true);
}

// A class with no write buffer: its close is no connection's.
class Logger {
public:
  void Write(const std::string &Line);
  void Close();
  int fd;
};

void log_and_close(Logger &L) {
  L.Write("bye");
  L.Close();
}

// A websocket-like close that queues a close frame behind the data: it takes an argument.
class WebSocket {
public:
  void send(const std::string &Msg);
  void close(int Code);

private:
  std::string out_buf_;
  int sock_;
};

void say_goodbye(WebSocket &W) {
  W.send("bye");
  W.close(1000);
}

// A write of everything returns once it is sent.
class BlockingConn {
public:
  void WriteAll(const std::string &Data);
  void Close();

private:
  std::string out_buf_;
  int fd_;
};

void blocking_reply(BlockingConn &C) {
  C.WriteAll("done");
  C.Close();
}

// muduo's TcpConnection: shutdown() half-closes once the output buffer has drained, and the
// class's forced close says its plain close() is the graceful one.
class TcpConnection {
public:
  void send(const std::string &Message);
  void shutdown();
  void close();
  void forceClose();

private:
  std::string outputBuffer_;
  int sockfd_;
};

void on_request(TcpConnection &Conn, const std::string &Response, bool Close) {
  Conn.send(Response);
  if (Close)
    Conn.shutdown();
}

void on_bye(TcpConnection &Conn) {
  Conn.send("bye");
  Conn.close();
}

