"""Help: the keys of every screen (read from their BINDINGS, so it cannot drift) and the
commands that work without the app."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from reflectcoach.services.commands import COMMANDS

PLAIN_MODE = (
    "In a pipe, a screen reader or any terminal, `reflectcoach start SCRIPT --plain` and "
    "`reflectcoach resume --plain` ask line by line. There, :back goes back one question, "
    ":skip skips an optional one and :quit stops (everything answered is saved)."
)


def _sections() -> list[tuple[str, list[BindingType]]]:
    from reflectcoach.app.app import ReflectCoachApp
    from reflectcoach.app.screens.home import HomeScreen

    sections: list[tuple[str, list[BindingType]]] = [
        ("Everywhere", [*ReflectCoachApp.BINDINGS, Binding("ctrl+p", "", "Command palette")]),
        ("Home", list(HomeScreen.BINDINGS)),
    ]
    from reflectcoach.app.screens.commitments import CommitmentsScreen
    from reflectcoach.app.screens.confirm import ConfirmScreen
    from reflectcoach.app.screens.conversation import ConversationScreen
    from reflectcoach.app.screens.finished import FinishedScreen
    from reflectcoach.app.screens.insights import InsightsScreen
    from reflectcoach.app.screens.partner import PartnerScreen
    from reflectcoach.app.screens.review import ReviewScreen
    from reflectcoach.app.screens.transcript import TranscriptScreen
    from reflectcoach.app.widgets import answer_inputs as inputs

    sections.append(
        (
            "Conversation",
            [
                *ConversationScreen.BINDINGS,
                Binding("enter", "", "Answer (text, number, choice, multi)"),
                Binding("space", "", "Tick or untick an option (multi)"),
                *inputs.LongTextAnswer.BINDINGS,
                # The yes/no buttons' arrows move the focus; Enter answers. Their own
                # descriptions ("Yes", "No") would read as if an arrow answered.
                *shown_only(inputs.YesNoAnswer.BINDINGS),
                Binding("left,right", "", "Move between Yes and No; Enter answers"),
                Binding("1-9", "", "Pick an option or a point on a scale"),
            ],
        )
    )
    sections.append(("End of a conversation", list(FinishedScreen.BINDINGS)))
    for title, screen in (
        ("Review", ReviewScreen),
        ("Transcript", TranscriptScreen),
        ("Insights", InsightsScreen),
        ("Commitments", CommitmentsScreen),
        ("Partner (p on a mentorship)", PartnerScreen),
        ("Questions like \u201cDelete this reflection?\u201d", ConfirmScreen),
    ):
        sections.append((title, list(screen.BINDINGS)))
    return sections


def shown_only(bindings: Iterable[BindingType]) -> list[Binding]:
    """The bindings a footer shows: the hidden ones are described by hand instead."""
    return [b for b in Binding.make_bindings(bindings) if b.show]


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "app.pop_screen", "Close help", id="close-help"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(Content("Keys and commands"), id="help-title", markup=False)
            with VerticalScroll(id="help-body", can_focus=True):
                for title, bindings in _sections():
                    yield Static(Content(title), classes="help-section", markup=False)
                    for keys, description in self.rows(bindings):
                        yield self.row(Content.styled(keys, "bold $accent"), description, "keys")
                yield Static(Content("Without the app"), classes="help-section", markup=False)
                yield Static(Content(PLAIN_MODE), classes="help-text", markup=False)
                yield Static(
                    Content("Commands (reflectcoach COMMAND --help for more):"),
                    classes="help-text",
                    markup=False,
                )
                for name, summary in self.cli_commands():
                    yield self.row(Content(name), summary, "command")
        yield Footer()

    @staticmethod
    def row(left: Content, text: str, kind: str) -> Horizontal:
        """Two columns, so a long description wraps under itself rather than under the keys
        (and is never cut short)."""
        return Horizontal(
            Static(left, classes=f"help-{kind}", markup=False),
            Static(Content(text), classes="help-words", markup=False),
            classes="help-row",
        )

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def rows(self, bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
        """(keys, description) per action, keys of one action joined: "escape / h"."""
        by_action: dict[tuple[str, str], list[str]] = {}
        for binding in Binding.make_bindings(bindings):
            if not binding.description:
                continue
            shown = (
                binding.key
                if binding.key == "1-9"
                else self.app.get_key_display(binding) or binding.key
            )
            words = binding.description
            if binding.tooltip:
                words = f"{words}: {binding.tooltip}"
            by_action.setdefault((binding.action, words), []).append(shown)
        return [(" / ".join(keys), words) for (_, words), keys in by_action.items()]

    @staticmethod
    def cli_commands() -> list[tuple[str, str]]:
        """(name, summary) per command; the summary is the help's whole first sentence."""
        return list(COMMANDS)
