// Roles inferred from a project's own wrappers of stdio closes: a wrapper that closes a stream
// kept in a field is reported where its result is dropped, unless this file also opens that
// field for reading (civetweb's mg_fclose serves read-only files and logs alike: the caller's
// stream and its mode are not visible at the call). A wrapper handed the FILE * itself is
// judged at its call by the stream's mode, as fclose is.
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -std=c11

#include <stdio.h>
#include <string.h>

// A holder whose stream is opened for reading here as well as for writing.
struct file_access { FILE *fp; };

static int open_file(struct file_access *a, const char *path, int mode) {
  switch (mode) {
  case 1: a->fp = fopen(path, "r"); break;
  case 2: a->fp = fopen(path, "w"); break;
  default: a->fp = fopen(path, "a"); break;
  }
  return a->fp != NULL;
}

static int close_file(struct file_access *a) {
  int ret = -1;
  if (a->fp != NULL)
    ret = fclose(a->fp);
  memset(a, 0, sizeof(*a));
  return ret;
}

// A holder opened by a choice of modes, one of them for reading.
struct cache_file { FILE *stream; };

static void cache_open(struct cache_file *c, const char *path, int for_reading) {
  c->stream = fopen(path, for_reading ? "rb" : "wb");
}

static int cache_close(struct cache_file *c) { return fclose(c->stream); }

// A log whose stream is only ever opened for appending.
struct log_sink { FILE *out; };

static int log_open(struct log_sink *l, const char *path) {
  l->out = fopen(path, "a");
  return l->out != NULL;
}

static int log_close(struct log_sink *l) { return fclose(l->out); }
static int log_flush(struct log_sink *l) { return fflush(l->out); }

// A wrapper handed the stream itself: its mode is judged at the wrapper's call, as at fclose's.
static int safe_fclose(FILE *f) { return f ? fclose(f) : 0; }

// positives

void rotate_log(struct log_sink *l, const char *path) {
  log_flush(l);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: result of 'log_flush' is discarded; {{.*}} [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: {{.*}}
  log_close(l);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: result of 'log_close' is discarded; {{.*}} [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: {{.*}}
  log_open(l, path);
}

int save_config(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  fputs(text, f);
  safe_fclose(f);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: result of 'safe_fclose' is discarded; {{.*}} [drain-discarded-io-result]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: {{.*}}
  return 0;
}

// negatives

int load_config(const char *path, char *buf, int n) {
  FILE *f = fopen(path, "r");
  if (!f)
    return -1;
  char *got = fgets(buf, n, f);
  safe_fclose(f);
  return got ? 0 : -1;
}

int serve_file(const char *path, char *buf, size_t n) {
  struct file_access f;
  if (!open_file(&f, path, 1))
    return -1;
  size_t got = fread(buf, 1, n, f.fp);
  (void)close_file(&f); /* ignore error on read only file */
  return (int)got;
}

int check_auth(const char *path) {
  struct file_access f;
  if (!open_file(&f, path, 1))
    return 0;
  int c = fgetc(f.fp);
  close_file(&f);
  return c == 'y';
}

int cache_lookup(const char *path) {
  struct cache_file c;
  cache_open(&c, path, 1);
  int byte = c.stream ? fgetc(c.stream) : -1;
  cache_close(&c);
  return byte;
}

int log_close_checked(struct log_sink *l) { return log_close(l) == 0 ? 0 : -1; }

int rotate_checked(struct log_sink *l) {
  if (log_flush(l) != 0)
    return -1;
  return log_close(l);
}
