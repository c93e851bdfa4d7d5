/* Mock of <uv.h> (libuv 1.44) for drain's lit tests: the types and calls the checks model,
 * with libuv's names, argument orders and callback signatures. Declarations only; C and C++. */
#ifndef DRAIN_MOCK_UV_H
#define DRAIN_MOCK_UV_H
#include <stddef.h>
#include <sys/types.h>
#ifdef __cplusplus
extern "C" {
#endif

#define UV_HANDLE_FIELDS void *data; struct uv_loop_s *loop; int type;
#define UV_REQ_FIELDS void *data; int type;
#define UV_STREAM_FIELDS size_t write_queue_size;

typedef enum { UV_RUN_DEFAULT = 0, UV_RUN_ONCE, UV_RUN_NOWAIT } uv_run_mode;
enum { UV_EOF = -4095, UV_ECANCELED = -125, UV_EAGAIN = -11 };

typedef struct uv_loop_s uv_loop_t;
typedef struct uv_handle_s uv_handle_t;
typedef struct uv_stream_s uv_stream_t;
typedef struct uv_tcp_s uv_tcp_t;
typedef struct uv_pipe_s uv_pipe_t;
typedef struct uv_timer_s uv_timer_t;
typedef struct uv_write_s uv_write_t;
typedef struct uv_shutdown_s uv_shutdown_t;
typedef struct uv_connect_s uv_connect_t;

typedef struct uv_buf_t {
  char *base;
  size_t len;
} uv_buf_t;

struct uv_loop_s { void *data; };
struct uv_handle_s { UV_HANDLE_FIELDS };
struct uv_stream_s { UV_HANDLE_FIELDS UV_STREAM_FIELDS };
struct uv_tcp_s { UV_HANDLE_FIELDS UV_STREAM_FIELDS };
struct uv_pipe_s { UV_HANDLE_FIELDS UV_STREAM_FIELDS int ipc; };
struct uv_timer_s { UV_HANDLE_FIELDS };
struct uv_write_s { UV_REQ_FIELDS uv_stream_t *handle; };
struct uv_shutdown_s { UV_REQ_FIELDS uv_stream_t *handle; };
struct uv_connect_s { UV_REQ_FIELDS uv_stream_t *handle; };

typedef void (*uv_alloc_cb)(uv_handle_t *handle, size_t suggested_size, uv_buf_t *buf);
typedef void (*uv_read_cb)(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf);
typedef void (*uv_write_cb)(uv_write_t *req, int status);
typedef void (*uv_connect_cb)(uv_connect_t *req, int status);
typedef void (*uv_shutdown_cb)(uv_shutdown_t *req, int status);
typedef void (*uv_connection_cb)(uv_stream_t *server, int status);
typedef void (*uv_close_cb)(uv_handle_t *handle);
typedef void (*uv_timer_cb)(uv_timer_t *handle);

uv_loop_t *uv_default_loop(void);
int uv_loop_init(uv_loop_t *loop);
int uv_run(uv_loop_t *, uv_run_mode mode);
void uv_stop(uv_loop_t *);
const char *uv_strerror(int err);
const char *uv_err_name(int err);
uv_buf_t uv_buf_init(char *base, unsigned int len);

int uv_tcp_init(uv_loop_t *, uv_tcp_t *handle);
int uv_pipe_init(uv_loop_t *, uv_pipe_t *handle, int ipc);
int uv_timer_init(uv_loop_t *, uv_timer_t *handle);
int uv_timer_start(uv_timer_t *handle, uv_timer_cb cb, unsigned long long timeout,
                   unsigned long long repeat);
int uv_listen(uv_stream_t *stream, int backlog, uv_connection_cb cb);
int uv_accept(uv_stream_t *server, uv_stream_t *client);
int uv_read_start(uv_stream_t *, uv_alloc_cb alloc_cb, uv_read_cb read_cb);
int uv_read_stop(uv_stream_t *);
int uv_write(uv_write_t *req, uv_stream_t *handle, const uv_buf_t bufs[], unsigned int nbufs,
             uv_write_cb cb);
int uv_write2(uv_write_t *req, uv_stream_t *handle, const uv_buf_t bufs[], unsigned int nbufs,
              uv_stream_t *send_handle, uv_write_cb cb);
int uv_try_write(uv_stream_t *handle, const uv_buf_t bufs[], unsigned int nbufs);
int uv_shutdown(uv_shutdown_t *req, uv_stream_t *handle, uv_shutdown_cb cb);
void uv_close(uv_handle_t *handle, uv_close_cb close_cb);
int uv_is_closing(const uv_handle_t *handle);
int uv_is_active(const uv_handle_t *handle);
size_t uv_stream_get_write_queue_size(const uv_stream_t *stream);

#ifdef __cplusplus
}
#endif
#endif
