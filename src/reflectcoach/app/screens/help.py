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


Section = tuple[str, list[BindingType], type | None]  # title, keys, the screen it is about


def _sections() -> list[Section]:
    from reflectcoach.app.app import ReflectCoachApp
    from reflectcoach.app.screens.home import HomeScreen

    sections: list[Section] = [
        (
            "Everywhere",
            [*ReflectCoachApp.BINDINGS, Binding("ctrl+p", "", "Command palette")],
            None,
        ),
        ("Home", list(HomeScreen.BINDINGS), HomeScreen),
    ]
    from reflectcoach.app.screens.commitments import CommitmentsScreen
    from reflectcoach.app.screens.compare import CompareScreen
    from reflectcoach.app.screens.confirm import ConfirmScreen
    from reflectcoach.app.screens.conversation import ConversationScreen
    from reflectcoach.app.screens.finished import FinishedScreen
    from reflectcoach.app.screens.insights import InsightsScreen
    from reflectcoach.app.screens.mentorship import MentorshipScreen
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
                Binding("1-9", "", "Pick an option or a point on a scale; tick one (multi)"),
            ],
            ConversationScreen,
        )
    )
    sections.append(("End of a conversation", list(FinishedScreen.BINDINGS), FinishedScreen))
    for title, screen in (
        ("Review", ReviewScreen),
        ("Transcript", TranscriptScreen),
        ("Insights", InsightsScreen),
        ("Commitments", CommitmentsScreen),
        ("Mentorship", MentorshipScreen),
        ("Comparing two conversations", CompareScreen),
        ("Partner (p on a mentorship)", PartnerScreen),
        ("Questions like \u201cDelete this reflection?\u201d", ConfirmScreen),
    ):
        sections.append((title, list(screen.BINDINGS), screen))
    return sections


def shown_only(bindings: Iterable[BindingType]) -> list[Binding]:
    """The bindings a footer shows: the hidden ones are described by hand instead."""
    return [b for b in Binding.make_bindings(bindings) if b.show]


# The keys column never narrower than this, nor wider than the longest keys (up to a cap).
KEYS_WIDTH = (10, 24)


class HelpScreen(ModalScreen[None]):
    """Every screen's keys; opened from a screen (`origin`, the stack beneath it), it
    scrolls to that screen's section first."""

    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "app.pop_screen", "Close help", id="close-help"),
    ]

    def __init__(self, origin: Iterable[type] = ()) -> None:
        super().__init__()
        self.origin = list(origin)  # the screens beneath, topmost first

    def compose(self) -> ComposeResult:
        sections = [(title, self.rows(bindings), screen) for title, bindings, screen in _sections()]
        longest = max((len(keys) for _, rows, _ in sections for keys, _ in rows), default=0)
        self.keys_width = max(KEYS_WIDTH[0], min(KEYS_WIDTH[1], longest))
        self.name_width = max(len(name) for name, _ in self.cli_commands())
        home = next(
            (title for screen in self.origin for title, _, s in sections if s is screen), None
        )
        with Vertical(id="help"):
            yield Static(Content("Keys and commands"), id="help-title", markup=False)
            with VerticalScroll(id="help-body", can_focus=True):
                for title, rows, screen in sections:
                    section = Static(Content(title), classes="help-section", markup=False)
                    if title == home and screen is not sections[1][2]:  # Home: at the top
                        section.add_class("-origin")
                    yield section
                    for keys, description in rows:
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

    def row(self, left: Content, text: str, kind: str) -> Horizontal:
        """Two columns, so a long description wraps under itself rather than under the keys
        (and is never cut short); the left one as wide as its longest entry and a gap."""
        cell = Static(left, classes=f"help-{kind}", markup=False)
        # keys: right-aligned, then a margin of 2; commands: a padding of 2, then a gap of 2.
        cell.styles.width = self.keys_width if kind == "keys" else self.name_width + 4
        return Horizontal(
            cell,
            Static(Content(text), classes="help-words", markup=False),
            classes="help-row",
        )

    def on_mount(self) -> None:
        body = self.query_one("#help-body")
        body.focus()
        origin = self.query(".help-section.-origin")
        if origin:
            self.call_after_refresh(body.scroll_to_widget, origin.first(), top=True, animate=False)

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
