/* Mock of <event2/buffer.h> (libevent 2.1) for drain's lit tests: declarations only. */
#ifndef DRAIN_MOCK_EVENT2_BUFFER_H
#define DRAIN_MOCK_EVENT2_BUFFER_H
#include <stddef.h>
#include <sys/types.h>
#ifdef __cplusplus
extern "C" {
#endif
struct evbuffer;
typedef int evutil_socket_t;
struct evbuffer *evbuffer_new(void);
void evbuffer_free(struct evbuffer *buf);
int evbuffer_add(struct evbuffer *buf, const void *data, size_t datlen);
size_t evbuffer_get_length(const struct evbuffer *buf);
int evbuffer_write(struct evbuffer *buffer, evutil_socket_t fd);
int evbuffer_write_atmost(struct evbuffer *buffer, evutil_socket_t fd, ssize_t howmuch);
#ifdef __cplusplus
}
#endif
#endif
