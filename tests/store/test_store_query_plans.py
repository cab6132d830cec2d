"""conversations(query=) and count(query=) give the same answers whichever plan runs: the
walk over conversations (`_MATCHING`) or the lookup from the FTS matches (`_MATCHED`)."""

from __future__ import annotations

import pytest

from reflectcoach.store import Store, queries

from .history import COMMON_WORD, RARE_WORD, make_history

WORDS = (RARE_WORD, COMMON_WORD, f"{RARE_WORD} {COMMON_WORD}", "feedback", "refact*", "zzzz")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("plans") / "r.db"
    make_history(path, conversations=400, answers_per=12, seed=5)
    opened = Store.open(path)
    with opened.transaction() as db:  # the rare word in a few answers (the FTS triggers index it)
        db.execute(
            f"UPDATE answers SET answer_text = answer_text || ' {RARE_WORD}' WHERE rowid IN "
            "(SELECT rowid FROM answers WHERE type = 'text' ORDER BY rowid LIMIT 5 OFFSET 900)"
        )
    # Abandoned and in-progress conversations have answers past `position` (after back()):
    # both plans must leave those out.
    future = opened.db.execute(
        "SELECT count(*) FROM answers a JOIN conversations c ON c.id = a.conversation_id "
        "WHERE a.seq >= c.position"
    ).fetchone()[0]
    assert future > 0
    return opened


def walked(store: Store, word: str, **filters: str) -> list[str]:
    """The conversations the old walk finds (newest first), ids only."""
    where = queries.where_clause(query=word, few_matches=False, **filters)
    assert where is not None
    clause, params = where
    sql = f"SELECT c.id FROM conversations c{clause} ORDER BY c.started_at DESC, c.rowid DESC"
    return [row[0] for row in store.db.execute(sql, params)]


@pytest.mark.parametrize("word", WORDS)
@pytest.mark.parametrize("few", [0, 10**9])  # every query one plan, then the other
def test_both_plans_find_the_same_conversations(
    store: Store, word: str, few: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "FEW_MATCHES", few)
    expected = walked(store, word)
    assert [c["id"] for c in store.conversations(query=word, limit=None)] == expected
    assert store.count(query=word) == len(expected)
    page = store.conversations(query=word, limit=7, offset=3)
    assert [c["id"] for c in page] == expected[3:10]
    ada = walked(store, word, mentorship="Ada")
    assert [c["id"] for c in store.conversations(query=word, mentorship="Ada", limit=None)] == ada
    exported = [c["id"] for c in store.iter_conversations(query=word)]
    assert sorted(exported) == sorted(expected)


def test_the_plan_follows_how_many_answers_match(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "FEW_MATCHES", 100)  # a small history: a small threshold
    assert store._few_matches(RARE_WORD)
    assert not store._few_matches(COMMON_WORD)
    assert not store._few_matches(None)
    assert walked(store, RARE_WORD), "the seeded history has the rare word"


@pytest.mark.parametrize("word", WORDS)
def test_a_count_up_to_a_limit_is_the_count_or_the_limit(store: Store, word: str) -> None:
    # Review's count (at_most): from the matches, until that many conversations; the same
    # answers as the walk, for every word and with the other filters.
    for filters in ({}, {"mentorship": "Ada"}, {"status": "completed"}):
        every = len(walked(store, word, **filters))
        for at_most in (1, 7, every, every + 1, 10**6):
            counted = store.count(query=word, at_most=at_most, **filters)
            assert counted == min(every, at_most), (filters, at_most)
