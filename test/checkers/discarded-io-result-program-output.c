// The output of a whole program: main writes to stdout and reports success without checking
// that the output was written (the C library's flush of stdout at exit has nobody to tell).
// One program per RUN line: each -D picks the main of one scenario.
// RUN: %check_drain -check-suffix=PRINTED %s drain-discarded-io-result %t -- -- -DREPORT_PRINTED_THEN_SUCCESS
// RUN: %check_drain -check-suffix=HELPER %s drain-discarded-io-result %t -- -- -DTABLE_WRITTEN_BY_HELPER_FALLS_OFF_END
// RUN: %check_drain -check-suffix=DROPPED %s drain-discarded-io-result %t -- -- -DFLUSH_RESULT_DROPPED_THEN_EXIT_SUCCESS
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -DREPORT_PRINTED_THEN_CHECKED
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -DTABLE_WRITTEN_BY_HELPER_CLOSE_STDOUT_AT_EXIT
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -DFLUSH_RESULT_TESTED_THEN_EXIT_SUCCESS
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -DUSAGE_AND_ERRORS_ONLY
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -DEXIT_HANDLER_TESTS_FERROR
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -DDAEMON_DETACHES
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -DSTDERR_ONLY
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -DERROR_TO_STDOUT_THEN_FAILURE
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -DSERVER_NEVER_RETURNS
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -DSTATUS_MESSAGE_ONLY
// RUN: %check_drain %s drain-discarded-io-result %t -- -- -DSERVER_LOGS_TO_STDOUT
// The option's off-switch: the first program is silent.
// RUN: %check_drain %s drain-discarded-io-result %t -config="{CheckOptions: [{key: drain-discarded-io-result.CheckProgramOutput, value: false}]}" -- -- -DREPORT_PRINTED_THEN_SUCCESS
// With CheckStandardStreams the dropped fflush(stdout) is reported where it is, and only there.
// RUN: %check_drain -check-suffix=STREAMS %s drain-discarded-io-result %t -config="{CheckOptions: [{key: drain-discarded-io-result.CheckStandardStreams, value: true}]}" -- -- -DFLUSH_RESULT_DROPPED_THEN_EXIT_SUCCESS

#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>

struct row {
  const char *name;
  long size;
};

static int load_rows(const char *path, struct row *rows, int max) {
  (void)path;
  (void)rows;
  return max > 0 ? 1 : -1;
}

// positives

#ifdef REPORT_PRINTED_THEN_SUCCESS
int main(int argc, char **argv) {
  struct row rows[64];
  int n = load_rows(argc > 1 ? argv[1] : ".", rows, 64);
  if (n < 0) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  for (int i = 0; i < n; i++)
    printf("%-20s %ld\n", rows[i].name, rows[i].size);
  return 0;
  // CHECK-MESSAGES-PRINTED: :[[@LINE-1]]:3: warning: the program reports success without checking that its output to stdout was written; a full disk or closed pipe truncates it silently [drain-discarded-io-result]
}
#endif

#ifdef TABLE_WRITTEN_BY_HELPER_FALLS_OFF_END
static void print_table(const struct row *rows, int n) {
  for (int i = 0; i < n; i++) {
    fputs(rows[i].name, stdout);
    putchar('\n');
  }
}

int main(int argc, char **argv) {
  struct row rows[64];
  int n = load_rows(argc > 1 ? argv[1] : ".", rows, 64);
  if (n < 0)
    return EXIT_FAILURE;
  print_table(rows, n);
}
// CHECK-MESSAGES-HELPER: :[[@LINE-1]]:1: warning: the program reports success without checking that its output to stdout was written; a full disk or closed pipe truncates it silently [drain-discarded-io-result]
#endif

#ifdef FLUSH_RESULT_DROPPED_THEN_EXIT_SUCCESS
int main(void) {
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
    fwrite(buf, 1, n, stdout);
  fflush(stdout);
  // CHECK-MESSAGES-STREAMS: :[[@LINE-1]]:3: warning: result of 'fflush' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
  exit(EXIT_SUCCESS);
  // CHECK-MESSAGES-DROPPED: :[[@LINE-1]]:3: warning: the program reports success without checking that its output to stdout was written; a full disk or closed pipe truncates it silently [drain-discarded-io-result]
}
#endif

// negatives

#ifdef REPORT_PRINTED_THEN_CHECKED
int main(int argc, char **argv) {
  struct row rows[64];
  int n = load_rows(argc > 1 ? argv[1] : ".", rows, 64);
  if (n < 0) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  for (int i = 0; i < n; i++)
    printf("%-20s %ld\n", rows[i].name, rows[i].size);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    perror("write error");
    return 1;
  }
  return 0;
}
#endif

