// RUN: %check_drain -std=c++17 %s drain-shutdown-before-flush %t

// An output queue held by a class whose methods are defined in another file: only their
// declarations are here. OpenRCT2's server queued the authentication reply with
// `connection.QueuePacket(...)` (a deque of packets written out once per tick by
// SendQueuedPackets(), both in NetworkConnection.cpp) and disconnected the socket on the next
// line, so the client never learnt why it was dropped. The fix only marks the connection
// (`connection.Disconnect()`) and the tick sends the queue before it disconnects. The queue
// is the container whose element type a `void` queueing method takes; only what the function
// itself queued (or a helper of this file it handed the connection) is known to wait.

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

struct NetworkPacket {
  std::vector<std::uint8_t> Data;
  std::size_t BytesTransferred = 0;
  std::size_t size() const { return Data.size(); }
};

struct ITcpSocket {
  virtual ~ITcpSocket() = default;
  virtual void Disconnect() = 0;
};

class NetworkConnection final {
public:
  std::unique_ptr<ITcpSocket> Socket = nullptr;
  std::vector<std::uint8_t> Challenge;
  bool ShouldDisconnect = false;

  void QueuePacket(NetworkPacket &&packet, bool front = false);
  void QueuePacket(const NetworkPacket &packet, bool front = false) {
    auto copy = packet;
    QueuePacket(std::move(copy), front);
  }
  void SendQueuedPackets();
  void Disconnect();
  void SetLastDisconnectReason(const char *reason);

private:
  std::deque<NetworkPacket> _outboundPackets;
  bool SendPacket(NetworkPacket &packet);
};

// The server's tick: what is queued goes out here.
void ProcessConnection(NetworkConnection &connection) { connection.SendQueuedPackets(); }

void Send_DisconnectMsg(NetworkConnection &connection, const char *msg) {
  NetworkPacket packet;
  packet.Data.assign(msg, msg + 8);
  connection.QueuePacket(std::move(packet));
}

// positives

// OpenRCT2 before its fix: the reply is queued, then the socket is disconnected at once.
void Server_Send_AUTH(NetworkConnection &connection, bool ok) {
  NetworkPacket packet;
  connection.QueuePacket(std::move(packet));
  if (!ok)
    connection.Socket->Disconnect();
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: the record is ended by 'Disconnect' while its output in '_outboundPackets' may not have been sent [drain-shutdown-before-flush]
}

// Queued by a helper of this file handed the connection (KickPlayer's shape).
void Kick(NetworkConnection *connection) {
  Send_DisconnectMsg(*connection, "kicked");
  connection->Socket->Disconnect();
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: the record is ended by 'Disconnect' while its output in '_outboundPackets' may not have been sent [drain-shutdown-before-flush]
}

// The socket let go of: like `Socket.reset()`, it destroys the socket under the queue.
void Server_Send_FULL(NetworkConnection &connection) {
  NetworkPacket packet;
  connection.QueuePacket(std::move(packet));
  connection.Socket = nullptr;
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: the record is ended by 'Socket' while its output in '_outboundPackets' may not have been sent [drain-shutdown-before-flush]
}

// negatives

// OpenRCT2 after its fix: the connection's own Disconnect() (defined elsewhere) marks it, and
// the tick sends the queue first.
void Server_Send_AUTH_fixed(NetworkConnection &connection, bool ok) {
  NetworkPacket packet;
  connection.QueuePacket(std::move(packet));
  if (!ok)
    connection.Disconnect();
}

void ProcessDisconnectedClient(NetworkConnection &connection) {
  if (!connection.ShouldDisconnect)
    return;
  connection.SendQueuedPackets();
  connection.Socket->Disconnect();
}

// Nothing queued here: what the class holds is its own business.
void Client_Handle_TOKEN(NetworkConnection &connection) {
  connection.SetLastDisconnectReason("verification failure");
  connection.Socket->Disconnect();
}

// Queued on another connection than the one disconnected.
void Relay(NetworkConnection &from, NetworkConnection &to) {
  NetworkPacket packet;
  to.QueuePacket(std::move(packet));
  from.Socket->Disconnect();
}

// Disconnected before anything is queued.
void Reject(NetworkConnection &connection) {
  connection.Socket->Disconnect();
  NetworkPacket packet;
  connection.QueuePacket(std::move(packet));
}

// Two containers of the packets' type: which one is output is not said.
class Mirror {
public:
  std::unique_ptr<ITcpSocket> Socket;
  void QueuePacket(const NetworkPacket &packet);
  void SendQueued();

private:
  std::deque<NetworkPacket> In;
  std::deque<NetworkPacket> Out;
};

void Mirror_Close(Mirror &m) {
  NetworkPacket packet;
  m.QueuePacket(packet);
  m.Socket->Disconnect();
}

// A queueing method whose element type no container holds (a list of ids, not of messages).
class Roster {
public:
  std::unique_ptr<ITcpSocket> Socket;
  void SendName(const std::string &name);
  void SendAll();

private:
  std::vector<int> Ids;
};

void Roster_Close(Roster &r) {
  r.SendName("x");
  r.SendAll();
  r.Socket->Disconnect();
}

void Roster_Drop(Roster &r) {
  r.SendName("x");
  r.Socket->Disconnect();
}

// No method sends what is queued: nothing says the queue is output at all.
class Inbox {
public:
  std::unique_ptr<ITcpSocket> Socket;
  void QueueMessage(NetworkPacket &&packet);

private:
  std::deque<NetworkPacket> Messages;
};

void Inbox_Close(Inbox &box) {
  box.QueueMessage(NetworkPacket{});
  box.Socket->Disconnect();
}
