// Mock: part of <boost/beast/core.hpp>.
#pragma once
#include <boost/beast/core.hpp>
#include <boost/asio/ssl.hpp>
