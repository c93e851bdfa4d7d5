// Mock of <boost/asio.hpp> for drain's lit tests (see detail/asio_mock.inc).
#pragma once
#include "../detail/asio_prelude.inc"
#include <boost/system/error_code.hpp>
#define NS_ASIO_MOCK ::boost::asio
namespace boost {
namespace asio {
using error_code = ::boost::system::error_code;
#include "../detail/asio_mock.inc"
} // namespace asio
} // namespace boost
#define NS_ASIO_MOCK_NAMESPACE boost::asio
#include "../detail/asio_coro.inc"
#undef NS_ASIO_MOCK_NAMESPACE
#undef NS_ASIO_MOCK
