/* libuv's synchronous file-system requests (libuv 1.44's names and argument orders), next to
 * the mock <uv.h>: without a callback a request runs at once and returns its result. */
#ifndef TEST_UV_FS_H
#define TEST_UV_FS_H
#include <stdint.h>
#include <uv.h>

typedef int uv_file;
typedef struct uv_fs_s uv_fs_t;
typedef void (*uv_fs_cb)(uv_fs_t *req);
struct uv_fs_s {
  void *data;
  int type;
  ssize_t result;
};

int uv_fs_write(uv_loop_t *loop, uv_fs_t *req, uv_file file, const uv_buf_t bufs[],
                unsigned int nbufs, int64_t offset, uv_fs_cb cb);
int uv_fs_sendfile(uv_loop_t *loop, uv_fs_t *req, uv_file out_fd, uv_file in_fd,
                   int64_t in_offset, size_t length, uv_fs_cb cb);
void uv_fs_req_cleanup(uv_fs_t *req);

#endif
