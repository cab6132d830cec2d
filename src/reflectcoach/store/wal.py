"""A write-ahead log a crash left behind, checked before SQLite is allowed to recover it.

With WAL, a commit is a run of frames appended to `<db>-wal`, the last one marked as a commit;
the database file gets them at the next checkpoint. When a connection opens a WAL that no one
has open, SQLite "recovers" it: it keeps the frames up to the last commit whose checksums
chain back to the header, and silently drops everything else. A log whose header was
overwritten is dropped whole; one cut short keeps only what comes before the cut. Either way,
commits a person was told were saved disappear, and the next checkpoint makes it final.

What a crash can legitimately leave (a writer killed part way, SIGKILL or power cut) is known
exactly, because SQLite writes a log in order, each frame as two writes (its 24-byte header,
then its page):

- a complete header (one 32-byte write);
- whole frames, then at most one frame header without its page (the file is
  32 + k * (24 + page size) bytes, or 24 more);
- after the last valid frame, frames of the transaction that was being written, whose
  checksums need not chain (SQLite may overwrite a frame of an uncommitted transaction in
  place and fix the checksums only at commit: the crash harness found this on a killed
  import), and frames of an older generation of the log (the log is reused from the start
  after a checkpoint; its header then gets new salts). None of these is a commit frame of the
  current generation.

So the log is damaged when its header is not a valid WAL header, when its size ends part way
through a page, or when a commit frame of the current generation (the header's salts) comes
after a frame whose checksum fails: that commit was written, and SQLite would drop it.
Truncation exactly at a frame boundary, or damage to the last transaction's final frame,
looks like a crash there and cannot be told apart.

What we do on damage: refuse, leaving every byte as it is (`DamagedLog`). Continuing, even after
copying the log aside, would let SQLite recover and checkpoint what it can read, after which
the database no longer matches the copy and restoring the lost commits from it takes a
specialist. The refusal says which file, what is wrong, and what the person can do: keep a
copy, restore a backup or an export, or accept the loss explicitly (the sqlite3 tool's
checkpoint keeps what is readable).

A log that another process has open is live, not a crash's leftover: its writer may be
appending while we read, and its wal-index (not the file alone) says what is committed. It is
left to SQLite. So is one that a Store of this process has open.
"""

from __future__ import annotations

import fcntl
import os
import stat
import struct
import sys
from pathlib import Path

from . import rawfile
from .errors import ELSEWHERE, StoreError

HEADER_SIZE = 32
FRAME_HEADER_SIZE = 24
MAGIC_LE = 0x377F0682  # checksums computed on little-endian 32-bit words
MAGIC_BE = 0x377F0683  # ... on big-endian words
FORMAT = 3007000

# SQLite's unix VFS: every connection using the WAL holds a shared lock on this byte of -shm
# (UNIX_SHM_DMS = (22 + 8) * 4 + 8).
_SHM_DMS_BYTE = 128


class DamagedLog(StoreError):
    """The database's -wal would lose commits if SQLite recovered it; nothing was changed."""


def log_path(db: Path) -> Path:
    return db.with_name(db.name + "-wal")


COMPANIONS = {"-wal": "write-ahead log", "-shm": "shared-memory index"}


def check_companions(db: Path) -> None:
    """StoreError when `<db>-wal` or `<db>-shm` exists and is not a regular file (a folder, a
    pipe, a link): SQLite would fail on it half way (IsADirectoryError, "read-only"). Called
    before the database file is created or opened, so nothing is touched."""
    for suffix, what in COMPANIONS.items():
        companion = db.with_name(db.name + suffix)
        try:
            info = os.lstat(companion)
        except OSError:  # none, or a folder problem that files.prepare explains
            continue
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(
                f"{companion}, where SQLite keeps the reflection database's {what}, is not a "
                f"file. reflectcoach has not touched it or {db.name}; move it away, {ELSEWHERE}."
            )


def check(db: Path) -> None:
    """Raise DamagedLog if `db`'s -wal is a crash leftover that would lose commits."""
    check_companions(db)
    wal = log_path(db)
    try:
        info = os.lstat(wal)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"Cannot read the write-ahead log {wal}: {exc.strerror}.") from exc
    if info.st_size == 0 or rawfile.held(db) or _in_use(db):
        return
    problem = problem_in(wal)
    if problem is not None:
        raise DamagedLog(
            f"The reflection database's write-ahead log {wal} is damaged ({problem}): "
            f"changes saved in it would be lost if it were opened now. reflectcoach has not "
            f"touched {db} or {wal.name}. First copy both somewhere safe. Then restore them "
            "from a backup, or import your latest export into a new database; or, to keep "
            f"only what can still be read, run `sqlite3 {db} 'PRAGMA wal_checkpoint'` once "
            f"({ELSEWHERE})."
        )


