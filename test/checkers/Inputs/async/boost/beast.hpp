// Mock of <boost/beast.hpp> for drain's lit tests.
#pragma once
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
