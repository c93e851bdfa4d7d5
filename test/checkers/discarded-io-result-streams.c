// drain-discarded-io-result on stdio streams, judged by the value the stream holds at the
// flush or close: a local reused for files of different modes, a stream kept in a struct
// field, a stream from an opener drain cannot see into, an anonymous or removed temporary
// file, a flush before truncation, a progress line redrawn on a terminal (curl, civetweb,
// libuv, mosquitto).
// RUN: %check_drain -std=c11 %s drain-discarded-io-result %t

#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <unistd.h>

struct part {
  const char *name;
  FILE *fp;
};
struct sink {
  FILE *out;
};
struct progress {
  FILE *out;
  double last;
};
struct download {
  FILE *stream;
  long init;
  long bytes;
};
struct config {
  FILE *trace; // opened for writing in another file (curl's --trace, mosquitto's log)
  FILE *list;  // opened for reading here
};

FILE *open_proc_file(const char *path);   // defined in another file, opens for reading
FILE *open_report_file(const char *path); // defined in another file, opens for writing

// positives

// The same local holds the log opened for appending, then the file opened for reading: the
// first close loses the appended line when it fails.
int append_then_count(const char *path, const char *user) {
  FILE *fp;
  char line[256];
  int n = 0;
  if ((fp = fopen(path, "a")) == NULL)
    return -1;
  fprintf(fp, "%s\n", user);
  fclose(fp);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  if ((fp = fopen(path, "r")) == NULL)
    return -1;
  while (fgets(line, sizeof line, fp))
    n++;
  fclose(fp);
  return n;
}

int sink_open(struct sink *s, const char *name) {
  s->out = fopen(name, "wb");
  return s->out ? 0 : -1;
}
void sink_free(struct sink *s) {
  if (s->out) {
    fclose(s->out);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
    s->out = NULL;
  }
}

void dump_headers(const char *name, int to_stdout, const char *text) {
  FILE *out = to_stdout ? stdout : fopen(name, "w");
  if (!out)
    return;
  fputs(text, out);
  if (!to_stdout)
    fclose(out);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
}

void write_report(const char *path, int n) {
  FILE *fp = open_report_file(path);
  if (!fp)
    return;
  fprintf(fp, "%d\n", n);
  fclose(fp);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
}

// Written to a named temporary file that then replaces the real one: a failed close leaves
// a truncated file in its place.
int save_atomically(const char *tmpname, const char *path, const char *text) {
  FILE *t = fopen(tmpname, "w");
  if (!t)
    return -1;
  fputs(text, t);
  fclose(t);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  return rename(tmpname, path);
}

void record_line(struct sink *s, const char *line) {
  fprintf(s->out, "%s\n", line);
  fflush(s->out);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fflush' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
}

int download_done(struct download *d) {
  fflush(d->stream);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fflush' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
  return fsync(fileno(d->stream));
}

// A line ended with CRLF is a record, not a redraw; a buffer formatted without a carriage
// return is a record too.
void record_crlf(struct sink *s, const char *line) {
  fprintf(s->out, "\r\n%s", line);
  fflush(s->out);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fflush' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
}

void record_formatted(struct sink *s, int width, const char *line) {
  char format[40];
  snprintf(format, sizeof(format), "%%-%ds\n", width);
  fprintf(s->out, format, line);
  fflush(s->out);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fflush' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
}

// A field this file only resets to NULL is opened elsewhere: its mode is unknown here, and the
// close of a trace file loses its tail when it fails.
void config_free(struct config *c) {
  if (c->trace) {
    fclose(c->trace);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
    c->trace = NULL;
  }
}

// A stream from an opener drain cannot see, whose address is handed on: the callee may write
// to it, so its close is reported.
void register_stream(FILE **slot);
int counted_report(const char *path) {
  FILE *fp = open_proc_file(path);
  if (!fp)
    return -1;
  register_stream(&fp);
  fclose(fp);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  return 0;
}

