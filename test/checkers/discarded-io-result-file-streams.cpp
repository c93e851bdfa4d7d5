// drain-discarded-io-result on C++ file streams. An std::ofstream reports a failed write, and
// the failed last flush of its close (a full disk, a quota, NFS), only in its state: a
// function that writes one and reports success (returns true or 0, renames the file into
// place, or a saving function returns) without reading that state after the last write has
// told its caller a truncated file is complete. Reported once, at the close (explicit, or
// the destructor at the end of the stream's scope), with notes at the first write.
// RUN: %check_drain %s drain-discarded-io-result %t
// RUN: %check_drain -check-suffix=NOTES %s drain-discarded-io-result %t -- -- -DNOTES

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

struct Error {
  bool critical = false;
};
static Error MakeCriticalError() { return Error{true}; }

struct Record {
  std::string key, value;
};
std::ostream &operator<<(std::ostream &os, const Record &r) {
  return os << r.key << '=' << r.value << '\n';
}

// Writes the content into a stream it is handed and answers without looking at it. A
// caller that answers what it answers for its file stream (write_gltf_file) hands the
// false answer on: it is reported here, where it is given (tinygltf's WriteGltfStream).
static bool write_content(std::ostream &stream, const std::string &content) {
  stream << content << std::endl;
  return true;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'write_content' answers success without checking the state of 'stream' after writing it; a failed write or close (a full disk) of the file 'gltf' goes unnoticed [drain-discarded-io-result]
}

// Writes the content and answers the stream's state after the flush of std::endl.
static bool write_content_checked(std::ostream &stream, const std::string &content) {
  stream << content << std::endl;
  return stream.good();
}

void archive_to(std::ostream &out, const std::string &data); // defined in another file

#ifndef NOTES
// positives

// psicash: the temporary file is closed and renamed over the good one with no state test.
Error store_datastore(const std::string &path, const std::string &json) {
  const std::string tmp = path + ".temp";
  std::ofstream f;
  f.open(tmp, std::ios::out | std::ios::trunc | std::ios::binary);
  if (!f.is_open())
    return MakeCriticalError();
  f << json;
  f.close();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: the state of 'f' is never checked after writing; a failed write or close (a full disk) goes unnoticed [drain-discarded-io-result]
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return MakeCriticalError();
  return Error{};
}

// The stream's destructor closes the file after the function has answered true.
bool save_settings(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary);
  if (!out)
    return false;
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  return true;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the state of 'out' is never checked after writing; a failed write or close (a full disk) goes unnoticed [drain-discarded-io-result]
}

// tinygltf: a helper of this file writes the stream and answers true without looking at
// it; the answer is this function's (reported in write_content, above).
bool write_gltf_file(const std::string &output, const std::string &content) {
  std::ofstream gltf(output.c_str());
  if (!gltf.is_open())
    return false;
  return write_content(gltf, content);
}

// CppMicroServices: a zip appended through rdbuf(), then the status variable is returned.
int append_zip(const std::string &binary, const std::string &zip) {
  int return_code = EXIT_SUCCESS;
  std::ofstream out(binary, std::ios::ate | std::ios::binary | std::ios::app);
  std::ifstream in(zip, std::ios_base::binary);
  out << in.rdbuf();
  return return_code;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the state of 'out' is never checked after writing; a failed write or close (a full disk) goes unnoticed [drain-discarded-io-result]
}

// A saving function answers nothing: returning is its report of success.
void save_records(const std::string &path, const Record *records, int n) {
  std::basic_ofstream<char> file(path);
  for (int i = 0; i < n; ++i)
    file << records[i];
}
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: the state of 'file' is never checked after writing; a failed write or close (a full disk) goes unnoticed [drain-discarded-io-result]

// The state is tested, but before the last write.
bool export_table(const std::string &path, const std::string &header, const std::string &rows) {
  std::fstream table(path, std::ios::out | std::ios::trunc);
  table << header;
  if (table.fail())
    return false;
  table << rows;
  table.close();
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: the state of 'table' is never checked after writing; a failed write or close (a full disk) goes unnoticed [drain-discarded-io-result]
  return true;
}

// Written through an std::ostream& bound to the file stream.
bool write_report(const std::string &path, const std::string &body) {
  std::ofstream file(path);
  std::ostream &os = file;
  os << "report\n" << body;
  return true;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the state of 'file' is never checked after writing; a failed write or close (a full disk) goes unnoticed [drain-discarded-io-result]
}

// The file is written in an inner scope, closed there, and published by the rename.
bool publish_index(const std::string &path, const std::string &index) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << index;
  }
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the state of 'out' is never checked after writing; a failed write or close (a full disk) goes unnoticed [drain-discarded-io-result]
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

