// RUN: %check_drain -std=c++17 %s drain-shutdown-before-flush %t

// A member named only `buf_`, `m_sBuffer` or `queue_` says nothing of a direction. It is a
// write buffer when a method of its class hands it to a write; a line reader's read-ahead
// buffer, filled from read() and consumed by a parser, is owed to nobody, so closing the
// descriptor with data in it loses nothing written.

#include <cstddef>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

// positives

// The buffer is sent from in flush(): it is owed to the peer.
class BufferedConn {
public:
  void queue_reply(const std::string &S) { buf_ += S; }
  bool flush() {
    ssize_t N = ::send(fd_, buf_.data(), buf_.size(), 0);
    if (N < 0)
      return false;
    buf_.erase(0, static_cast<size_t>(N));
    return buf_.empty();
  }
  void close_now() {
    ::close(fd_);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is closed while its write buffer 'buf_' may still hold data [drain-shutdown-before-flush]
  }

private:
  int fd_ = -1;
  std::string buf_;
};

// Handed to the class's own writing helper (a name that says it writes).
class HelperConn {
public:
  void add(const std::string &S) { m_sBuffer.append(S); }
  void Close() {
    close(m_iFD);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the connection is closed while its write buffer 'm_sBuffer' may still hold data [drain-shutdown-before-flush]
  }
  ssize_t WriteRaw(const std::string &S) { return ::write(m_iFD, S.data(), S.size()); }
  void Pump() { (void)WriteRaw(m_sBuffer); }

private:
  int m_iFD = -1;
  std::string m_sBuffer;
};

// negatives

// znc's CFile: ReadLine() fills m_sBuffer from read() and hands lines to the caller; Write()
// writes the caller's bytes straight to the descriptor. Close() drops read-ahead only.
class LineFile {
public:
  bool ReadLine(std::string &Data, const std::string &Delim = "\n") {
    char Buff[4096];
    for (;;) {
      std::string::size_type Find = m_sBuffer.find(Delim);
      if (Find != std::string::npos) {
        Data = m_sBuffer.substr(0, Find + Delim.length());
        m_sBuffer.erase(0, Find + Delim.length());
        return true;
      }
      ssize_t Bytes = read(m_iFD, Buff, sizeof(Buff));
      if (Bytes <= 0)
        break;
      m_sBuffer.append(Buff, static_cast<size_t>(Bytes));
    }
    return false;
  }
  ssize_t Write(const char *Data, size_t Bytes) { return write(m_iFD, Data, Bytes); }
  void Close() {
    if (m_iFD >= 0)
      close(m_iFD);
    m_iFD = -1;
    m_sBuffer.clear();
  }

private:
  int m_iFD = -1;
  std::string m_sBuffer;
};

// A frame parser's queue of received bytes: consumed, never sent.
class FrameReader {
public:
  void on_bytes(const char *P, size_t N) { queue_.append(P, N); }
  bool next(std::string &Frame) {
    if (queue_.size() < 4)
      return false;
    Frame = queue_.substr(0, 4);
    queue_.erase(0, 4);
    return true;
  }
  void shutdown_now() { ::shutdown(sock_, SHUT_RDWR); }

private:
  int sock_ = -1;
  std::string queue_;
};

// An output name keeps its meaning without any write in view (declared here, sent elsewhere).
class SplitConn {
public:
  void add(const std::string &S) { out_buf_ += S; }
  bool flush_elsewhere();
  void finish() {
    if (out_buf_.empty())
      ::close(fd_);
  }

private:
  int fd_ = -1;
  std::string out_buf_;
};
