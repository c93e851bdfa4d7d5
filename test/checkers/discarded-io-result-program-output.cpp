// The output of a whole program in C++: std::cout is flushed at exit by the library, and a
// failed flush there only sets a state nobody reads. One program per RUN line.
// RUN: %check_drain -check-suffix=COUT %s drain-discarded-io-result %t -- -- -DREPORT_STREAMED_THEN_SUCCESS
// RUN: %check_drain -check-suffix=WRITE %s drain-discarded-io-result %t -- -- -DDUMP_WRITTEN_BY_MEMBER_HELPER
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -DREPORT_STREAMED_FLUSHED_AND_TESTED
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -DDUMP_WITH_EXCEPTIONS_ENABLED
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -DLAST_LINE_TESTED_IN_CHAIN
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -DTEST_RUNNER_MAIN
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -DDIAGNOSTICS_TO_CERR
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -DMEMBER_RUN_FLUSHES_AND_TESTS
// RUN: %check_drain %s drain-discarded-io-result %t -config="{CheckOptions: [{key: drain-discarded-io-result.CheckProgramOutput, value: false}]}" -- -- -DREPORT_STREAMED_THEN_SUCCESS

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

static std::vector<std::string> collect(int argc, char **argv) {
  return std::vector<std::string>(argv + 1, argv + argc);
}

// positives

#ifdef REPORT_STREAMED_THEN_SUCCESS
int main(int argc, char **argv) {
  std::vector<std::string> names = collect(argc, argv);
  if (names.empty()) {
    std::cerr << "nothing to list\n";
    return EXIT_FAILURE;
  }
  for (const std::string &n : names)
    std::cout << n.size() << ' ' << n << '\n';
  return EXIT_SUCCESS;
  // CHECK-MESSAGES-COUT: :[[@LINE-1]]:3: warning: the program reports success without checking that its output to stdout was written; a full disk or closed pipe truncates it silently [drain-discarded-io-result]
}
#endif

#ifdef DUMP_WRITTEN_BY_MEMBER_HELPER
struct Dumper {
  void dump(const std::string &blob) { std::cout.write(blob.data(), blob.size()); }
};

int main(int argc, char **argv) {
  Dumper d;
  for (const std::string &n : collect(argc, argv))
    d.dump(n);
  return 0;
  // CHECK-MESSAGES-WRITE: :[[@LINE-1]]:3: warning: the program reports success without checking that its output to stdout was written; a full disk or closed pipe truncates it silently [drain-discarded-io-result]
}
#endif

// negatives

#ifdef REPORT_STREAMED_FLUSHED_AND_TESTED
int main(int argc, char **argv) {
  std::vector<std::string> names = collect(argc, argv);
  if (names.empty()) {
    std::cerr << "nothing to list\n";
    return EXIT_FAILURE;
  }
  for (const std::string &n : names)
    std::cout << n.size() << ' ' << n << '\n';
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "error writing the list\n";
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}
#endif

#ifdef DUMP_WITH_EXCEPTIONS_ENABLED
struct Dumper {
  void dump(const std::string &blob) { std::cout.write(blob.data(), blob.size()); }
};

int main(int argc, char **argv) {
  std::cout.exceptions(std::ios::badbit | std::ios::failbit);
  Dumper d;
  try {
    for (const std::string &n : collect(argc, argv))
      d.dump(n);
    std::cout.flush();
  } catch (const std::ios::failure &e) {
    std::cerr << "write error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
#endif

#ifdef LAST_LINE_TESTED_IN_CHAIN
int main(int argc, char **argv) {
  std::vector<std::string> names = collect(argc, argv);
  for (const std::string &n : names)
    std::cout << n << '\n';
  if (!(std::cout << "total " << names.size() << std::endl))
    return 1;
  return 0;
}
#endif

#ifdef TEST_RUNNER_MAIN
// A test binary's stdout is its report; its verdict is the exit status the runner answers.
namespace testing {
void InitGoogleTest(int *argc, char **argv);
class UnitTest {
public:
  static UnitTest *GetInstance();
  int Run();
};
} // namespace testing

int main(int argc, char **argv) {
  std::cout << "Running main() from the suite\n";
  testing::InitGoogleTest(&argc, argv);
  return testing::UnitTest::GetInstance()->Run();
}
#endif

#ifdef DIAGNOSTICS_TO_CERR
int main(int argc, char **argv) {
  for (const std::string &n : collect(argc, argv))
    std::cerr << "skipping " << n << '\n';
  std::clog << "done\n";
  return 0;
}
#endif

#ifdef MEMBER_RUN_FLUSHES_AND_TESTS
// The program's body is a member function; it tests the flush of what it printed.
class Lister {
public:
  explicit Lister(std::vector<std::string> names) : names_(std::move(names)) {}
  int run() {
    for (const std::string &n : names_)
      std::printf("%s\n", n.c_str());
    if (std::fflush(stdout) != 0)
      return 1;
    return 0;
  }

private:
  std::vector<std::string> names_;
};

int main(int argc, char **argv) {
  Lister l(collect(argc, argv));
  return l.run();
}
#endif
