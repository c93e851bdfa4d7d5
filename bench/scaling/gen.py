#!/usr/bin/env python3
"""Writes one C++ translation unit whose function `serve` has about N statements, for drain's
scaling benchmark (bench/scaling/run.sh). Not a test.

  gen.py N SHAPE > file.cpp

SHAPE is
  straight  a sequence of blocks: POSIX write/send with their results checked, a Poll-style
            poll_write/poll_flush on a connection object, a discarded flush now and then
  branchy   the same operations under nested ifs (depth up to 4), loops and early returns, so
            the CFG has many blocks and joins
The function ends with a shutdown of both channels, so the flow analysis must carry the
"maybe still buffered" state from every write to the end. The generator is deterministic.
"""
import random
import sys

HEADER = """\
#include <cerrno>
#include <cstddef>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

enum class Poll { Ready, Pending, Error };

struct Conn {
  Poll poll_write(const char *p, std::size_t n);
  Poll poll_flush();
  Poll poll_shutdown();
};

int cond(int);
"""


def stmt_block(r, i):
    """About 3-4 statements: one operation and what checks it."""
    k = r.randrange(6)
    if k == 0:
        return [f"ssize_t n{i} = ::write(fd, buf, len);", f"if (n{i} < 0) return -1;",
                f"sent += n{i};"]
    if k == 1:
        return [f"ssize_t s{i} = ::send(fd, buf + {i % 7}, len, MSG_NOSIGNAL);",
                f"if (s{i} != (ssize_t)len) return -1;"]
    if k == 2:
        return [f"if (c.poll_write(buf, len) == Poll::Pending) return 1;", f"sent += {i % 13};"]
    if k == 3:
        return [f"if (c.poll_flush() != Poll::Ready) return 1;", f"sent ^= {i % 17};"]
    if k == 4:
        return ["(void)c.poll_flush();", f"sent += cond({i});"]
    return [f"sent += cond({i}) * {i % 5};", f"len = (std::size_t)(sent & 1023);"]


def straight(n, r):
    out, i = [], 0
    while len(out) < n:
        out += stmt_block(r, i)
        i += 1
    return ["  " + s for s in out]


def branchy(n, r):
    out, i = [], 0

    def emit(depth, budget):
        nonlocal i
        lines = []
        while budget > 0:
            pick = r.randrange(5)
            ind = "  " * (depth + 1)
            if pick == 0 and depth < 4:
                sub = emit(depth + 1, min(budget, r.randrange(4, 16)))
                lines += [f"{ind}if (cond({i})) {{"] + sub + [f"{ind}}} else {{"]
                i += 1
                sub2 = emit(depth + 1, r.randrange(2, 6))
                lines += sub2 + [f"{ind}}}"]
                budget -= len(sub) + len(sub2) + 3
            elif pick == 1 and depth < 4:
                sub = emit(depth + 1, min(budget, r.randrange(4, 12)))
                lines += [f"{ind}for (int k{i} = 0; k{i} < cond({i}); ++k{i}) {{"] + sub + [f"{ind}}}"]
                i += 1
                budget -= len(sub) + 2
            elif pick == 2:
                lines += [f"{ind}if (cond({i}) == 7) return 2;"]
                i += 1
                budget -= 1
            else:
                b = stmt_block(r, i)
                i += 1
                lines += [ind + s for s in b]
                budget -= len(b)
        return lines

    return emit(0, n)


def main():
    n = int(sys.argv[1])
    shape = sys.argv[2] if len(sys.argv) > 2 else "straight"
    r = random.Random(n * 7919 + len(shape))
    body = straight(n, r) if shape == "straight" else branchy(n, r)
    print(HEADER)
    print(f"// {shape}, about {n} statements")
    print("int serve(int fd, Conn &c, const char *buf, std::size_t len) {")
    print("  long sent = 0;")
    print("\n".join(body))
    print("  ::shutdown(fd, SHUT_WR);")
    print("  c.poll_shutdown();")
    print("  return (int)(sent & 1);")
    print("}")


if __name__ == "__main__":
    main()
