// The C++ shape of discarded-io-result-inferred.c: a class whose stream member is opened in
// its constructor's initializer. A close method on a member that may be opened for reading is
// silent where dropped; one on a member only ever opened for appending is reported.
// RUN: %check_drain -std=c++17 %s drain-discarded-io-result %t

#include <cstdio>

class File {
public:
  File(const char *path, bool read_only) : fp_(std::fopen(path, read_only ? "r" : "w")) {}
  int close() { return std::fclose(fp_); }

private:
  FILE *fp_;
};

class Log {
public:
  explicit Log(const char *path) : fp_(std::fopen(path, "a")) {}
  int close() { return std::fclose(fp_); }

private:
  FILE *fp_;
};

// positives

void rotate(Log &log) {
  log.close();
  // CHECK-NOTES: :[[@LINE-1]]:7: warning: result of 'close' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:7: note: {{.*}}
}

// negatives

void done_reading(File &f) { f.close(); }
int rotate_checked(Log &log) { return log.close() == 0 ? 0 : -1; }
