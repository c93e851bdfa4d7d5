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

// Writes the content into a stream it is handed and answers without looking at it.
static bool write_content(std::ostream &stream, const std::string &content) {
  stream << content << std::endl;
  return true;
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

// tinygltf: a helper of this file writes the stream and answers true without looking at it.
bool write_gltf_file(const std::string &output, const std::string &content) {
  std::ofstream gltf(output.c_str());
  if (!gltf.is_open())
    return false;
  return write_content(gltf, content);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the state of 'gltf' is never checked after writing; a failed write or close (a full disk) goes unnoticed [drain-discarded-io-result]
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

bool write_gltf_file(const std::string &output, const std::string &content) {
  std::ofstream gltf(output.c_str());
  return write_content(gltf, content);
}
// CHECK-NOTES-NOTES: :[[@LINE-2]]:3: warning: the state of 'gltf' is never checked after writing; a failed write or close (a full disk) goes unnoticed [drain-discarded-io-result]
// CHECK-NOTES-NOTES: :[[@LINE-3]]:10: note: 'gltf' is first written here, by 'write_content'
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
