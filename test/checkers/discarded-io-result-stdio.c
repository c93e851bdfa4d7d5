// stdio in C: NULL is ((void *)0), streams are opened inside conditions, and a stream opened
// for reading has nothing to lose on fclose (civetweb, haproxy).
// RUN: %check_drain -std=c11 %s drain-discarded-io-result %t

#define _POSIX_C_SOURCE 200809L
#include <stdio.h>

// positives

void cgi_body_pipe_closed(int fd, const char *body) {
  FILE *in = NULL;
  if ((in = fdopen(fd, "wb")) == NULL)
    return;
  fputs(body, in);
  fclose(in);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
}

void password_file_rewritten(const char *tmp) {
  FILE *fp2 = NULL;
  if ((fp2 = fopen(tmp, "w+")) == NULL)
    return;
  fprintf(fp2, "user:hash\n");
  fclose(fp2);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
}

// A stream that is stdout on one path is written.
void report_written(const char *path, int n) {
  FILE *out = stdout;
  if (path)
    out = fopen(path, "w");
  if (!out)
    return;
  fprintf(out, "%d\n", n);
  fclose(out);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
}

// negatives

int config_file_read(const char *path) {
  FILE *f = NULL;
  char line[128];
  int n = 0;
  if ((f = fopen(path, "r")) == NULL)
    return -1;
  while (fgets(line, sizeof line, f))
    n++;
  fclose(f);
  return n;
}

void cgi_output_pipe_closed(int fd) {
  FILE *out = NULL, *err = NULL;
  if ((out = fdopen(fd, "rb")) == NULL || (err = fdopen(fd + 1, "rb")) == NULL)
    goto done;
done:
  if (out != NULL)
    fclose(out);
  if (err != NULL)
    fclose(err);
}

// curl's cookie and config readers: "-" means standard input, anything else a file opened "rb".
int cookie_file_read(const char *file) {
  FILE *fp = NULL;
  char line[128];
  int n = 0;
  if (file && file[0] == '-' && !file[1])
    fp = stdin;
  else
    fp = fopen(file, "rb");
  if (!fp)
    return -1;
  while (fgets(line, sizeof line, fp))
    n++;
  if (fp != stdin)
    fclose(fp);
  return n;
}
