// drainref/app.h - the demo application served by drain-refserver and its
// twin: synthetic bodies (/bytes/N, /chunked/N), echo, and static files.
#pragma once

#include <cstdint>
#include <string>

#include "drainref/response.h"

namespace drainref {

struct AppOptions {
  std::string root;                                // --root; empty: no files
  std::uint64_t max_synthetic = 1ull << 30;         // largest N for /bytes/N
  std::uint64_t cache_bytes = 256ull * 1024 * 1024;  // cache of generated bodies
  std::size_t stream_chunk = 16 * 1024;             // chunk size of /chunked/N
};

// GET|HEAD /bytes/N    N pattern bytes, Content-Length, X-Checksum (FNV-1a 64)
// GET|HEAD /chunked/N  the same bytes with Transfer-Encoding: chunked
// POST /echo           the request body back, with X-Checksum
// GET /health          "ok\n"
// GET /<path>          a regular file under root (sendfile)
Handler make_app(AppOptions options);

}  // namespace drainref
