"""Copy record, honestly: the app's own clipboard and the terminal's (OSC 52) where that
works, else tmux's buffer, wl-copy/xclip/xsel, or a private file (services/carriers.py); the
notice says which happened, and never "copied" when nothing was."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reflectcoach.core.paths import data_dir
from reflectcoach.engine.records import copied_message
from reflectcoach.services.carriers import copy_text

if TYPE_CHECKING:
    from textual.app import App


def copy_record(app: App[object], text: str, markdown: str, name: str) -> None:
    """Put the share copy `text` of the record `markdown` where the person can paste it,
    and say where. `name`: the file's name when it has to go to a file."""
    app.copy_to_clipboard(text)  # ctrl+v inside the app; the terminal's, where it honours it
    done = copy_text(
        text,
        osc52=lambda _text: None,  # sent just above
        file_folder=data_dir() / "copied",
        file_name=f"{name}.txt",
    )
    if done.copied:
        app.notify(copied_message(markdown, done.where), title="Copied", markup=False)
    else:
        app.notify(done.message, title="Not copied", severity="warning", markup=False)
