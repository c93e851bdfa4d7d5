// Mock of standalone <asio.hpp> for drain's lit tests (see detail/asio_mock.inc).
#pragma once
#include "detail/asio_prelude.inc"
#include <system_error>
#define NS_ASIO_MOCK ::asio
namespace asio {
using error_code = std::error_code;
#include "detail/asio_mock.inc"
} // namespace asio
#define NS_ASIO_MOCK_NAMESPACE asio
#include "detail/asio_coro.inc"
#undef NS_ASIO_MOCK_NAMESPACE
#undef NS_ASIO_MOCK
