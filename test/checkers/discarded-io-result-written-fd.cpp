// drain-discarded-io-result on close() of a descriptor kept in a member (aria2's
// AbstractDiskWriter::closeFile, znc's CFile::Close). A member is judged over the whole file:
// every value this file gives it comes from a file-opening call (or is -1), and some function
// of this file writes it. A member that may hold a socket, one only handed in from outside, one
// opened only for reading, or one never written is not reported.
// RUN: %check_drain -std=c++17 %s drain-discarded-io-result %t

#include <cerrno>
#include <fcntl.h>
#include <string>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

// positives

class DiskWriter {
public:
  ~DiskWriter() { closeFile(); }
  void createFile(const std::string &name) {
    while ((fd_ = ::open(name.c_str(), O_CREAT | O_RDWR | O_TRUNC, 0644)) == -1 && errno == EINTR)
      ;
  }
  void openExistingFile(const std::string &name, bool readOnly) {
    int flags = readOnly ? O_RDONLY : O_RDWR;
    fd_ = ::open(name.c_str(), flags, 0644);
  }
  ssize_t writeData(const char *data, size_t len) { return ::write(fd_, data, len); }
  void closeFile() {
    if (fd_ >= 0) {
      close(fd_);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'close' is discarded; 'fd_' holds a file this code opens with 'open' for writing and writes with 'write', and a write error reported only at close (NFS, quota, a full disk) goes unnoticed [drain-discarded-io-result]
      fd_ = -1;
    }
  }

private:
  int fd_ = -1;
};

// Flags the class is handed: open() never returns a socket, and the class truncates it.
class File {
public:
  explicit File(std::string name) : name_(std::move(name)) {}
  bool Open(int flags, mode_t mode) {
    fd_ = open(name_.c_str(), flags, mode);
    return fd_ >= 0;
  }
  bool Truncate() { return fd_ != -1 && ftruncate(fd_, 0) == 0; }
  ssize_t Write(const char *d, size_t n) { return fd_ == -1 ? -1 : write(fd_, d, n); }
  void Close() {
    if (fd_ >= 0)
      close(fd_);
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'close' is discarded; 'fd_' holds a file this code opens with 'open' and writes with 'write', and a write error reported only at close (NFS, quota, a full disk) goes unnoticed [drain-discarded-io-result]
    fd_ = -1;
  }

private:
  std::string name_;
  int fd_ = -1;
};

// negatives

// The nearest correct code: the close is checked and its failure thrown.
class CheckedWriter {
public:
  void create(const std::string &name) { fd_ = ::open(name.c_str(), O_CREAT | O_WRONLY, 0644); }
  ssize_t put(const char *d, size_t n) { return ::write(fd_, d, n); }
  void closeFile() {
    if (fd_ >= 0) {
      int r;
      while ((r = close(fd_)) == -1 && errno == EINTR)
        ;
      fd_ = -1;
      if (r == -1)
        throw std::string("close failed");
    }
  }

private:
  int fd_ = -1;
};

// A socket in the member: close loses nothing the kernel was given.
class Peer {
public:
  bool connectTo(int family) {
    fd_ = socket(family, SOCK_STREAM, 0);
    return fd_ >= 0;
  }
  void acceptFrom(int listener) { fd_ = accept(listener, nullptr, nullptr); }
  ssize_t send(const char *d, size_t n) { return ::write(fd_, d, n); }
  void close() {
    ::close(fd_);
    fd_ = -1;
  }

private:
  int fd_ = -1;
};

// The member is a file on one path and a socket on another: not provably a file.
class Sink {
public:
  void toFile(const char *path) { fd_ = open(path, O_WRONLY | O_APPEND); }
  void toSocket() { fd_ = socket(AF_UNIX, SOCK_STREAM, 0); }
  ssize_t emit(const char *d, size_t n) { return write(fd_, d, n); }
  ~Sink() { close(fd_); }

private:
  int fd_ = -1;
};

// Handed in from outside only.
class Adopted {
public:
  explicit Adopted(int fd) : fd_(fd) {}
  ssize_t put(const char *d, size_t n) { return write(fd_, d, n); }
  ~Adopted() { close(fd_); }

private:
  int fd_;
};

// Opened for reading only.
class Reader {
public:
  bool open(const char *path) {
    fd_ = ::open(path, O_RDONLY | O_CLOEXEC);
    return fd_ >= 0;
  }
  ssize_t get(char *d, size_t n) { return read(fd_, d, n); }
  ~Reader() {
    if (fd_ >= 0)
      close(fd_);
  }

private:
  int fd_ = -1;
};

// Opened for writing, never written: a lock file.
class LockFile {
public:
  bool acquire(const char *path) {
    fd_ = open(path, O_WRONLY | O_CREAT, 0600);
    return fd_ >= 0;
  }
  ~LockFile() {
    if (fd_ >= 0)
      close(fd_);
  }

private:
  int fd_ = -1;
};

// Sometimes handed in, sometimes a temporary file this class writes; the function that closes
// it writes nothing: not shown to be a file written here.
class Spool {
public:
  void adopt(int fd) { fd_ = fd; }
  bool makeTemp(char *tmpl) {
    fd_ = mkstemp(tmpl);
    return fd_ >= 0;
  }
  ssize_t put(const char *d, size_t n) { return write(fd_, d, n); }
  void release() {
    close(fd_);
    fd_ = -1;
  }

private:
  int fd_ = -1;
};
