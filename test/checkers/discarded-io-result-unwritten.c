// drain-discarded-io-result on stdio streams that nothing was written to since they were
// opened: on every path to the close the stream comes from an opener in this function and was
// only asked about, read, tested or had its buffering set. Nothing is buffered, a failed
// close loses nothing (curl's Curl_fopen, its keylog file and header truncation, civetweb's
// create-if-missing). A stream written to, handed to a function of the project, copied, or
// kept in a global that a function of this file writes, is still reported.
// RUN: %check_drain -std=c11 %s drain-discarded-io-result %t

#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <sys/stat.h>

struct logfile {
  FILE *fp;
  long lines;
};

int write_all(FILE *f, const char *text); // defined in another file
int logfile_emit(struct logfile *lf, const char *text);

static FILE *keylog_fp;
static FILE *banner_fp;

// positives

int save_report(const char *path, int n) {
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  fprintf(f, "%d\n", n);
  fclose(f);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  return 0;
}

int save_lines(const char *path, const char **lines, int n) {
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  for (int i = 0; i < n; i++)
    fputs(lines[i], f);
  fclose(f);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  return 0;
}

int save_through_helper(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  write_all(f, text);
  fclose(f);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  return 0;
}

// Written through another name.
int save_through_alias(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  FILE *out = f;
  fputs(text, out);
  fclose(f);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  return 0;
}

// Written through the struct that holds it.
int save_through_container(const char *path, const char *text) {
  struct logfile lf;
  lf.fp = fopen(path, "a");
  if (!lf.fp)
    return -1;
  lf.lines = 0;
  logfile_emit(&lf, text);
  fclose(lf.fp);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  return 0;
}

// Not opened here: the keys written since it was opened are in its buffer.
void keylog_close(void) {
  if (keylog_fp) {
    fclose(keylog_fp);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
    keylog_fp = NULL;
  }
}

void keylog_write(const char *line) {
  if (keylog_fp)
    fputs(line, keylog_fp);
}

// A global written by a function of this file called after the open.
static void banner_header(void) { fputs("# generated\n", banner_fp); }
void banner_once(const char *name) {
  banner_fp = fopen(name, "a");
  if (banner_fp) {
    banner_header();
    fclose(banner_fp);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
    banner_fp = NULL;
  }
}

// A project's opener that writes a header before handing the stream over: the stream is not
// fresh, and its close after an error loses the header.
FILE *open_with_header(const char *path) {
  FILE *fp = fopen(path, "w");
  if (!fp)
    return NULL;
  fputs("# generated\n", fp);
  return fp;
}
int emit_or_give_up(const char *path, int ready) {
  FILE *out = open_with_header(path);
  if (!out)
    return -1;
  if (!ready) {
    fclose(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
    return 0;
  }
  return fclose(out);
}

// negatives

// curl's Curl_fopen: the file is opened to learn its mode, and closed unless it is not a
// regular file; only fileno saw the stream.
int clone_mode(const char *filename, FILE **fh, struct stat *sb) {
  *fh = fopen(filename, "w");
  if (!*fh)
    return -1;
  if (fstat(fileno(*fh), sb) == -1 || !S_ISREG(sb->st_mode))
    return 0;
  fclose(*fh);
  *fh = NULL;
  return 1;
}

// curl's keylog file: line buffering could not be set right after the open.
void keylog_open(const char *name) {
  if (!keylog_fp && name) {
    keylog_fp = fopen(name, "a");
    if (keylog_fp) {
      if (setvbuf(keylog_fp, NULL, _IOLBF, 4096)) {
        fclose(keylog_fp);
        keylog_fp = NULL;
      }
    }
  }
}

// curl's header file: the first transfer truncates it, the others append.
FILE *open_header_file(const char *path, int first) {
  FILE *newfile;
  if (first) {
    newfile = fopen(path, "wb+");
    fclose(newfile);
  }
  newfile = fopen(path, "ab+");
  return newfile;
}

// civetweb: create the file if it does not exist, then read it.
int count_entries(const char *fname) {
  FILE *fp;
  char line[256];
  int n = 0;
  if ((fp = fopen(fname, "a+")) != NULL) {
    (void)fclose(fp);
  }
  if ((fp = fopen(fname, "r")) == NULL)
    return -1;
  while (fgets(line, sizeof line, fp) != NULL)
    n++;
  fclose(fp);
  return n;
}

// Can the log be appended to?
int log_writable(const char *path) {
  FILE *f = fopen(path, "a");
  if (!f)
    return 0;
  fclose(f);
  return 1;
}

// Opened for update but only read here.
int count_lines_for_update(const char *path) {
  char line[256];
  int n = 0;
  FILE *f = fopen(path, "r+");
  if (!f)
    return -1;
  while (fgets(line, sizeof line, f))
    n++;
  if (ferror(f))
    n = -1;
  fclose(f);
  return n;
}

// The size of a log opened for appending.
long log_size(const char *path) {
  long size = -1;
  FILE *f = fopen(path, "ab");
  if (!f)
    return -1;
  if (fseek(f, 0, SEEK_END) == 0)
    size = ftell(f);
  fclose(f);
  return size;
}

// A counter beside the stream is no write to it.
long logfile_probe(const char *path) {
  struct logfile lf;
  lf.fp = fopen(path, "a");
  if (!lf.fp)
    return -1;
  lf.lines = 0;
  fflush(lf.fp);
  fclose(lf.fp);
  return lf.lines;
}

// lighttpd's lemon: a project's wrapper around fopen (it names the file, reports a failure and
// returns the stream untouched, or NULL); when the second output cannot be opened, the first is
// closed with nothing written to it.
struct gen {
  char *outname;
  int errors;
};
static FILE *file_open(struct gen *g, const char *suffix, const char *mode) {
  FILE *fp;
  (void)suffix;
  fp = fopen(g->outname, mode);
  if (fp == 0 && *mode == 'w') {
    g->errors++;
    return 0;
  }
  return fp;
}
static FILE *output_open(struct gen *g, const char *suffix) {
  return file_open(g, suffix, "wb");
}
void generate(struct gen *g, int with_sql) {
  FILE *out = output_open(g, ".c");
  FILE *sql;
  if (out == 0)
    return;
  if (with_sql) {
    sql = file_open(g, ".sql", "wb");
    if (sql == 0) {
      fclose(out);
      return;
    }
    fputs("BEGIN;\n", sql);
    if (fclose(sql) != 0)
      g->errors++;
  }
  fputs("/* generated */\n", out);
  if (fclose(out) != 0)
    g->errors++;
}
