"""Help: the keys of every screen (read from their BINDINGS, so it cannot drift) and the
commands that work without the app."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

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
    from reflectcoach.app.screens.conversation import ConversationScreen
    from reflectcoach.app.screens.finished import FinishedScreen
    from reflectcoach.app.screens.insights import InsightsScreen
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
                *inputs.YesNoAnswer.BINDINGS,
                Binding("1-9", "", "Pick an option or a point on a scale"),
            ],
        )
    )
    sections.append(("End of a conversation", list(FinishedScreen.BINDINGS)))
    for title, screen in (
        ("Review", ReviewScreen),
        ("Transcript", TranscriptScreen),
        ("Insights", InsightsScreen),
    ):
        sections.append((title, list(screen.BINDINGS)))
    return sections


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
                        yield Static(
                            Content.assemble((f"{keys:>14}", "bold $accent"), "  ", description),
                            classes="help-row",
                            markup=False,
                        )
                yield Static(Content("Without the app"), classes="help-section", markup=False)
                yield Static(Content(PLAIN_MODE), classes="help-text", markup=False)
                yield Static(Content(self.cli_commands()), classes="help-text", markup=False)
        yield Footer()

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
    def cli_commands() -> str:
        from reflectcoach.cli import main

        lines = ["Commands (reflectcoach COMMAND --help for more):"]
        for name, command in sorted(main.commands.items()):
            lines.append(f"  {name:<9} {command.get_short_help_str(limit=62)}")
        return "\n".join(lines)