#ifdef TABLE_WRITTEN_BY_HELPER_CLOSE_STDOUT_AT_EXIT
void close_stdout(void); // gnulib's closeout module: exits with a failure if stdout failed

static void print_table(const struct row *rows, int n) {
  for (int i = 0; i < n; i++) {
    fputs(rows[i].name, stdout);
    putchar('\n');
  }
}

int main(int argc, char **argv) {
  atexit(close_stdout);
  struct row rows[64];
  int n = load_rows(argc > 1 ? argv[1] : ".", rows, 64);
  if (n < 0)
    return EXIT_FAILURE;
  print_table(rows, n);
}
#endif

#ifdef FLUSH_RESULT_TESTED_THEN_EXIT_SUCCESS
int main(void) {
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
    fwrite(buf, 1, n, stdout);
  if (fclose(stdout) != 0) {
    perror("stdout");
    exit(EXIT_FAILURE);
  }
  exit(EXIT_SUCCESS);
}
#endif

#ifdef USAGE_AND_ERRORS_ONLY
// The only text on stdout is the usage text and a version line; the product is a file.
static void print_usage(const char *prog) {
  printf("Usage: %s [-o FILE] INPUT\n", prog);
  printf("  -o FILE  write the index to FILE\n");
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--help") == 0) {
    print_usage(argv[0]);
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "--version") == 0) {
    printf("indexer version 1.2\n");
    return 0;
  }
  FILE *out = fopen("index.db", "w");
  if (!out)
    return 1;
  fputs("index\n", out);
  if (fclose(out) != 0)
    return 1;
  return 0;
}
#endif

#ifdef EXIT_HANDLER_TESTS_FERROR
static void check_output(void) {
  if (fflush(stdout) == EOF || ferror(stdout))
    _exit(2);
}

int main(void) {
  atexit(check_output);
  for (int i = 0; i < 10; i++)
    printf("%d\n", i * i);
  return 0;
}
#endif

#ifdef DAEMON_DETACHES
int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "-f") != 0) {
    printf("%s: starting in the background\n", argv[0]);
    if (daemon(0, 0) != 0)
      return 1;
  }
  for (;;) {
    if (sleep(60) != 0)
      break;
  }
  return 0;
}
#endif

#ifdef STDERR_ONLY
int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    fprintf(stderr, "ignoring %s\n", argv[i]);
  return 0;
}
#endif

#ifdef ERROR_TO_STDOUT_THEN_FAILURE
// Old tools print their complaints to stdout; they end in a failure status, which already
// tells the caller something went wrong.
int main(int argc, char **argv) {
  struct row rows[64];
  int rc = 1;
  if (argc < 2) {
    puts("missing argument");
    return 2;
  }
  if (load_rows(argv[1], rows, 64) < 0) {
    printf("cannot read %s\n", argv[1]);
    goto out;
  }
  rc = 0;
out:
  return rc;
}
#endif

#ifdef SERVER_NEVER_RETURNS
int main(void) {
  printf("listening\n");
  for (;;)
    pause();
}
#endif

#ifdef STATUS_MESSAGE_ONLY
// The product is a file; stdout only gets a fixed line for whoever watches.
int main(int argc, char **argv) {
  struct row rows[64];
  int n = load_rows(argc > 1 ? argv[1] : ".", rows, 64);
  if (n < 0)
    return 1;
  FILE *out = fopen("sizes.txt", "w");
  if (!out)
    return 1;
  for (int i = 0; i < n; i++)
    fprintf(out, "%s %ld\n", rows[i].name, rows[i].size);
  if (fclose(out) != 0)
    return 1;
  puts("done");
  return 0;
}
#endif

#ifdef SERVER_LOGS_TO_STDOUT
// A server's stdout is its log (a supervisor collects it), not its product.
static volatile sig_atomic_t stopping;

static void on_term(int sig) {
  (void)sig;
  stopping = 1;
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8080;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sin;
  memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_port = htons((unsigned short)port);
  if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0 || listen(fd, 16) != 0) {
    perror("listen");
    return 1;
  }
  signal(SIGTERM, on_term);
  printf("listening on port %d\n", port);
  while (!stopping) {
    int c = accept(fd, NULL, NULL);
    if (c >= 0) {
      printf("connection %d\n", c);
      close(c);
    }
  }
  close(fd);
  return 0;
}
#endif
