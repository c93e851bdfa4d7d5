// drainref/net.h - small socket helpers shared by the servers and the tools.
#pragma once

#include <cstdint>
#include <string>

#include "drainref/response.h"

namespace drainref {

// "127.0.0.1:8080" (port 0 picks a free port). Returns the listening socket
// (non-blocking) and stores the bound port. Throws std::system_error.
UniqueFd listen_tcp(const std::string& host_port, std::uint16_t* bound_port);
// Removes a stale socket file first. Throws std::system_error.
UniqueFd listen_unix(const std::string& path);
// Blocking client connections. Return an invalid fd and set errno on failure.
UniqueFd connect_unix(const std::string& path);
UniqueFd connect_tcp(const std::string& host_port);

// setsockopt wrappers; return false on failure.
bool set_sndbuf(int fd, int bytes);
bool set_rcvbuf(int fd, int bytes);
bool set_nonblocking(int fd, bool on);

}  // namespace drainref