// Helpers of this file, two deep: the false answer is the inner one's.
static bool write_body(std::ostream &os, const std::string &body) {
  os << "BEGIN\n" << body << "END\n";
  return true;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: 'write_body' answers success without checking the state of 'os' after writing it; a failed write or close (a full disk) of the file 'doc' goes unnoticed [drain-discarded-io-result]
}
static bool write_document(std::ostream &os, const std::string &body) {
  return write_body(os, body);
}
bool save_document(const std::string &path, const std::string &body) {
  std::ofstream doc(path);
  return write_document(doc, body);
}
// A second file relaying the same helper: its false answer is reported once, above.
bool save_document_backup(const std::string &path, const std::string &body) {
  std::ofstream backup(path + ".bak");
  return write_document(backup, body);
}

// tinygltf's binary writer as a member function: the writes are never looked at.
class GlbWriter {
public:
  explicit GlbWriter(const std::string &json) : json_(json) {}
  bool write_to(std::ostream &stream) const {
    const char magic[4] = {'g', 'l', 'T', 'F'};
    stream.write(magic, 4);
    stream.write(json_.data(), static_cast<std::streamsize>(json_.size()));
    // TODO: check the writes
    return true;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'write_to' answers success without checking the state of 'stream' after writing it; a failed write or close (a full disk) of the file 'glb' goes unnoticed [drain-discarded-io-result]
  }

private:
  std::string json_;
};

bool write_glb_file(const std::string &path, const GlbWriter &w) {
  std::ofstream glb(path, std::ios::binary);
  return w.write_to(glb);
}

// A stream made by a factory of this file, opened there on the path.
static std::ofstream open_output(const std::string &path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  return out;
}

bool save_blob(const std::string &path, const std::string &blob) {
  std::ofstream file = open_output(path);
  file.write(blob.data(), static_cast<std::streamsize>(blob.size()));
  return true;
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the state of 'file' is never checked after writing; a failed write or close (a full disk) goes unnoticed [drain-discarded-io-result]
}

// negatives

// psicash, fixed: the close's failure is tested before the rename.
Error store_datastore_checked(const std::string &path, const std::string &json) {
  const std::string tmp = path + ".temp";
  std::ofstream f;
  f.open(tmp, std::ios::out | std::ios::trunc | std::ios::binary);
  if (!f.is_open())
    return MakeCriticalError();
  f << json;
  f.close();
  if (f.fail())
    return MakeCriticalError();
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return MakeCriticalError();
  return Error{};
}

bool save_settings_checked(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary);
  if (!out)
    return false;
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  return !out.fail();
}

// tinygltf, fixed: the helper answers the stream's state.
bool write_gltf_file_checked(const std::string &output, const std::string &content) {
  std::ofstream gltf(output.c_str());
  if (!gltf.is_open())
    return false;
  return write_content_checked(gltf, content);
}

// CppMicroServices, fixed.
int append_zip_checked(const std::string &binary, const std::string &zip) {
  int return_code = EXIT_SUCCESS;
  std::ofstream out(binary, std::ios::ate | std::ios::binary | std::ios::app);
  std::ifstream in(zip, std::ios_base::binary);
  out << in.rdbuf();
  out.close();
  if (out.rdstate() & std::ofstream::failbit) {
    std::cerr << "Failed to write file : " << binary << std::endl;
    return_code = EXIT_FAILURE;
  }
  return return_code;
}

// Every write throws on failure.
void save_records_throwing(const std::string &path, const Record *records, int n) {
  std::ofstream file;
  file.exceptions(std::ofstream::failbit | std::ofstream::badbit);
  file.open(path);
  for (int i = 0; i < n; ++i)
    file << records[i];
  file.close();
}

// The state is tested after the last write, in the condition of the flush.
bool export_table_checked(const std::string &path, const std::string &header,
                          const std::string &rows) {
  std::fstream table(path, std::ios::out | std::ios::trunc);
  table << header;
  if (table.fail())
    return false;
  table << rows;
  if (!table.flush())
    return false;
  return true;
}

bool write_report_checked(const std::string &path, const std::string &body) {
  std::ofstream file(path);
  std::ostream &os = file;
  os << "report\n" << body;
  os.flush();
  return static_cast<bool>(os);
}

bool publish_index_checked(const std::string &path, const std::string &index) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << index;
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      return false;
    }
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

// The failure exit: the write failed, the caller is told so.
bool copy_or_fail(const std::string &path, std::istream &in) {
  std::ofstream out(path, std::ios::binary);
  out << in.rdbuf();
  if (!out)
    return false;
  return true;
}

// A stream that is not a file, the standard output, and a file only read.
bool render(std::string &result, const std::string &name) {
  std::ostringstream os;
  os << "hello " << name;
  result = os.str();
  std::cout << result << '\n';
  std::fstream in(name, std::ios::in);
  std::string line;
  std::getline(in, line);
  return true;
}

// A function that does not save anything: a scratch dump nobody is told about.
void debug_trace_state(const std::string &state) {
  std::ofstream trace("/tmp/state.txt", std::ios::app);
  trace << state << '\n';
}

// A side file named for debugging beside the value the function answers.
int sum_with_trace(const int *values, int n) {
  int total = 0;
  std::ofstream dbg("/tmp/sum.txt");
  for (int i = 0; i < n; ++i) {
    total += values[i];
    dbg << values[i] << ' ' << total << '\n';
  }
  return total;
}

