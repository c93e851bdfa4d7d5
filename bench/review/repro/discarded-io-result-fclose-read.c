/* drain-discarded-io-result: fclose of a FILE opened for reading has no buffered output to
 * lose, but its dropped result is reported (most of the 77 fclose findings in the corpus). */
#include <stdio.h>

int count_lines(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f)
    return -1;
  int n = 0, c;
  while ((c = fgetc(f)) != EOF)
    n += c == '\n';
  fclose(f); /* reported: "a failed close loses buffered data unnoticed" */
  return n;
}
