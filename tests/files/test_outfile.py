"""outfile.open_text against real files, links, pipes and devices."""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from pathlib import Path

import pytest

from reflectcoach.core.outfile import NotWritable, open_text


def write(path: Path, text: str = "new") -> None:
    with open_text(path) as fp:
        fp.write(text)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_file_is_owner_only_from_the_start(tmp_path: Path) -> None:
    old_umask = os.umask(0)
    try:
        write(tmp_path / "out.md")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "out.md").stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["out.md"]


def test_a_failed_write_leaves_the_old_file_and_no_partial(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old")
    with pytest.raises(RuntimeError), open_text(target) as fp:
        fp.write("half")
        raise RuntimeError("disk trouble")
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["out.md"]


def test_a_planted_symlink_at_the_partial_name_is_never_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file")
    victim.chmod(0o644)
    before = digest(victim)
    (tmp_path / "out.md.partial").symlink_to(victim)
    (tmp_path / ".out.md.x.partial").symlink_to(victim)
    write(tmp_path / "out.md")
    assert digest(victim) == before and stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert (tmp_path / "out.md").read_text() == "new"
    assert stat.S_IMODE((tmp_path / "out.md").stat().st_mode) == 0o600
    assert (tmp_path / "out.md.partial").is_symlink()  # not ours: left alone


def test_a_stale_partial_of_ours_is_removed_and_a_foreign_one_kept(tmp_path: Path) -> None:
    stale = tmp_path / "out.md.partial"
    stale.write_text("left by a crash")
    stale.chmod(0o666)
    crashed = tmp_path / ".out.md.abc123.partial"
    crashed.write_text("left by a crash too")
    foreign = tmp_path / ".out.md.zzz.partial"
    foreign.write_text("another user's")
    if os.geteuid() == 0:
        os.chown(foreign, 65534, 65534)
    write(tmp_path / "out.md")
    left = sorted(os.listdir(tmp_path))
    assert "out.md.partial" not in left and ".out.md.abc123.partial" not in left
    if os.geteuid() == 0:
        assert ".out.md.zzz.partial" in left


def test_a_partial_held_by_a_running_export_is_not_removed(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    with open_text(target) as fp:
        fp.write("first")
        (running,) = [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
        write(target, "second")  # another export of the same file, finishing first
        assert running.exists()
    assert target.read_text() == "first"


def test_a_symlink_to_a_file_writes_where_it_points(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write(link)
    assert link.is_symlink() and real.read_text() == "new"


def test_a_folder_is_refused_untouched(tmp_path: Path) -> None:
    with pytest.raises(NotWritable, match="it is a folder"):
        write(tmp_path)
    assert os.listdir(tmp_path) == []


def test_a_character_device_is_written_in_place_not_replaced() -> None:
    before = os.stat("/dev/null")
    write(Path("/dev/null"), "x" * 100_000)
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert after.st_ino == before.st_ino


def test_a_full_device_is_an_error_and_stays_a_device() -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with pytest.raises(OSError, match="No space left"):
        write(Path("/dev/full"), "x" * 100_000)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_fifo_is_written_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write(fifo, "through the pipe " * 10_000)
    reader.join()
    assert received == [("through the pipe " * 10_000).encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
