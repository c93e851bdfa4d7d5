// The part of Poco's Net library the model pack names, declared for the tests (there is no
// Poco -dev package in the test environment).
namespace Poco::Net {
class Socket {
public:
  void close();
};
class StreamSocket : public Socket {
public:
  int sendBytes(const void *buffer, int length, int flags = 0);
  void shutdownSend();
};
} // namespace Poco::Net