// negatives

// The twin: the list is opened for reading in this file and otherwise only reset to NULL.
int config_load(struct config *c, const char *path) {
  c->list = fopen(path, "r");
  return c->list ? 0 : -1;
}
void config_unload(struct config *c) {
  if (c->list) {
    fclose(c->list);
    c->list = NULL;
  }
}

int count_then_append(const char *path, const char *user) {
  FILE *fp;
  char line[256];
  int n = 0;
  if ((fp = fopen(path, "r")) == NULL)
    return -1;
  while (fgets(line, sizeof line, fp))
    n++;
  fclose(fp);
  if ((fp = fopen(path, "a")) == NULL)
    return -1;
  fprintf(fp, "%s\n", user);
  if (fclose(fp) != 0)
    return -1;
  return n;
}

int part_open(struct part *p) {
  if (p->fp)
    return 0;
  p->fp = fopen(p->name, "rb");
  return p->fp ? 0 : -1;
}
void part_free(struct part *p) {
  if (p->fp) {
    fclose(p->fp);
    p->fp = NULL;
  }
}

long read_headers(const char *name, int use_stdin) {
  FILE *file = use_stdin ? stdin : fopen(name, "r");
  char line[256];
  long n = 0;
  if (!file)
    return -1;
  while (fgets(line, sizeof line, file))
    n++;
  if (!use_stdin)
    fclose(file);
  return n;
}

int cpu_count(void) {
  char buf[256];
  int n = 0;
  FILE *fp = open_proc_file("/proc/cpuinfo");
  if (fp == NULL)
    return -1;
  while (fgets(buf, sizeof buf, fp))
    n++;
  fclose(fp);
  return n;
}

// libuv's uv_cpu_info: `(void) &fp;` marks the local used on platforms that do not read it;
// an address taken and thrown away hands the stream to nobody.
int cpu_count_marked(void) {
  char buf[256];
  int n = 0;
  FILE *fp;
  (void) &fp;
  fp = open_proc_file("/proc/cpuinfo");
  if (fp == NULL)
    return -1;
  while (fgets(buf, sizeof buf, fp))
    n++;
  fclose(fp);
  return n;
}

static FILE *scratch_file(void) { return tmpfile(); }
int rewrite_with_scratch(FILE *in, int fail) {
  FILE *tmp = scratch_file();
  if (!tmp)
    return -1;
  fputs("entry\n", tmp);
  if (fail) {
    fclose(tmp);
    return -1;
  }
  return fclose(tmp);
}

int abandon_named_temporary(const char *tmpname, int fail) {
  FILE *t = fopen(tmpname, "w");
  if (!t)
    return -1;
  fputs("partial", t);
  if (fail) {
    fclose(t);
    unlink(tmpname);
    return -1;
  }
  return fclose(t);
}

void progress_show(struct progress *p, double percent) {
  if (percent - p->last < 0.1)
    return;
  fprintf(p->out, "\r%5.1f%%", percent);
  fflush(p->out);
  p->last = percent;
}

// curl's progress bar: the redraw format is built at run time, then printed and flushed.
void progress_bar(struct progress *p, int width, const char *bar, double percent) {
  char format[40];
  if (percent > p->last) {
    snprintf(format, sizeof(format), "\r%%-%ds %%5.1f%%%%", width);
    fprintf(p->out, format, bar, percent);
  }
  fflush(p->out);
  p->last = percent;
}

int download_failed(struct download *d) {
  int rc;
  if (!d->bytes)
    return 0;
  fflush(d->stream);
  rc = ftruncate(fileno(d->stream), d->init);
  return rc;
}

// Streams opened through an out-parameter of a function of this file (zstd's
// FIO_getFileHandles(&finput, &foutput, ...)): the local holds what the opener stores
// through the pointer on every path that returns, with the opener's mode parameter bound
// to the caller's argument. Inside the opener, `*out` holds what was last stored there.
#include <stdlib.h>
#include <string.h>

