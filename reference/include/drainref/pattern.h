// drainref/pattern.h - the deterministic body served by GET /bytes/N and the
// checksum sent in X-Checksum, shared by the servers and the clients.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace drainref {

// Byte i of every synthetic body. Mixing in the higher bits of i gives the
// pattern a period of 2^32, so a body that lost or repeated a block of bytes
// fails the byte-for-byte check at the first wrong offset.
constexpr std::uint8_t pattern_byte(std::uint64_t i) noexcept {
  return static_cast<std::uint8_t>((i * 131u + 7u) ^ (i >> 8) ^ (i >> 16) ^ (i >> 24));
}

inline void fill_pattern(char* dst, std::size_t n, std::uint64_t start) noexcept {
  for (std::size_t k = 0; k < n; ++k) dst[k] = static_cast<char>(pattern_byte(start + k));
}

// FNV-1a, 64 bit.
class Fnv1a64 {
 public:
  void update(std::string_view s) noexcept { update(s.data(), s.size()); }
  void update(const char* p, std::size_t n) noexcept {
    std::uint64_t h = h_;
    for (std::size_t k = 0; k < n; ++k) {
      h ^= static_cast<unsigned char>(p[k]);
      h *= 0x100000001b3ull;
    }
    h_ = h;
  }
  [[nodiscard]] std::uint64_t value() const noexcept { return h_; }
  [[nodiscard]] std::string hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h_));
    return std::string(buf, 16);
  }

 private:
  std::uint64_t h_ = 0xcbf29ce484222325ull;
};

inline std::string fnv1a64_hex(std::string_view s) {
  Fnv1a64 f;
  f.update(s);
  return f.hex();
}

}  // namespace drainref
