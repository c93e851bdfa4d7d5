#!/usr/bin/env python3
"""expect_exit.py N CMD...: run CMD (output passed through) and succeed iff it exits with N.
lit's `not` only knows "non-zero"; drain's exit codes (0 clean, 1 findings, 2 tool error) are a
contract, so the tests pin them."""
import subprocess
import sys

want = int(sys.argv[1])
rc = subprocess.call(sys.argv[2:])
if rc != want:
    sys.stderr.write("expect_exit.py: %s exited with %d, expected %d\n" % (sys.argv[2], rc, want))
    sys.exit(1)
