"""The command line on a long history (issue 26): `list`, `commitments --due` and `due` as
whole processes against `reflectcoach --version`, and the same commands on an encrypted copy
against the plaintext one, each pair alternated in one run."""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .common import REFLECTCOACH, Budget, Context, Row, interleaved, run_child, wall

# What a person runs from a prompt or a timer; each must read only what it prints.
COMMANDS: tuple[tuple[str, ...], ...] = (("list",), ("commitments", "--due"), ("due",))


def _pairs(real: list, floor: list) -> str:  # type: ignore[type-arg]
    ratios = [r.wall_ms / f.wall_ms for r, f in zip(real, floor, strict=True)]
    return (
        f"per-pair ratio median {statistics.median(ratios):.2f}x "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f}, {len(ratios)} pairs)"
    )


def against_version(ctx: Context, group: str, db: Path, what: str) -> None:
    """Each command on `db` against `reflectcoach --version` (interpreter, click, the CLI's
    own modules: what every command pays before it reads a byte)."""
    env = ctx.env()
    for command in COMMANDS:
        argv = [REFLECTCOACH, "--db", str(db), *command]
        results = interleaved(
            {
                "version": lambda: run_child([REFLECTCOACH, "--version"], env),
                "real": lambda argv=argv: run_child(argv, env),
            },
            ctx.process_runs,
        )
        shown = results["real"][-1]
        ctx.add(
            Row(
                group,
                f"cli: reflectcoach {' '.join(command)} on {what}",
                "ms",
                wall(results["real"]),
                "reflectcoach --version",
                wall(results["version"]),
                Budget("ratio", 1.5),
                f"{_pairs(results['real'], results['version'])}; prints "
                f"{len(shown.stdout.encode()):,} bytes"
                + (f", and on stderr: {shown.stderr.strip()}" if shown.stderr.strip() else ""),
            )
        )


def encrypted_against_plaintext(
    ctx: Context,
    group: str,
    secret: Path,
    plain: Path,
    *,
    env: dict[str, str],
    label: str,
    budget: Budget,
    commands: Sequence[tuple[str, ...]] = (*COMMANDS, ("search", "team")),
) -> None:
    """Each command on the encrypted `secret` (its key found through `env`) against the same
    command on the plaintext `plain`."""
    for command in commands:
        enc = [REFLECTCOACH, "--db", str(secret), *command]
        clear = [REFLECTCOACH, "--db", str(plain), *command]
        results = interleaved(
            {
                "plain": lambda clear=clear: run_child(clear, ctx.env()),
                "enc": lambda enc=enc: run_child(enc, env),
            },
            ctx.process_runs,
        )
        if results["enc"][-1].stdout != results["plain"][-1].stdout:
            raise RuntimeError(f"{' '.join(command)}: encrypted and plaintext outputs differ")
        ctx.add(
            Row(
                group,
                f"cli: reflectcoach {' '.join(command)}, encrypted ({label})",
                "ms",
                wall(results["enc"]),
                "the same command, plaintext copy",
                wall(results["plain"]),
                budget,
                _pairs(results["enc"], results["plain"]),
            )
        )


@contextmanager
def unlocked_session(ctx: Context, secret: Path, raw: bytes) -> Iterator[dict[str, str]]:
    """An environment whose commands find `secret`'s key in an unlocked session
    (services/agent.py, started as `reflectcoach unlock` starts it), and no keyring; the
    session ended afterwards."""
    from reflectcoach.services import agent

    # Short, as /run/user/UID is: a socket's path is at most 107 bytes.
    runtime = Path(tempfile.mkdtemp(prefix="rc-bench-"))
    runtime.chmod(0o700)
    env = ctx.env(
        XDG_RUNTIME_DIR=str(runtime), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"
    )
    before = os.environ.get("XDG_RUNTIME_DIR")
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)  # where agent.py puts the socket
    try:
        agent.start(secret, raw, 3600)
        yield env
    finally:
        agent.lock(secret)
        if before is None:
            os.environ.pop("XDG_RUNTIME_DIR")
        else:
            os.environ["XDG_RUNTIME_DIR"] = before
        shutil.rmtree(runtime, ignore_errors=True)
