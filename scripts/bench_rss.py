"""Peak RSS of one command, undistorted by the process that started it.

Linux keeps a process's peak RSS across exec, and a child started with vfork or
posix_spawn (what subprocess uses) counts the parent's peak as its own. scripts/bench.py
holds a big history in memory, so it starts this small launcher instead, which forks
(copying only its own few MB), execs the command in the grandchild, and reports that
grandchild's ru_maxrss from os.wait4.

Usage: python -S scripts/bench_rss.py OUT_FILE COMMAND [ARG ...]
Writes the peak RSS in KiB to OUT_FILE and exits with the command's exit code.
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    out, argv = sys.argv[1], sys.argv[2:]
    pid = os.fork()
    if pid == 0:
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    with open(out, "w", encoding="ascii") as fp:
        fp.write(str(usage.ru_maxrss))
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
