/* Mock of <event2/bufferevent.h> (libevent 2.1) for drain's lit tests: declarations only. */
#ifndef DRAIN_MOCK_EVENT2_BUFFEREVENT_H
#define DRAIN_MOCK_EVENT2_BUFFEREVENT_H
#include <stddef.h>
#include <event2/buffer.h>
#ifdef __cplusplus
extern "C" {
#endif
struct bufferevent;
enum bufferevent_flush_mode { BEV_NORMAL = 0, BEV_FLUSH = 1, BEV_FINISHED = 2 };
#define EV_WRITE 0x04
int bufferevent_write(struct bufferevent *bufev, const void *data, size_t size);
int bufferevent_write_buffer(struct bufferevent *bufev, struct evbuffer *buf);
int bufferevent_flush(struct bufferevent *bufev, short iotype, enum bufferevent_flush_mode mode);
struct evbuffer *bufferevent_get_output(struct bufferevent *bufev);
void bufferevent_free(struct bufferevent *bufev);
typedef void (*bufferevent_data_cb)(struct bufferevent *bev, void *ctx);
typedef void (*bufferevent_event_cb)(struct bufferevent *bev, short what, void *ctx);
void bufferevent_setcb(struct bufferevent *bufev, bufferevent_data_cb readcb,
                       bufferevent_data_cb writecb, bufferevent_event_cb eventcb, void *cbarg);
#ifdef __cplusplus
}
#endif
#endif
