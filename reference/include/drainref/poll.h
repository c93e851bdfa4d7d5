// drainref/poll.h - result types of the reference HTTP/1 connection.
//
// Every operation that may not finish at once returns a Poll. The type is
// [[nodiscard]]: dropping a Poll on the floor (hyper's `let _ = poll_flush()`)
// is a compile-time warning, and the project builds with -Werror in CI.
#pragma once

#include <cstdint>

namespace drainref {

// Ready:   the operation completed (for poll_flush: the write buffer is empty
//          and every byte was accepted by the kernel).
// Pending: the operation could not finish now; the caller must wait for the
//          readiness reported by interest() and call again.
// Error:   the connection failed (reset, protocol error after which nothing
//          can be sent); the caller drops the connection.
enum class [[nodiscard]] Poll : std::uint8_t { Ready, Pending, Error };

// What the event loop must wait for before polling the connection again.
struct Interest {
  bool read = false;
  bool write = false;
  friend bool operator==(const Interest&, const Interest&) = default;
};

const char* to_string(Poll p) noexcept;

}  // namespace drainref
