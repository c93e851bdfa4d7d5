// drain-discarded-io-result on a stdio stream that an RAII holder closes (pugixml's
// save_file: `auto_deleter<FILE> file(open_file(path, "wb"), close_file)`). The last buffered
// block goes out only when the holder's deleter closes the stream, and the deleter drops what
// fclose answers; a function that answers whether the write worked then reports success for a
// truncated file. A stream opened for reading, a function answering nothing, a holder released
// and closed by hand, a flush whose result is tested, a holder handed on and a deleter that
// looks at the close's result are not reported.
// RUN: %check_drain -std=c++17 %s drain-discarded-io-result %t

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

template <typename T> struct auto_deleter {
  typedef void (*D)(T *);
  T *data;
  D deleter;
  auto_deleter(T *data_, D deleter_) : data(data_), deleter(deleter_) {}
  ~auto_deleter() {
    if (data)
      deleter(data);
  }
  T *release() {
    T *result = data;
    data = 0;
    return result;
  }
};

void close_file(FILE *file) {
  fclose(file);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
}

struct Document {
  std::string text;
};

void write_document(const Document &doc, FILE *file) {
  fwrite(doc.text.data(), 1, doc.text.size(), file);
}

struct FileCloser {
  void operator()(FILE *f) const { fclose(f); }
  // CHECK-MESSAGES: :[[@LINE-1]]:36: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

// positives

bool save_file(const Document &doc, const char *path, bool text) {
  auto_deleter<FILE> file(fopen(path, text ? "w" : "wb"), close_file);
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: stream 'file' is closed only by the deleter 'close_file', which drops the result of 'fclose'; 'save_file' can answer success for data that never reached the file [drain-discarded-io-result]
  if (!file.data)
    return false;
  write_document(doc, file.data);
  return ferror(file.data) == 0;
}

bool save_with_unique_ptr(const char *path, const char *line) {
  std::unique_ptr<FILE, decltype(&fclose)> out(fopen(path, "w"), &fclose);
  // CHECK-MESSAGES: :[[@LINE-1]]:44: warning: stream 'out' is closed only by the deleter 'fclose', which drops the result of 'fclose'; 'save_with_unique_ptr' can answer success for data that never reached the file [drain-discarded-io-result]
  if (!out)
    return false;
  return fputs(line, out.get()) != EOF;
}

int write_config(const char *path, int value) {
  FilePtr f(fopen(path, "a"));
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: stream 'f' is closed only by the deleter 'FileCloser', which drops the result of 'fclose'; 'write_config' can answer success for data that never reached the file [drain-discarded-io-result]
  if (!f)
    return -1;
  if (fprintf(f.get(), "value=%d\n", value) < 0)
    return -1;
  return 0;
}

bool save_with_lambda(const char *path, const std::string &data) {
  auto closer = [](FILE *f) { fclose(f); };
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  std::unique_ptr<FILE, decltype(closer)> f(fopen(path, "wb"), closer);
  // CHECK-MESSAGES: :[[@LINE-1]]:43: warning: stream 'f' is closed only by the deleter 'closer', which drops the result of 'fclose'; 'save_with_lambda' can answer success for data that never reached the file [drain-discarded-io-result]
  if (!f)
    return false;
  return fwrite(data.data(), 1, data.size(), f.get()) == data.size();
}

// negatives

// The fix: the stream is taken out of the holder and closed by hand; the holder closes it
// only on the failure path.
bool save_file_fixed(const Document &doc, const char *path, bool text) {
  auto_deleter<FILE> file(fopen(path, text ? "w" : "wb"), close_file);
  if (!file.data)
    return false;
  write_document(doc, file.data);
  return fflush(file.data) == 0 && ferror(file.data) == 0 && fclose(file.release()) == 0;
}

bool load_file(Document &doc, const char *path) {
  auto_deleter<FILE> file(fopen(path, "rb"), close_file);
  if (!file.data)
    return false;
  char buf[256];
  size_t n = fread(buf, 1, sizeof buf, file.data);
  doc.text.assign(buf, n);
  return ferror(file.data) == 0;
}

// A best-effort dump: nobody is told whether it worked.
void dump_debug(const char *path, const std::string &data) {
  FilePtr f(fopen(path, "w"));
  if (f)
    fwrite(data.data(), 1, data.size(), f.get());
}

// The buffer is flushed and the answer tested before success is reported.
bool save_flushed(const char *path, const char *line) {
  std::unique_ptr<FILE, decltype(&fclose)> out(fopen(path, "w"), &fclose);
  if (!out)
    return false;
  if (fputs(line, out.get()) == EOF)
    return false;
  return fflush(out.get()) == 0;
}

bool finish_and_close(FilePtr f);

// The holder is handed on: whoever receives it decides how it is closed.
bool save_handed_on(const char *path, const char *line) {
  FilePtr f(fopen(path, "w"));
  if (!f || fputs(line, f.get()) == EOF)
    return false;
  return finish_and_close(std::move(f));
}

struct CheckedCloser {
  void operator()(FILE *f) const {
    if (fclose(f) != 0)
      abort();
  }
};

// The deleter looks at the close's answer.
bool save_checked_closer(const char *path, const char *line) {
  std::unique_ptr<FILE, CheckedCloser> f(fopen(path, "w"));
  if (!f)
    return false;
  return fputs(line, f.get()) != EOF;
}

// A factory: the holder is the answer, not a status.
FilePtr open_log(const char *path) {
  FilePtr f(fopen(path, "a"));
  return f;
}

// The stream is released and closed under another name.
int save_released(const char *path, int value) {
  FilePtr f(fopen(path, "w"));
  if (!f)
    return -1;
  if (fprintf(f.get(), "%d\n", value) < 0)
    return -1;
  FILE *raw = f.release();
  return fclose(raw) == 0 ? 0 : -1;
}

// A holder class of the project's own, closing in its destructor.
class ScopedFile {
public:
  explicit ScopedFile(FILE *f) : f_(f) {}
  ~ScopedFile() {
    if (f_)
      fclose(f_);
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  }
  ScopedFile(const ScopedFile &) = delete;
  ScopedFile &operator=(const ScopedFile &) = delete;
  FILE *get() const { return f_; }
  // Closes by hand and answers whether everything reached the file.
  bool close() {
    int rc = fclose(f_);
    f_ = nullptr;
    return rc == 0;
  }

private:
  FILE *f_;
};

// positives

bool save_scoped(const char *path, const std::string &data) {
  ScopedFile out(fopen(path, "w"));
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: stream 'out' is closed only by the destructor of 'ScopedFile', which drops the result of 'fclose'; 'save_scoped' can answer success for data that never reached the file [drain-discarded-io-result]
  if (!out.get())
    return false;
  return fwrite(data.data(), 1, data.size(), out.get()) == data.size();
}

// negatives

bool save_scoped_closed(const char *path, const std::string &data) {
  ScopedFile out(fopen(path, "w"));
  if (!out.get())
    return false;
  if (fwrite(data.data(), 1, data.size(), out.get()) != data.size())
    return false;
  return out.close();
}

// The helper that writes also flushes and tests the flush (pugixml after its fix).
bool write_and_flush(const std::string &data, FILE *file) {
  if (fwrite(data.data(), 1, data.size(), file) != data.size())
    return false;
  return fflush(file) == 0 && ferror(file) == 0;
}

bool save_flushed_by_helper(const char *path, const std::string &data) {
  FilePtr f(fopen(path, "wb"));
  return f && write_and_flush(data, f.get());
}
