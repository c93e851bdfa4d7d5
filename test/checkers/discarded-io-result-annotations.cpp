// An own connection class annotated with <drain/annotations.h> is checked like the built-in
// APIs; C++14 gets the GNU spelling of the attributes, C++17 and later the standard one.
// RUN: %check_drain -std=c++14,c++17,c++20 %s drain-discarded-io-result %t -- -- -I%drain_src/integrations/annotations
// GCC sees nothing and says nothing.
// RUN: g++ -std=c++14 -fsyntax-only -Wall -Wextra -Wpedantic -Werror -Wno-unused-result -I%drain_src/integrations/annotations %s
// RUN: g++ -std=c++17 -fsyntax-only -Wall -Wextra -Wpedantic -Werror -Wno-unused-result -I%drain_src/integrations/annotations %s
// Neither does Clang itself.
// RUN: clang++ -std=c++17 -fsyntax-only -Wall -Wextra -Wpedantic -Werror -Wno-unused-result -I%drain_src/integrations/annotations %s

#include <drain/annotations.h>
#include <stddef.h>
#include <sys/types.h>

enum class DRAIN_PENDING_TYPE Flush { Done DRAIN_READY, Later DRAIN_PENDING };
// No enumerator is called Pending/WouldBlock/...: the annotation says which one is.
enum class Progress { Complete, Waiting DRAIN_PENDING };

class Connection {
public:
  DRAIN_WRITE ssize_t put(const char *data, DRAIN_LENGTH size_t len);
  DRAIN_FLUSH Flush push();
  DRAIN_FLUSH int push_fd();
  DRAIN_SHUTDOWN bool finish();
  DRAIN_CLOSE void close();
  DRAIN_EMPTY_TEST bool idle() const;
  DRAIN_MAY_DISCARD Flush push_hint();
  Progress advance();
  int stats();
};

DRAIN_FLUSH int flush_fd(DRAIN_CHANNEL int fd);

struct Base {
  DRAIN_FLUSH virtual int drain_some() = 0;
  virtual ~Base() = default;
};
struct Derived : Base {
  int drain_some() override; // the overridden declaration's annotation applies
};

template <class T> struct Buffered {
  DRAIN_FLUSH int push();
};

// positives

void own_write_dropped(Connection &c, const char *p, size_t n) {
  c.put(p, n);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'put' is discarded; a failed or short write goes unnoticed [drain-discarded-io-result]
}

void own_flush_dropped(Connection &c) {
  (void)c.push();
  // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: result of 'push' is discarded; a Flush::Later here means the buffer still holds data [drain-discarded-io-result]
}

void own_flush_status_dropped(Connection &c) {
  c.push_fd();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'push_fd' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
}

void own_shutdown_dropped(Connection &c) {
  c.finish();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'finish' is discarded; 'false' here means the shutdown did not finish [drain-discarded-io-result]
}

void annotated_pending_enumerator_dropped(Connection &c) {
  c.advance();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'advance' is discarded; a Progress::Waiting here means the operation has not finished [drain-discarded-io-result]
}

void annotated_free_function_dropped(int fd) {
  flush_fd(fd);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'flush_fd' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
}

void override_of_annotated_method_dropped(Derived &d) {
  d.drain_some();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'drain_some' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
}

void annotated_template_member_dropped(Buffered<int> &b) {
  b.push();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'push' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
}

// negatives

void own_close_returns_nothing(Connection &c) {
  c.close();
}

void own_empty_test_may_be_dropped(Connection &c) {
  c.idle();
}

void own_may_discard_function(Connection &c) {
  c.push_hint();
}

void own_unannotated_function(Connection &c) {
  c.stats();
}

int own_write_compared_with_length(Connection &c, const char *p, size_t n) {
  if (c.put(p, n) != static_cast<ssize_t>(n))
    return -1;
  return 0;
}

Flush own_flush_checked(Connection &c) {
  if (c.push() == Flush::Later)
    return Flush::Later;
  return c.finish() ? Flush::Done : Flush::Later;
}

Flush own_flush_dropped_then_yield(Connection &c) {
  (void)c.push();
  return Flush::Later;
}

bool own_progress_checked(Connection &c) {
  return c.advance() == Progress::Complete;
}

int annotated_free_function_checked(int fd) {
  return flush_fd(fd);
}

int override_result_returned(Derived &d) {
  return d.drain_some();
}
