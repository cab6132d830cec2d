"""Whatever a person types into search, FTS5 syntax never leaks through."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflectcoach.store import Store
from reflectcoach.store.fts import match_expression

from .helpers import run

HOSTILE = [
    '"',
    '""',
    '"unclosed',
    "it's",
    "*",
    "**",
    "team*",
    "*team",
    "-",
    "-team",
    "team -release",
    "NOT",
    "AND",
    "OR",
    "team AND",
    "AND OR NOT",
    "(",
    ")",
    "(team",
    "team)",
    "((a) OR (b))",
    "[/",
    "[/b]",
    "[bold]team[/bold]",
    "^team",
    "NEAR(team release)",
    "team:release",
    "answer_text:team",
    "{question answer_text}: team",
    "+",
    "a + b",
    "\x00",
    "0\x00",
    "team\x00release",
    "\x1b[31m",
    "\\",
    "'; DROP TABLE answers; --",
    "é",
    "日本語",
    "🙂",
    "   ",
    "",
]


@pytest.fixture
def searchable(fresh_store: Store) -> Store:
    texts = [
        'Shipped the release with the team: "great" (mostly)',
        "[bold]markup[/bold] and NOT an operator AND more",
        "café crème, naïve – 日本語 テキスト 🙂",
        "a - b * c ^ d",
    ]
    for text in texts:
        run(fresh_store, [("win", "What went well?", "text", text, text)])
    return fresh_store


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(searchable: Store, query: str) -> None:
    assert isinstance(searchable.search(query), list)
    assert isinstance(searchable.conversations(query=query), list)
    assert isinstance(searchable.count(query=query), int)


def test_operators_are_words(searchable: Store) -> None:
    assert len(searchable.search("NOT an operator")) == 1
    assert len(searchable.search("AND")) == 1
    assert len(searchable.search("(mostly)")) == 1
    assert len(searchable.search('"great"')) == 1
    assert len(searchable.search("[bold]markup[/bold]")) == 1
    assert len(searchable.search("team -release")) == 1  # "-" is not exclusion
    assert len(searchable.search("café")) == 1
    assert len(searchable.search("rele*")) == 1
    assert searchable.search("*") == [] and searchable.search("-") == []
    assert searchable.search("") == [] and searchable.search(" \t\n") == []


def test_match_expression() -> None:
    assert match_expression("") is None
    assert match_expression("- * ( )") is None
    assert match_expression('say "hi"') == '"say" """hi"""'
    assert match_expression("refl*") == '"refl"*'
    assert match_expression("NOT a") == '"NOT" "a"'
    assert match_expression("a\x00b") == '"a" "b"'


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=40))
def test_any_text_is_a_safe_query(tmp_path: Path, query: str) -> None:
    with Store.open(tmp_path / "fts.db") as store:
        if not store.conversations(limit=1):
            run(store, [("win", "What went well?", "text", "team release", "team release")])
        assert isinstance(store.search(query), list)
        assert isinstance(store.conversations(query=query), list)
