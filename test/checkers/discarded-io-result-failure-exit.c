// A close or flush on the way out of a function that is already reporting a failure: the
// output is being abandoned and the caller is told so; a failed close there loses nothing
// anybody keeps (mosquitto_passwd's error branches, curl's tool cleanup). The same close on
// the way to success is still reported.
// RUN: %check_drain -std=c11 %s drain-discarded-io-result %t

#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

enum store_rc { STORE_OK = 0, STORE_ERR_NOMEM = 1, STORE_ERR_IO = 2, STORE_DONE = 3 };
// Success codes spelled with the failure word (mosquitto's MOSQ_ERR_SUCCESS, ERROR_NONE,
// NO_ERROR), and a failure with "no" elsewhere in its name.
enum log_rc { LOG_ERR_SUCCESS = 0, LOG_ERROR_NONE = 0, LOG_NO_ERROR = 0, LOG_ERR_NO_SPACE = 28 };
struct log_config { FILE *log_fp; unsigned dest; };

int read_password(char *buf, size_t len);
int copy_contents(FILE *from, FILE *to);
int write_chunks(FILE *out, const char *data);
void log_msg(int level, const char *msg);
void log_printf(void *ctx, int level, const char *fmt, ...);

// positives

// Success: the file is kept, its close must be checked.
int save_then_return_ok(const char *path, const char *data) {
  FILE *out = fopen(path, "w");
  if (!out)
    return -1;
  fputs(data, out);
  fclose(out);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  return 0;
}

