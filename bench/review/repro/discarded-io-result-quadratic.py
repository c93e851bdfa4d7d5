#!/usr/bin/env python3
"""drain-discarded-io-result's time grows with the square of a function's size: one function
of N `ssize_t nI = write(...); if (nI < 0) return -1;` blocks (every result is read). Measured
at 790199d: N=1000 0.49 s, 2000 3.2 s, 4000 13.0 s, 8000 47.1 s (CPU, -checks=-*,drain-
discarded-io-result); drain-shutdown-before-flush alone stays under 0.2 s. Likely the CFG
question "is this local read on some path" answered from scratch for every call.

  python3 discarded-io-result-quadratic.py 4000 > w.c
  drain-tidy --quiet -checks='-*,drain-discarded-io-result' w.c --
"""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
print("#include <unistd.h>\nint f(int fd, const char *b, size_t len) {\n  long s = 0;")
for i in range(n):
    print(f"  ssize_t n{i} = write(fd, b, len);\n  if (n{i} < 0) return -1;\n  s += n{i};")
print("  return (int)s;\n}")
