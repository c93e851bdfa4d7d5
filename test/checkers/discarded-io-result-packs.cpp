// The model packs' rows for dropped results: libraries declared here (no -dev packages in the
// test environment). A pack row that may be dropped stays silent.
// RUN: %check_drain -std=c++17 %s drain-discarded-io-result %t -- -- -I%S/Inputs/packs

typedef struct nghttp2_session nghttp2_session;
typedef struct gzFile_s *gzFile;
extern "C" {
int nghttp2_session_send(nghttp2_session *session);
int nghttp2_session_want_write(nghttp2_session *session);
int gzflush(gzFile file, int flush);
int gzclose(gzFile file);
}
#include "poco-net.h"

// positives

void h2_pump(nghttp2_session *s) {
  nghttp2_session_send(s);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: result of 'nghttp2_session_send' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: {{.*}}
}

void gz_finish(gzFile f) {
  gzflush(f, 4);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: result of 'gzflush' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: {{.*}}
  gzclose(f);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: result of 'gzclose' is discarded; {{.*}} [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: {{.*}}
}

// negatives

// Poco's blocking sockets send everything or throw: the count may be dropped (DialogSocket).
void dialog_send_string(Poco::Net::StreamSocket &s, const char *str, int n) {
  s.sendBytes(str, n);
}
void dialog_telnet(Poco::Net::StreamSocket &s, unsigned char cmd) {
  unsigned char buffer[2] = {255, cmd};
  s.sendBytes(buffer, 2);
}
void poco_half_close(Poco::Net::StreamSocket &s) { s.shutdownSend(); }
bool h2_idle(nghttp2_session *s) {
  nghttp2_session_want_write(s);
  return true;
}
int h2_pump_checked(nghttp2_session *s) { return nghttp2_session_send(s) != 0 ? -1 : 0; }
int gz_finish_checked(gzFile f) {
  if (gzflush(f, 4) != 0)
    return -1;
  return gzclose(f);
}
