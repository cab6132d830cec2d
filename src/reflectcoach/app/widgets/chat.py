"""The pieces of the conversation's chat transcript: the coach's words and the exchanges.

Exchanges are drawn as lines by one `ExchangeLog` widget per run of them (between two things
the coach says), not as a few widgets each: Textual lays out, styles and maps every widget of
a screen on each pass, so a transcript made of widgets costs more with every answer.
Appending to a log renders only the new exchange.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from textual.content import Content
from textual.geometry import Size
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget
from textual.widgets import Markdown, Static

from reflectcoach.app.widgets.content import plain
from reflectcoach.core.text import clean


class CoachSays(Markdown):
    """Say text from the script: Markdown by design (answers inside are already escaped)."""

    DEFAULT_CSS = """
    CoachSays { margin: 0 0 1 0; padding: 0 1; background: $surface; }
    """

    def __init__(self, markdown: str) -> None:
        # Links in script Markdown open nothing: a script cannot make the app launch URLs.
        super().__init__(clean(markdown), open_links=False, classes="say")


@dataclass(frozen=True, slots=True)
class Exchange:
    """One question and the answer given to it (or that it was skipped)."""

    seq: int  # the place in the conversation's path
    question: str
    answer: str
    skipped: bool = False


# An answer sits indented under its question, behind a bar: "    ▎ answer ".
ANSWER_INDENT = 4
ANSWER_BAR = "▎"  # the left edge of Textual's "wide" border
ASKED_PADDING = 1
ANSWER_PADDING = 1


class _Lines:
    """An exchange log's lines at one width, and how many each exchange has."""

    def __init__(self) -> None:
        self.lines: list[Strip] = []
        self.counts: list[int] = []

    def add(self, lines: list[Strip]) -> None:
        self.lines.extend(lines)
        self.counts.append(len(lines))

    def truncate(self, exchanges: int) -> None:
        """Keep the lines of the first `exchanges` exchanges."""
        del self.lines[sum(self.counts[:exchanges]) :]
        del self.counts[exchanges:]


class ExchangeLog(Widget):
    """Exchanges, one after the other, each drawn as lines:

        Q: the question (muted)
            ▎ the answer, on a lighter band (or "(skipped)")
        (a blank line)

    Text is the person's and the script's: always plain `Content`, cleaned, never markup.
    Lines are rendered once per width and kept; `add` renders only what it adds.
    """

    ALLOW_SELECT = True
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "exchange-log--asked",
        "exchange-log--answer",
        "exchange-log--bar",
        "exchange-log--skipped",
    }
    DEFAULT_CSS = """
    ExchangeLog {
        height: auto;
        & > .exchange-log--asked { color: $text-muted; }
        & > .exchange-log--answer { background: $boost; }
        & > .exchange-log--bar { color: $primary; background: $boost; }
        & > .exchange-log--skipped { color: $text-muted; text-style: italic; background: $boost; }
    }
    """

    def __init__(self, exchanges: Iterable[Exchange] = (), *, id: str | None = None) -> None:
        super().__init__(id=id, classes="exchanges")
        self.exchanges: list[Exchange] = list(exchanges)
        # width -> the lines at that width (a resize, or the scrollbar appearing, asks for
        # another width; a few are kept).
        self._renders: dict[int, _Lines] = {}

    # -- content ---------------------------------------------------------------------------

    def add(self, exchange: Exchange) -> None:
        self.exchanges.append(exchange)
        for width, rendered in self._renders.items():
            rendered.add(self._render_exchange(exchange, width))
        self.refresh(layout=True)

    def drop_from(self, seq: int) -> bool:
        """Forget the exchanges at `seq` and after; whether there were any."""
        keep = next((i for i, e in enumerate(self.exchanges) if e.seq >= seq), None)
        if keep is None:
            return False
        del self.exchanges[keep:]
        for rendered in self._renders.values():
            rendered.truncate(keep)
        self.refresh(layout=True)
        return True

    # -- rendering -------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._renders.clear()  # colours (the theme, light or dark) are baked into the lines

    def _lines(self, width: int) -> list[Strip]:
        rendered = self._renders.get(width)
        if rendered is None:
            if len(self._renders) >= 3:
                del self._renders[next(iter(self._renders))]
            rendered = self._renders[width] = _Lines()
            for exchange in self.exchanges:
                rendered.add(self._render_exchange(exchange, width))
        return rendered.lines

    def _render_exchange(self, exchange: Exchange, width: int) -> list[Strip]:
        base = self.visual_style
        asked = self.get_visual_style("exchange-log--asked")
        band = self.get_visual_style(
            "exchange-log--skipped" if exchange.skipped else "exchange-log--answer"
        )
        bar = self.get_visual_style("exchange-log--bar").rich_style
        lines: list[Strip] = []
        text_width = max(1, width - 2 * ASKED_PADDING)
        for line in plain(f"Q: {exchange.question}").wrap(text_width):
            lines.append(
                self._strip([Segment(" " * ASKED_PADDING, base.rich_style)], line, asked, width)
            )
        answer = "(skipped)" if exchange.skipped else exchange.answer
        lead = [
            Segment(" " * ANSWER_INDENT, base.rich_style),
            Segment(ANSWER_BAR, bar),
            Segment(" " * ANSWER_PADDING, band.rich_style),
        ]
        text_width = max(1, width - ANSWER_INDENT - len(ANSWER_BAR) - 2 * ANSWER_PADDING)
        for line in plain(answer).wrap(text_width):
            lines.append(self._strip(lead, line, band, width))
        lines.append(Strip.blank(width, base.rich_style))
        return lines

    @staticmethod
    def _strip(lead: list[Segment], line: Content, style: Style, width: int) -> Strip:
        segments = [*lead, *line.render_segments(style)]
        return Strip(segments).extend_cell_length(width, style.rich_style).crop(0, width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        lines = self._lines(width)
        if y >= len(lines):
            return Strip.blank(width, self.visual_style.rich_style)
        strip = lines[y]
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(y)) is not None:
            text = strip.text  # the span is in characters; Strip.divide cuts at cells
            start, end = span
            cuts = [cell_len(text[:start]), cell_len(text if end == -1 else text[:end])]
            highlight = self.screen.get_component_rich_style("screen--selection")
            before, chosen, after = strip.divide([*cuts, strip.cell_length])
            strip = Strip.join([before, chosen.apply_style(highlight), after])
        return strip.apply_offsets(0, y)

    # -- selection (as Textual's Log does it: the lines' text, as shown) --------------------

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        text = "\n".join(line.text.rstrip() for line in self._lines(self.content_size.width))
        return selection.extract(text), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()


class Note(Static):
    """A line from the app itself (not the script), such as "picking up where you left off"."""

    DEFAULT_CSS = """
    Note { color: $text-muted; text-style: italic; margin: 0 0 1 0; padding: 0 1; }
    """

    def __init__(self, text: str) -> None:
        super().__init__(plain(text), markup=False, classes="note")
