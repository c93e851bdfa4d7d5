// RUN: %check_drain -std=c++17,c++20 %s drain-shutdown-before-flush %t -- -- -I%drain_src/integrations/annotations
// RUN: g++ -std=c++17 -fsyntax-only -Wall -Wextra -Wpedantic -Werror -I%drain_src/integrations/annotations %s

// Your own connection class, named so that drain's member-name words do not recognise it: the
// annotations from <drain/annotations.h> say which member holds bytes owed to the peer, which
// is the socket, and what the methods do.

#include <drain/annotations.h>
#include <string>
#include <unistd.h>

enum class DRAIN_PENDING_TYPE Drain { Done DRAIN_READY, Later DRAIN_PENDING };

class Link {
public:
  void put(const char *S) { spool_.append(S); }
  DRAIN_FLUSH Drain push();
  void hang_up();
  void hang_up_when_drained();
  Drain finish();

private:
  DRAIN_WRITE_BUFFER std::string spool_;
  DRAIN_SOCKET int peer_ = -1;
};

// The same shape without annotations: drain does not know the members, so it says nothing.
class Plain {
public:
  void put(const char *S) { spool_.append(S); }
  void hang_up() { ::close(peer_); }

private:
  std::string spool_;
  int peer_ = -1;
};

// positives

void Link::hang_up() {
  ::close(peer_);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: the connection is closed while its write buffer 'spool_' may still hold data [drain-shutdown-before-flush]
}

void put_then_hang_up(Link &L) {
  L.put("bye\r\n");
  (void)L.push();
  L.hang_up();
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'L' is closed by 'hang_up' while its write buffer may still hold data [drain-shutdown-before-flush]
}

// negatives

void Link::hang_up_when_drained() {
  if (!spool_.empty())
    return;
  ::close(peer_);
}

Drain Link::finish() {
  if (push() == Drain::Later)
    return Drain::Later;
  ::close(peer_);
  return Drain::Done;
}

void plain_put_then_hang_up(Plain &P) {
  P.put("bye\r\n");
  P.hang_up();
}
