"""Dates the agreement sets come back (issue 21's "captured and never come back", issue 22's
"a midpoint date for every agreement"): first_meeting offers the mid-point review halfway
through the agreed months and the planned end at their close, both as days written to the
mentorship's state, so the nudges "midpoint review" and "planned end" fire on the right
simulated days for a mentorship made by the built-ins alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from reflectcoach.script.model import QuestionType
from reflectcoach.services import session
from reflectcoach.services.session import Session
from reflectcoach.store import Store
from reflectcoach.store.nudges import nudges

from .test_follow_through import builtin, default


@pytest.fixture
def day(monkeypatch: pytest.MonkeyPatch):
    def set_day(iso: str) -> None:
        monkeypatch.setenv("REFLECTCOACH_TODAY", iso)

    set_day("2026-01-12")
    return set_day


def said(store: Store, iso: str) -> tuple[str, ...]:
    found = [n.parts for n in nudges(store.db, dt.date.fromisoformat(iso)) if n.mentorship == "Sam"]
    return found[0] if found else ()


def meet(store: Store, given: dict[str, Any]) -> tuple[Session, dict[str, Any]]:
    """first_meeting about Sam; a date question not in `given` keeps what is offered (Enter),
    the rest as given or a default. Returns the session and what each question offered."""
    running = session.start(store, builtin("first_meeting"), "Sam")
    conv = running.conversation
    offered: dict[str, Any] = {}
    while (q := conv.turn.question) is not None:
        offered[q.step.id] = q.offered
        keep = q.step.type is QuestionType.DATE and q.offered is not None
        answer = given.get(q.step.id, q.offered if keep else default(q.step))
        conv.answer(answer.pop(0) if isinstance(answer, list) else answer)
    return running, offered


def test_first_meeting_sets_the_midpoint_and_the_end_as_days_and_the_nudges_fire(
    tmp_path: Path, day
) -> None:
    with Store.open(tmp_path / "r.db") as store:
        running, offered = meet(store, {"role": "mentee", "manages": "no", "months": "6"})
        # Halfway through six months from Monday 12 January, and their end.
        assert (offered["midpoint"], offered["end_date"]) == ("2026-04-12", "2026-07-12")
        fields = store.state.fields("Sam")
        assert (fields["midpoint"].value, fields["end"].value) == ("2026-04-12", "2026-07-12")
        row = store.conversation(running.id)
        assert row is not None
        assert "**Mid-point review:** Sunday 12 April 2026" in row["record"]
        assert "**Planned end:** Sunday 12 July 2026" in row["record"]

        assert not any("midpoint" in p for p in said(store, "2026-04-04"))
        assert "midpoint review in 7 days" in said(store, "2026-04-05")
        assert "midpoint review today" in said(store, "2026-04-12")
        assert not any("planned end" in p for p in said(store, "2026-06-27"))
        assert "planned end in 14 days" in said(store, "2026-06-28")
        assert "planned end today" in said(store, "2026-07-12")


def test_the_offered_days_follow_the_months_and_a_day_chosen_instead_is_kept(
    tmp_path: Path, day
) -> None:
    day("2026-01-31")
    with Store.open(tmp_path / "r.db") as store:
        given = {"role": "mentor", "manages": "no", "months": "9", "midpoint": "2026-05-01"}
        _, offered = meet(store, given)
        # 31 January + 9 months: 31 October; halfway there, 273 days // 2 = 136 days on.
        assert (offered["midpoint"], offered["end_date"]) == ("2026-06-16", "2026-10-31")
        fields = store.state.fields("Sam")
        assert (fields["midpoint"].value, fields["end"].value) == ("2026-05-01", "2026-10-31")


def test_a_months_answer_changed_on_the_way_back_moves_the_offer(tmp_path: Path, day) -> None:
    """The offer is counted from the months as answered now, not as first answered."""
    with Store.open(tmp_path / "r.db") as store:
        _, offered = meet(store, {"months": ["18", "4"], "long_run": "change"})
        assert (offered["midpoint"], offered["end_date"]) == ("2026-03-13", "2026-05-12")
