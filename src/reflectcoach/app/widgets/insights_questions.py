"""The numeric questions insights can plot: under each script's title, one option per
question and mentorship, with the question as last asked, the number of answers and the
mentorship."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from textual.content import Content
from textual.css.styles import RulesMap
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reflectcoach.app.widgets.review_format import count_words, joined, mentorship_label, one_line

QuestionKey = tuple[str, str, str | None]  # script_id, step_id, mentorship


def question_key(question: Mapping[str, Any]) -> QuestionKey:
    return question["script_id"], question["step_id"], question["mentorship"]


def in_list_order(
    questions: Sequence[Mapping[str, Any]], titles: Mapping[str, str]
) -> list[Mapping[str, Any]]:
    """Scripts by title; within one, the store's order (step id, then mentorship)."""
    rank = {
        script_id: n
        for n, script_id in enumerate(
            sorted(
                {q["script_id"] for q in questions},
                key=lambda s: (one_line(titles.get(s, s)).casefold(), s),
            )
        )
    }
    return sorted(questions, key=lambda q: rank[q["script_id"]])  # stable


class Lines(Content):
    """Content whose height, where the list does not wrap (insights.tcss: `text-wrap:
    nowrap`), is its number of lines. The OptionList measures every option's height when
    options are set, and Content measures by wrapping and formatting each line: for a
    lifetime's few hundred questions that was most of the time the list took to fill."""

    def get_height(self, rules: RulesMap, width: int) -> int:
        if rules.get("text_wrap", "wrap") == "nowrap":
            return self.plain.count("\n") + 1
        return super().get_height(rules, width)


def prompt(question: Mapping[str, Any]) -> Content:
    """Two lines, never parsed as markup: the question, then how often and with whom (the
    list cuts long lines short: the count comes first, the panel beside has the rest)."""
    about = joined(
        [
            count_words(question["count"], "answer"),
            one_line(mentorship_label(question["mentorship"])),
        ]
    )
    return Lines.assemble((one_line(question["question"]), "bold"), "\n", (about, "$text-muted"))


class QuestionList(OptionList):
    """Store `numeric_questions` rows as options, under a (disabled) option naming their
    script; `question()` gives the highlighted one."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.questions: list[Mapping[str, Any]] = []

    def show(
        self,
        questions: Sequence[Mapping[str, Any]],
        titles: Mapping[str, str],
        *,
        keep: QuestionKey | None = None,
    ) -> None:
        """Replace the options (`questions` in list order, see `in_list_order`); highlight
        the question `keep` if it is still there, else the first one. Either posts
        OptionHighlighted, as any highlight change does."""
        self.questions = list(questions)
        options: list[Option] = []
        first: int | None = None
        kept: int | None = None
        script_id: str | None = None
        for n, question in enumerate(self.questions):
            if question["script_id"] != script_id:
                script_id = question["script_id"]
                title = one_line(titles.get(script_id, script_id))
                options.append(Option(Lines.styled(title, "$accent"), disabled=True))
            if first is None:
                first = len(options)
            if keep is not None and question_key(question) == keep:
                kept = len(options)
            options.append(Option(prompt(question), id=str(n)))
        self.set_options(options)
        wanted = first if kept is None else kept
        if wanted is not None:
            self.highlighted = wanted

    def question(self, index: int | None = None) -> Mapping[str, Any] | None:
        """The question at option `index` (default: the highlighted one), or None."""
        at = self.highlighted if index is None else index
        if at is None or not 0 <= at < self.option_count:
            return None
        option_id = self.get_option_at_index(at).id
        return None if option_id is None else self.questions[int(option_id)]
