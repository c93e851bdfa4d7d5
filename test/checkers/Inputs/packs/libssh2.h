// The libssh2 declarations the tests use (no libssh2 -dev package in the test environment).
#ifndef TEST_LIBSSH2_H
#define TEST_LIBSSH2_H
#include <stddef.h>
#include <sys/types.h>

typedef struct _LIBSSH2_CHANNEL LIBSSH2_CHANNEL;
typedef struct _LIBSSH2_SFTP_HANDLE LIBSSH2_SFTP_HANDLE;

#define LIBSSH2_ERROR_EAGAIN -37

ssize_t libssh2_channel_write_ex(LIBSSH2_CHANNEL *channel, int stream_id, const char *buf,
                                 size_t buflen);
#define libssh2_channel_write(channel, buf, buflen)                                          \
  libssh2_channel_write_ex((channel), 0, (buf), (buflen))
ssize_t libssh2_sftp_write(LIBSSH2_SFTP_HANDLE *handle, const char *buffer, size_t count);

#endif
