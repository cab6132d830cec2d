"""Writing a long answer in the person's own editor ($VISUAL, else $EDITOR, else as Debian
does: `editor` (the alternatives system's choice), `sensible-editor`, nano, vi).

Both front ends use it: the app suspends itself around `edit()` (ctrl+e), plain mode calls
it for `:edit`. The text goes through a private temporary file (it is someone's reflection)
that is removed afterwards, whatever happens.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from reflectcoach.core.errors import UserError
from reflectcoach.core.private import create_private

NO_EDITOR = (
    "No editor is set and none was found (editor, sensible-editor, nano, vi). Set VISUAL or "
    "EDITOR to the command of your editor (for example: export EDITOR=nano) and try again."
)
# Tried in this order when neither variable is set, on the PATH, as Debian's own tools do.
FALLBACKS = ("editor", "sensible-editor", "nano", "vi")


class EditorError(UserError):
    """The editor could not be used. str() is the message to show."""


def editor_command(env: Mapping[str, str] | None = None) -> list[str] | None:
    """The editor's command: $VISUAL, else $EDITOR, else the first of FALLBACKS found."""
    found = find_editor(env)
    return None if found is None else found[0]


def find_editor(env: Mapping[str, str] | None = None) -> tuple[list[str], str | None] | None:
    """(command, why): $VISUAL, else $EDITOR, split as a shell would ("code --wait" is two
    words), `why` None; else the first of FALLBACKS on the PATH, `why` saying so ("no
    $VISUAL or $EDITOR is set: writing in nano"), for the front end to tell the person."""
    env = os.environ if env is None else env
    words = _from_variables(env)
    if words is not None:
        return words, None
    for name in FALLBACKS:
        found = shutil.which(name, path=env.get("PATH", os.defpath))
        if found:
            return [found], f"No $VISUAL or $EDITOR is set: writing in {name}."
    return None


def _from_variables(env: Mapping[str, str]) -> list[str] | None:
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
    found = find_editor(env)
    if found is None:
        raise EditorError(NO_EDITOR)
    command = found[0]
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
