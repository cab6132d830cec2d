"""Writing a long answer in the person's own editor ($VISUAL, else $EDITOR).

Both front ends use it: the app suspends itself around `edit()` (ctrl+e), plain mode calls
it for `:edit`. The text goes through a private temporary file (it is someone's reflection)
that is removed afterwards, whatever happens.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from reflectcoach.core.errors import UserError
from reflectcoach.core.private import create_private

NO_EDITOR = (
    "No editor is set. Set VISUAL or EDITOR to the command of your editor "
    "(for example: export EDITOR=nano) and try again."
)


class EditorError(UserError):
    """The editor could not be used. str() is the message to show."""


def editor_command(env: Mapping[str, str] | None = None) -> list[str] | None:
    """$VISUAL, else $EDITOR, split as a shell would ("code --wait" is two words)."""
    env = os.environ if env is None else env
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError as exc:
                raise EditorError(f"${name} cannot be read as a command ({exc}).") from None
            if words:
                return words
    return None


def edit(text: str, env: Mapping[str, str] | None = None) -> str:
    """Open the editor on `text` and return what it saved. EditorError when none is set,
    it cannot be started, or it exits with an error (the text is then unchanged)."""
    command = editor_command(env)
    if command is None:
        raise EditorError(NO_EDITOR)
    with tempfile.TemporaryDirectory(prefix="reflectcoach-") as folder:
        path = Path(folder) / "answer.md"  # .md: most editors then wrap prose
        fd = create_private(path)
        with os.fdopen(fd, "w", encoding="utf-8") as fp:
            fp.write(text)
        try:
            result = subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            raise EditorError(
                f"Could not start the editor {command[0]!r}: {exc.strerror}."
            ) from None
        if result.returncode != 0:
            raise EditorError(
                f"The editor {command[0]!r} exited with status {result.returncode}; "
                "the answer is as it was."
            )
        try:
            saved = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise EditorError(f"Could not read what the editor saved: {exc.strerror}.") from None
    # Editors end a file with a newline; the answer does not need it.
    return saved.removesuffix("\n")
