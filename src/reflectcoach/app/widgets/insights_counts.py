"""Conversations started per month, one column per script."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from reflectcoach.app.widgets.review_format import cell, one_line

TITLE_WIDTH = 14  # a title wraps onto the header's second line before it is cut


class MonthlyCounts(DataTable[Text]):
    """Rows are months (newest first), columns scripts; a blank cell means none."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            id=id, cursor_type="row", zebra_stripes=True, show_cursor=False, header_height=2
        )

    def show(self, counts: Sequence[Mapping[str, Any]], titles: Mapping[str, str]) -> None:
        self.clear(columns=True)
        scripts = sorted({row["script_id"] for row in counts}, key=lambda s: titles.get(s, s))
        table: dict[str, dict[str, int]] = {}
        for row in counts:
            table.setdefault(row["month"], {})[row["script_id"]] = row["count"]
        self.add_column(Text("Month"), key="month", width=7)
        for script_id in scripts:
            label = one_line(titles.get(script_id, script_id))
            width = min(max(len(label), 5), TITLE_WIDTH)
            self.add_column(Text(label, overflow="ellipsis", end=""), key=script_id, width=width)
        self.add_column(Text("Total", justify="right"), key="total", width=5)
        for month in sorted(table, reverse=True):
            by_script = table[month]
            cells = [cell(month)]
            cells.extend(
                Text(str(by_script[s]) if s in by_script else "", justify="right", end="")
                for s in scripts
            )
            cells.append(Text(str(sum(by_script.values())), justify="right", end=""))
            self.add_row(*cells, key=month)
