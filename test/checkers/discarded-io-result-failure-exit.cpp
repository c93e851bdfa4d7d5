// drain-discarded-io-result in C++: a close followed by a throw is on a failure exit (the
// caller gets the exception, the output is abandoned); a member stream that nothing was
// written to since this method opened it loses nothing. The same closes on the way to
// success, or after the object wrote to the stream, are still reported.
// RUN: %check_drain -std=c++17 %s drain-discarded-io-result %t

#include <cstdio>
#include <stdexcept>
#include <string>

int copy_contents(std::FILE *from, std::FILE *to);

// positives

void save_copy(std::FILE *in, const std::string &path) {
  std::FILE *out = std::fopen(path.c_str(), "w");
  if (!out)
    throw std::runtime_error("cannot open " + path);
  if (copy_contents(in, out) == 0) {
    std::fclose(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
    return;
  }
  if (std::fclose(out) != 0)
    throw std::runtime_error("cannot close " + path);
}

class Journal {
public:
  void start(const char *path) {
    fp_ = std::fopen(path, "a");
    if (!fp_)
      return;
    header();
    std::fclose(fp_);
    // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
    fp_ = nullptr;
  }
  // Negative: line buffering could not be set right after the open; a counter beside the
  // stream is no write to it.
  void line_buffered(const char *path) {
    fp_ = std::fopen(path, "a");
    if (!fp_)
      return;
    entries_ = 0;
    if (std::setvbuf(fp_, nullptr, _IOLBF, 4096) != 0) {
      std::fclose(fp_);
      fp_ = nullptr;
    }
  }

private:
  void header() { std::fputs("# journal\n", fp_); }
  std::FILE *fp_ = nullptr;
  long entries_ = 0;
};

// negatives

void save_copy_or_throw(std::FILE *in, const std::string &path) {
  std::FILE *out = std::fopen(path.c_str(), "w");
  if (!out)
    throw std::runtime_error("cannot open " + path);
  if (copy_contents(in, out) != 0) {
    std::fclose(out);
    throw std::runtime_error("cannot copy to " + path);
  }
  if (std::fclose(out) != 0)
    throw std::runtime_error("cannot close " + path);
}

void save_copy_or_rethrow(std::FILE *in, std::FILE *out) {
  try {
    if (copy_contents(in, out) != 0)
      throw std::runtime_error("copy failed");
  } catch (...) {
    std::fclose(out);
    throw;
  }
}
