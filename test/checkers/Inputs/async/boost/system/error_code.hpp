// Mock of <boost/system/error_code.hpp> for drain's lit tests: just the shape the checks see.
#pragma once
#include <string>
namespace boost {
namespace system {
class error_category {};
class error_code {
public:
  error_code() noexcept = default;
  int value() const noexcept { return v_; }
  std::string message() const { return {}; }
  explicit operator bool() const noexcept { return v_ != 0; }
  bool failed() const noexcept { return v_ != 0; }
  void clear() noexcept { v_ = 0; }
  friend bool operator==(const error_code &a, const error_code &b) { return a.v_ == b.v_; }
  friend bool operator!=(const error_code &a, const error_code &b) { return a.v_ != b.v_; }

private:
  int v_ = 0;
};
class system_error {
public:
  explicit system_error(error_code) {}
};
} // namespace system
} // namespace boost
