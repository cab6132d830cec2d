"""Commitments: a table of them (open ones, or all; one mentorship, or every one) with keys
to mark the highlighted one done, partly done, not yet (asks the new date) or dropped (asks
an optional reason). From home's due list, the mentorship screen and the palette.

Reads and writes go through the store API in thread workers; a change shows in its row at
once (from the row the store returns) and stays until the list is read again.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Select, Static

from reflectcoach.app.widgets.keys_footer import KeysFooter
from reflectcoach.app.widgets.review_format import cell
from reflectcoach.app.workers import read_in_worker
from reflectcoach.core.text import clean
from reflectcoach.script.dates import readable
from reflectcoach.store.commitments import OPEN, STATUSES

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp
    from reflectcoach.store.commitments import Commitment

EVERY = ""  # the mentorship filter's "every mentorship"
# A DataTable row costs about 0.5 ms to add: the oldest-due 500 keep the screen quick on a
# long history (the CLI lists them all).
LIMIT = 500
STATUS_WORDS = {
    "open": "open",
    "partly": "partly done",
    "not_yet": "not yet",
    "done": "done",
    "dropped": "dropped",
}


class CommitmentsScreen(Screen[None]):
    CSS_PATH = "commitments.tcss"
    SUB_TITLE = "Commitments"
    AUTO_FOCUS = "#commitments-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="commitments.back", tooltip="Back to where you were"),
        Binding("d", "mark('done')", "Done", id="commitments.done", tooltip="Mark it done"),
        Binding(
            "p", "mark('partly')", "Partly", id="commitments.partly", tooltip="Mark it partly done"
        ),
        Binding(
            "n",
            "mark('not_yet')",
            "Not yet",
            id="commitments.not-yet",
            tooltip="Not done yet: carry it forward to a new date",
        ),
        Binding(
            "x",
            "mark('dropped')",
            "Drop",
            id="commitments.drop",
            tooltip="Drop it (with a reason, if you like)",
        ),
        Binding(
            "a",
            "toggle_all",
            "Open/all",
            id="commitments.all",
            tooltip="Show finished ones too, or only open ones",
        ),
    ]

    def __init__(self, mentorship: str | None = None) -> None:
        super().__init__()
        self.mentorship = mentorship or EVERY
        self.show_all = False
        self.items: dict[str, Commitment] = {}

    @property
    def rc_app(self) -> ReflectCoachApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="commitments-filters"):
            yield Label("Mentorship", classes="field-label")
            yield Select[str](
                [(Text(clean(self.mentorship)), self.mentorship)] if self.mentorship else [],
                prompt="Every mentorship",
                value=self.mentorship or Select.NULL,
                id="commitments-mentorship",
                compact=True,
            )
            yield Static("", id="commitments-shown", markup=False)
        table: DataTable[Text] = DataTable(id="commitments-table", cursor_type="row")
        table.add_columns("Due", "Status", "Mentorship", "What")
        yield table
        yield Static("", id="commitments-empty", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load()
        self.read_names()

    # -- reading ---------------------------------------------------------------------------

    def load(self) -> None:
        mentorship, statuses = self.mentorship or None, STATUSES if self.show_all else OPEN
        read_in_worker(
            self,
            lambda store: store.commitments.all(
                mentorship=mentorship, statuses=statuses, limit=LIMIT
            ),
            self.show,
            self._problem,
            group="commitments-load",
        )

    def read_names(self) -> None:
        # No failure callback: the table's own read says what is wrong.
        read_in_worker(
            self,
            lambda store: [m.name for m in store.mentorships.all()],
            self._names,
            group="commitments-names",
        )

    def _names(self, names: list[str]) -> None:
        if not self.is_attached:
            return
        select = self.query_one("#commitments-mentorship", Select)
        keep = self.mentorship
        with select.prevent(Select.Changed):
            # Text, not str: a name is data, never markup.
            select.set_options((Text(clean(name)), name) for name in names)
            if keep and keep in names:
                select.value = keep

    def show(self, found: list[Commitment]) -> None:
        if not self.is_attached:
            return
        table = self.query_one("#commitments-table", DataTable)
        keep = self.current_id()
        table.clear()
        self.items = {item.id: item for item in found}
        for item in found:
            table.add_row(*self.cells(item), key=item.id)
        ids = list(self.items)
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        which = "open and finished" if self.show_all else "open"
        count = f"the first {LIMIT:,}" if len(found) >= LIMIT else f"{len(found):,}"
        self.query_one("#commitments-shown", Static).update(
            Content(f"{count} {which} (a: {'only open' if self.show_all else 'all'})")
        )
        empty = self.query_one("#commitments-empty", Static)
        empty.update(Content("No commitments here." if self.show_all else "No open commitments."))
        empty.display = not found
        table.display = bool(found)
        self.refresh_bindings()

    def cells(self, item: Commitment) -> list[Text]:
        today = self.rc_app.today()
        when = readable(item.due) if item.due is not None else "no date"
        if item.overdue(today):
            when += " (overdue)"
        status = STATUS_WORDS.get(item.status, item.status)
        due = cell(when)
        if item.overdue(today):
            due.stylize("bold")
        return [due, cell(status), cell(item.mentorship or "—"), cell(item.text)]

    def _problem(self, message: str) -> None:
        if self.is_attached:
            self.notify(clean(message), title="Commitments", severity="error", markup=False)

    def current_id(self) -> str | None:
        table = self.query_one("#commitments-table", DataTable)
        if not self.items or table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    # -- acting ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "mark":
            return bool(self.items)
        return True

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.load()

    @on(Select.Changed, "#commitments-mentorship")
    def _mentorship_chosen(self, event: Select.Changed) -> None:
        value = event.value
        self.mentorship = value if isinstance(value, str) else EVERY
        self.load()

    def action_mark(self, status: str) -> None:
        from reflectcoach.app.screens.commitment_ask import CommitmentAsk

        commitment_id = self.current_id()
        if commitment_id is None:
            return
        item = self.items[commitment_id]
        if status == "not_yet":
            ask = CommitmentAsk(
                "Not done yet", f"By when now? ({item.text})", today=self.rc_app.today()
            )
            self.app.push_screen(
                ask, lambda day: self.change(commitment_id, status, due=day) if day else None
            )
        elif status == "dropped":
            ask = CommitmentAsk("Drop it", f"Why drop it? ({item.text})")
            self.app.push_screen(
                ask,
                lambda why: (
                    self.change(commitment_id, status, reason=why or None)
                    if why is not None
                    else None
                ),
            )
        else:
            self.change(commitment_id, status)

    def change(
        self, commitment_id: str, status: str, *, due: str | None = None, reason: str | None = None
    ) -> None:
        day = None if due is None else dt.date.fromisoformat(due)
        read_in_worker(
            self,
            lambda store: store.commitments.set_status(
                commitment_id, status, due=day, reason=reason, source="app"
            ),
            self._changed,
            self._problem,
            group="commitments-change",
            exclusive=False,
        )

    def _changed(self, item: Commitment) -> None:
        if not self.is_attached or item.id not in self.items:
            return
        self.items[item.id] = item
        table = self.query_one("#commitments-table", DataTable)
        for column, value in zip(table.columns, self.cells(item), strict=True):
            table.update_cell(item.id, column, value)
        self.notify(
            clean(f"'{' '.join(item.text.split())}': {STATUS_WORDS.get(item.status)}."),
            markup=False,
        )