// The stream is handed to a function drain cannot see, which may test it.
bool archive(const std::string &path, const std::string &data) {
  std::ofstream out(path, std::ios::binary);
  archive_to(out, data);
  return true;
}

// The stream is handed back to the caller, who owns the check.
std::ofstream open_journal(const std::string &path) {
  std::ofstream journal(path, std::ios::app);
  journal << "# journal\n";
  return journal;
}

// Opened and truncated, nothing written.
bool truncate_file(const std::string &path) {
  std::ofstream out(path, std::ios::trunc);
  return out.is_open();
}

// The helper answers true, but this caller tests its stream after closing it.
bool write_gltf_file_closed(const std::string &output, const std::string &content) {
  std::ofstream gltf(output.c_str());
  if (!write_content(gltf, content))
    return false;
  gltf.close();
  return !gltf.fail();
}

// The same helper's answer for a stream that is no file.
bool render_content(std::string &out, const std::string &content) {
  std::ostringstream os;
  bool ok = write_content(os, content);
  out = os.str();
  return ok;
}

// A member function that answers its stream's state.
class TextWriter {
public:
  bool write_to(std::ostream &os) const {
    os << text_;
    return static_cast<bool>(os);
  }
  std::string text_;
};

bool write_text_file(const std::string &path, const TextWriter &w) {
  std::ofstream f(path);
  return w.write_to(f);
}

// The factory's stream, closed and checked.
bool save_blob_checked(const std::string &path, const std::string &blob) {
  std::ofstream file = open_output(path);
  file.write(blob.data(), static_cast<std::streamsize>(blob.size()));
  file.close();
  return file.good();
}

// A factory of a stream that is no file.
static std::ostringstream make_buffer() {
  std::ostringstream b;
  b << "# ";
  return b;
}

bool fill_buffer(std::string &out) {
  std::ostringstream b = make_buffer();
  b << "x";
  out = b.str();
  return true;
}

#else
// The notes: the first write, where success is reported, the fix.
bool save_settings(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary);
  out << "settings v1\n" << text << '\n';
  out.close();
  return true;
}
// CHECK-NOTES-NOTES: :[[@LINE-3]]:7: warning: the state of 'out' is never checked after writing; a failed write or close (a full disk) goes unnoticed [drain-discarded-io-result]
// CHECK-NOTES-NOTES: :[[@LINE-5]]:7: note: 'out' is first written here
// CHECK-NOTES-NOTES: :[[@LINE-4]]:3: note: the function reports success here
// CHECK-NOTES-NOTES: :[[@LINE-6]]:7: note: check 'out.fail()' (or '!out') after 'out.close()' and report the failure

static bool write_scene(std::ostream &stream, const std::string &content) {
  stream << content << std::endl;
  return true;
}
bool write_gltf_file(const std::string &output, const std::string &content) {
  std::ofstream gltf(output.c_str());
  return write_scene(gltf, content);
}
// CHECK-NOTES-NOTES: :[[@LINE-6]]:3: warning: 'write_scene' answers success without checking the state of 'stream' after writing it; a failed write or close (a full disk) of the file 'gltf' goes unnoticed [drain-discarded-io-result]
// CHECK-NOTES-NOTES: :[[@LINE-3]]:10: note: the file stream 'gltf' is written here by 'write_scene', and 'write_gltf_file' answers what it returns
// CHECK-NOTES-NOTES: :[[@LINE-8]]:3: note: flush 'stream' and answer its state ('stream.good()')

// Answered true by the function itself after the helper: reported where it closes.
bool write_gltf_file_true(const std::string &output, const std::string &content) {
  std::ofstream gltf(output.c_str());
  write_scene(gltf, content);
  return true;
}
// CHECK-NOTES-NOTES: :[[@LINE-2]]:3: warning: the state of 'gltf' is never checked after writing; a failed write or close (a full disk) goes unnoticed [drain-discarded-io-result]
// CHECK-NOTES-NOTES: :[[@LINE-4]]:3: note: 'gltf' is first written here, by 'write_scene'
// CHECK-NOTES-NOTES: :[[@LINE-4]]:3: note: 'gltf' is closed here by its destructor, after the function has reported success; close it with 'gltf.close()' and check 'gltf.fail()' (or '!gltf') before reporting success

bool publish_index(const std::string &path, const std::string &index) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << index;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}
// CHECK-NOTES-NOTES: :[[@LINE-3]]:3: warning: the state of 'out' is never checked after writing; a failed write or close (a full disk) goes unnoticed [drain-discarded-io-result]
// CHECK-NOTES-NOTES: :[[@LINE-5]]:9: note: 'out' is first written here
// CHECK-NOTES-NOTES: :[[@LINE-4]]:15: note: the file is renamed here, as if it were complete
// CHECK-NOTES-NOTES: :[[@LINE-6]]:3: note: 'out' is closed here by its destructor; close it with 'out.close()' and check 'out.fail()' (or '!out') before reporting success
#endif
