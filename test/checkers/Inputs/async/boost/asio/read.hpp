// Mock: part of <boost/asio.hpp>.
#pragma once
#include <boost/asio.hpp>