def problem_in(wal: Path) -> str | None:
    """What is wrong with the log at `wal`, or None if a crash could have left it so."""
    # docs/architecture.md, "Touching a database outside SQLite": never a plain open().
    # (os.pread, not a file object: closing even a dup() of it would drop the locks.)
    with rawfile.descriptor(wal) as fd:
        header = os.pread(fd, HEADER_SIZE, 0)
        size = os.fstat(fd).st_size
        if len(header) < HEADER_SIZE:
            return f"it is {size} bytes, shorter than a log's {HEADER_SIZE}-byte header"
        magic, version, page_size, _seq, salt1, salt2, sum1, sum2 = struct.unpack(">8I", header)
        if magic not in (MAGIC_LE, MAGIC_BE) or version != FORMAT:
            return "its header is not a write-ahead log header"
        if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
            return f"its header gives an impossible page size, {page_size}"
        order = ">" if magic == MAGIC_BE else "<"
        if _checksum(header[:24], 0, 0, order) != (sum1, sum2):
            return "its header's checksum is wrong"
        frame_size = FRAME_HEADER_SIZE + page_size
        whole, rest = divmod(size - HEADER_SIZE, frame_size)
        if rest not in (0, FRAME_HEADER_SIZE):
            return (
                f"it ends part way through frame {whole + 1}: {size} bytes is not a whole "
                "number of frames"
            )
        sums = (sum1, sum2)
        broken_at: int | None = None
        for index in range(whole):
            frame = os.pread(fd, frame_size, HEADER_SIZE + index * frame_size)
            _page, commit, f_salt1, f_salt2, f_sum1, f_sum2 = struct.unpack(">6I", frame[:24])
            current = (f_salt1, f_salt2) == (salt1, salt2)
            if broken_at is not None:
                if current and commit:
                    return (
                        f"frame {broken_at + 1} of {whole} is corrupt and a commit written "
                        f"after it, at frame {index + 1}, would be dropped"
                    )
                continue
            if current:
                sums = _checksum(frame[:8], *sums, order)
                sums = _checksum(frame[24:], *sums, order)
            if not current or sums != (f_sum1, f_sum2):
                broken_at = index
    return None


def _checksum(data: bytes, s1: int, s2: int, order: str) -> tuple[int, int]:
    """SQLite's WAL checksum (fileformat2.html#walformat) over `data`, continuing (s1, s2)."""
    for x1, x2 in struct.iter_unpack(order + "2I", data):
        s1 = (s1 + x1 + s2) & 0xFFFFFFFF
        s2 = (s2 + x2 + s1) & 0xFFFFFFFF
    return s1, s2


def in_use_elsewhere(db: Path) -> bool:
    """Whether another process has the database open in WAL mode (see `_in_use`)."""
    return _in_use(db)


def _in_use(db: Path) -> bool:
    """Whether another process has the WAL open: it holds a shared lock on the -shm's DMS
    byte. Asked with F_GETLK, which takes no lock (taking one, even for an instant, could make
    that process's next open fail as busy). Where the lock layout is not known, the answer is
    "in use": skipping the check is what SQLite would do anyway."""
    layout = _FLOCK.get(sys.platform)
    if layout is None:
        return True
    query = layout(fcntl.F_WRLCK, _SHM_DMS_BYTE)
    try:
        # docs/architecture.md, "Touching a database outside SQLite": never a plain open().
        with rawfile.descriptor(db.with_name(db.name + "-shm")) as fd:
            answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
    except FileNotFoundError:
        return False  # no wal-index: nobody has the log open
    except OSError:
        return True
    return _lock_type(answer) != fcntl.F_UNLCK


def _linux_flock(kind: int, start: int) -> bytes:
    # struct flock { short l_type, l_whence; off_t l_start, l_len; pid_t l_pid; }
    return struct.pack("@hhqqi", kind, os.SEEK_SET, start, 1, 0)


def _darwin_flock(kind: int, start: int) -> bytes:
    # struct flock { off_t l_start, l_len; pid_t l_pid; short l_type, l_whence; }
    return struct.pack("@qqihh", start, 1, 0, kind, os.SEEK_SET)


_FLOCK = {"linux": _linux_flock, "darwin": _darwin_flock}


def _lock_type(answer: bytes) -> int:
    if sys.platform == "darwin":
        return struct.unpack_from("@qqihh", answer)[3]
    return struct.unpack_from("@hhqqi", answer)[0]
