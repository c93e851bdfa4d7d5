/* drain-shutdown-before-flush: the shutdown runs only when the write queue is empty (every
 * write finished), tested through the queue rather than an empty() method (libuv
 * src/unix/stream.c:1298, QUEUE_EMPTY). */
#include <sys/socket.h>
#include <unistd.h>

struct queue { struct queue *next, *prev; };
#define QUEUE_EMPTY(q) ((const struct queue *)(q) == (const struct queue *)(q)->next)

struct stream { int fd; struct queue write_queue; };

void try_write(struct stream *s, const char *b, size_t n) {
  ssize_t w = send(s->fd, b, n, 0);
  (void)w; /* a short count stays queued in write_queue (omitted) */
}

void on_writable(struct stream *s, const char *b, size_t n) {
  try_write(s, b, n);
  if (QUEUE_EMPTY(&s->write_queue))
    shutdown(s->fd, SHUT_WR); /* reported */
}