static void get_file_handles(FILE **pin, FILE **pout, const char *in, const char *out) {
  if (!strcmp(in, "-"))
    *pin = stdin;
  else
    *pin = fopen(in, "rb");
  if (!strcmp(out, "-")) {
    *pout = stdout;
  } else {
    // Does the destination exist already? Opened to look, closed at once.
    *pout = 0;
    if (strcmp(out, "/dev/null"))
      *pout = fopen(out, "rb");
    if (*pout != 0) {
      fclose(*pout);
      if (getenv("NO_OVERWRITE"))
        exit(11);
    }
    *pout = fopen(out, "wb");
  }
  if (*pin == 0 || *pout == 0)
    exit(12);
}

// zstd before the fix: the output's close, with the last block still buffered, is dropped.
long compress_file(const char *out, const char *in) {
  FILE *finput;
  FILE *foutput;
  char buf[512];
  size_t n;
  long total = 0;
  get_file_handles(&finput, &foutput, in, out);
  while ((n = fread(buf, 1, sizeof buf, finput)) > 0) {
    if (fwrite(buf, 1, n, foutput) != n)
      exit(25);
    total += (long)n;
  }
  fclose(finput);
  fclose(foutput);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  return total;
}

// zstd after the fix: the input, opened "rb" or stdin by the helper, is only read.
long compress_file_checked(const char *out, const char *in) {
  FILE *finput;
  FILE *foutput;
  char buf[512];
  size_t n;
  long total = 0;
  get_file_handles(&finput, &foutput, in, out);
  while ((n = fread(buf, 1, sizeof buf, finput)) > 0) {
    if (fwrite(buf, 1, n, foutput) != n)
      exit(25);
    total += (long)n;
  }
  fclose(finput);
  if (fclose(foutput))
    exit(28);
  return total;
}

// An opener answering a status, its mode passed through from the caller.
static int open_stream(FILE **out, const char *name, const char *mode) {
  *out = fopen(name, mode);
  return *out ? 0 : -1;
}

int count_lines(const char *name) {
  FILE *f;
  char line[256];
  int n = 0;
  if (open_stream(&f, name, "r") != 0)
    return -1;
  while (fgets(line, sizeof line, f))
    n++;
  fclose(f);
  return n;
}

int save_line(const char *name, const char *line) {
  FILE *f;
  if (open_stream(&f, name, "w") != 0)
    return -1;
  fputs(line, f);
  fclose(f);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  return 0;
}

// Two levels: the out-parameter opener stores a wrapper's read-only stream.
static FILE *open_ro(const char *name) { return fopen(name, "rb"); }
static void open_input(FILE **out, const char *name) {
  FILE *f = open_ro(name);
  *out = f;
}

int first_byte(const char *name) {
  FILE *in;
  open_input(&in, name);
  int c = in ? fgetc(in) : -1;
  if (in)
    fclose(in);
  return c;
}

// The opener itself writes a header and closes on a path: `*out` holds a stream opened "w".
static int open_with_header(FILE **out, const char *name, int bad) {
  *out = fopen(name, "w");
  if (!*out)
    return -1;
  fputs("# header\n", *out);
  if (bad) {
    fclose(*out);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
    *out = 0;
    return 1;
  }
  return 0;
}

// A stream opened "r+" through the out-parameter may hold output.
int patch_byte(const char *name, int c) {
  FILE *f;
  if (open_stream(&f, name, "r+") != 0)
    return -1;
  fputc(c, f);
  fclose(f);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  return 0;
}

// A local reused: read-only through the opener, then a file written directly.
int copy_first_line(const char *from, const char *to) {
  FILE *f;
  char line[256];
  if (open_stream(&f, from, "rb") != 0)
    return -1;
  if (!fgets(line, sizeof line, f))
    line[0] = 0;
  fclose(f);
  f = fopen(to, "w");
  if (!f)
    return -1;
  fputs(line, f);
  return fclose(f);
}