// The status tested is zero on this branch: success, returned as such.
int save_when_status_ok(FILE *out, int rc) {
  if (rc == 0) {
    fflush(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'fflush' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
    return rc;
  }
  return -1;
}

// A positive count returned after a close is no failure.
int save_and_count(FILE *out, const char *data) {
  int n = fputs(data, out);
  if (n >= 0) {
    fclose(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
    return 1;
  }
  return -1;
}

// A state named like a success.
enum store_rc store_finish(FILE *out) {
  fflush(out);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fflush' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
  return STORE_DONE;
}

// mosquitto's log__close: the log file is closed on the way out, and the enumerator returned
// says success although it holds the word "ERR".
enum log_rc log_close(struct log_config *config) {
  if (config->dest & 2) {
    if (config->log_fp) {
      fclose(config->log_fp);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
      config->log_fp = NULL;
    }
  }
  return LOG_ERR_SUCCESS;
}

enum log_rc log_close_none(FILE *fp) {
  fclose(fp);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  return LOG_ERROR_NONE;
}

enum log_rc log_close_no_error(FILE *fp) {
  fflush(fp);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fflush' is discarded; a failed flush leaves data behind unnoticed [drain-discarded-io-result]
  return LOG_NO_ERROR;
}

// The close is on the failure branch but the function goes on (and succeeds) afterwards.
int retry_after_close(const char *path, const char *data, int rc) {
  FILE *out = fopen(path, "w");
  if (!out)
    return -1;
  fputs(data, out);
  if (rc) {
    fclose(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
    out = fopen(path, "w");
  }
  return out ? 0 : -1;
}

// mosquitto_passwd's create_backup, its success path.
int create_backup(const char *backup_file, FILE *fptr) {
  FILE *fbackup = fopen(backup_file, "wt");
  if (!fbackup) {
    fprintf(stderr, "Error creating backup password file \"%s\", not continuing.\n", backup_file);
    return 1;
  }
  if (copy_contents(fptr, fbackup)) {
    fprintf(stderr, "Error copying data to backup password file \"%s\", not continuing.\n",
            backup_file);
    fclose(fbackup);
    return 1;
  }
  fclose(fbackup);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  rewind(fptr);
  return 0;
}

// A message and a 1 that say nothing failed: the count of files saved.
int save_one(const char *name, const char *data) {
  FILE *out = fopen(name, "w");
  if (!out)
    return -1;
  fputs(data, out);
  fprintf(stderr, "saved %s\n", name);
  fclose(out);
  // CHECK-MESSAGES: :[[@LINE-1]]:3: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  return 1;
}

// The cleanup label is named for the failure but the success path falls into it.
int save_all(const char *path, const char *data) {
  int rc = -1;
  FILE *out = fopen(path, "w");
  if (!out)
    goto error;
  if (write_chunks(out, data) < 0)
    goto error;
  rc = 0;
error:
  if (out)
    fclose(out);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
  return rc;
}

// The loop is left by a break with the status the branch tested, but the function does not
// return that status: the break says nothing about failure.
int save_all_count(FILE *out, const char **items, int n) {
  int saved = 0;
  for (int i = 0; i < n; i++) {
    int rc = write_chunks(out, items[i]);
    if (rc) {
      fclose(out);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: result of 'fclose' is discarded; a failed close loses buffered data unnoticed [drain-discarded-io-result]
      break;
    }
    saved++;
  }
  return saved;
}

// negatives

// "no" before another word than the failure word: ERR_NO_SPACE is a failure, and the file is
// abandoned with it.
enum log_rc log_abandon(struct log_config *config, int rc) {
  if (rc < 0) {
    fclose(config->log_fp);
    return LOG_ERR_NO_SPACE;
  }
  return LOG_ERR_SUCCESS;
}

// The failure enumerator of the same type as a success spelled with "ERR".
enum log_rc log_abandon_store(FILE *fp, int rc) {
  if (rc) {
    fflush(fp);
    return LOG_ERR_NO_SPACE;
  }
  return fclose(fp) ? LOG_ERR_NO_SPACE : LOG_ERR_SUCCESS;
}

// mosquitto's persist_write: after the failure label only a goto reaches, the file is closed
// if it was opened, and the function returns 1.
int persist_backup(const char *outfile, const char *data) {
  FILE *db_fptr = NULL;
  int rc = 0;
  db_fptr = fopen(outfile, "wb");
  if (db_fptr == NULL)
    goto error;
  if (write_chunks(db_fptr, data) < 0)
    goto error;
  rc = fclose(db_fptr);
  db_fptr = NULL;
  if (rc != 0)
    goto error;
  return 0;
error:
  log_printf(NULL, 3, "Error saving %s.", outfile);
  if (db_fptr) fclose(db_fptr);
  return 1;
}

// A failure reported with perror and a nonzero status.
int copy_backup(const char *backup_file, FILE *fptr) {
  FILE *fbackup = fopen(backup_file, "wt");
  if (!fbackup)
    return 1;
  if (copy_contents(fptr, fbackup)) {
    perror("Unable to copy the password file");
    fclose(fbackup);
    return 1;
  }
  if (fclose(fbackup) != 0)
    return 1;
  return 0;
}

// A logger's message saying it cannot go on, and a nonzero status.
int export_table(const char *path, const char *data) {
  FILE *out = fopen(path, "w");
  if (!out)
    return 2;
  if (write_chunks(out, data) < 0) {
    log_msg(3, "cannot write the table, giving up");
    fclose(out);
    return 2;
  }
  return fclose(out) ? 2 : 0;
}

// The close of a stream that may not be open, reset afterwards, on a failure branch.
int append_record(FILE **outp, const char *data) {
  if (write_chunks(*outp, data) < 0) {
    if (*outp) {
      fclose(*outp);
      *outp = NULL;
    }
    return -1;
  }
  return 0;
}

// mosquitto_passwd: the status tested is the one returned.
int update_password_file(FILE *fptr, FILE *ftmp, char *backup_file) {
  char password[64];
  int rc = read_password(password, sizeof password);
  if (rc) {
    fclose(fptr);
    fclose(ftmp);
    unlink(backup_file);
    free(backup_file);
    return rc;
  }
  return 0;
}

int update_password_file_ne(FILE *ftmp, int rc) {
  if (rc != STORE_OK) {
    fclose(ftmp);
    return rc;
  }
  return 0;
}

// A negative number, an error enumerator, a null pointer, false.
int write_or_fail(FILE *out, const char *data) {
  if (fputs(data, out) < 0) {
    fclose(out);
    return -1;
  }
  return 0;
}

enum store_rc store_or_fail(FILE *out, const char *data) {
  if (fputs(data, out) < 0) {
    fclose(out);
    return STORE_ERR_IO;
  }
  return STORE_OK;
}

FILE *open_with_header(const char *path, const char *header) {
  FILE *out = fopen(path, "w");
  if (!out)
    return NULL;
  if (fputs(header, out) < 0) {
    fclose(out);
    return NULL;
  }
  return out;
}

bool save_or_false(FILE *out, const char *data) {
  if (fputs(data, out) < 0) {
    fflush(out);
    return false;
  }
  return true;
}

// A goto to a failure label.
int save_with_goto(FILE *out, const char *data) {
  if (fputs(data, out) < 0) {
    fclose(out);
    goto fail;
  }
  return 0;
fail:
  return -1;
}

// main's failure exit.
int main(int argc, char **argv) {
  if (argc < 3)
    return EXIT_FAILURE;
  FILE *fptr = fopen(argv[1], "r+");
  FILE *ftmp = fopen(argv[2], "w+");
  if (!fptr || !ftmp)
    return 1;
  if (copy_contents(ftmp, fptr)) {
    fclose(fptr);
    fclose(ftmp);
    fprintf(stderr, "Error occurred updating password file.\n");
    return 1;
  }
  if (fputs("x", fptr) < 0) {
    fclose(fptr);
    fclose(ftmp);
    return EXIT_FAILURE;
  }
  if (fclose(fptr) != 0 || fclose(ftmp) != 0)
    return 1;
  return 0;
}

// curl's single_transfer: a failed step breaks out of the loop with `result` set, and the
// function returns `result`; the etag file opened for this transfer is abandoned.
enum store_rc save_each(const char **paths, int n) {
  enum store_rc result = STORE_OK;
  for (int i = 0; i < n; i++) {
    FILE *out = fopen(paths[i], "w");
    if (!out)
      return STORE_ERR_IO;
    result = write_chunks(out, paths[i]) ? STORE_ERR_IO : STORE_OK;
    if (result) {
      fclose(out);
      break;
    }
    if (fclose(out))
      return STORE_ERR_IO;
  }
  return result;
}
