"""The two conversations around one meeting (issue 22, "New conversations"):
prepare_for_a_meeting before a meeting that is not routine, after_a_session straight after
any meeting. Each held by the path its branches take, the words it reflects back, and the
record as it is sent; and the two together, through the store: the question prepared for a
meeting is a talking point the notes afterwards ask about.

The walks, `drive` and the time measure are those of test_builtin_scripts.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_builtin_scripts import (
    AFTER_A_SESSION,
    GOAL,
    PREP_POINTS,
    PREP_QUESTION,
    PREP_STATE,
    PREP_WANT,
    PREPARE_FOR_A_MEETING,
    SKIP,
    TODAY,
    Each,
    Walk,
    _default,
    _load,
    _state,
    drive,
    minutes,
)

from reflectcoach.engine.conversation import Conversation
from reflectcoach.script.model import Script
from reflectcoach.services import session
from reflectcoach.store import Store


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLECTCOACH_TODAY", TODAY)  # a Tuesday: "friday" is 4 December


@pytest.fixture(scope="module")
def prepare() -> Script:
    return _load("prepare_for_a_meeting")


@pytest.fixture(scope="module")
def after() -> Script:
    return _load("after_a_session")


def _asked(conv: Conversation, step_id: str) -> str:
    return next(e.question for e in conv.history if e.step_id == step_id)


# -- prepare_for_a_meeting -----------------------------------------------------------------


def test_prepare_asks_the_mentee_and_the_mentor_different_things(prepare: Script) -> None:
    mentee = drive(prepare, PREPARE_FOR_A_MEETING[0])
    mentor = drive(prepare, PREPARE_FOR_A_MEETING[1])
    assert {"about", "want", "read_back", "leaning", "fear"} <= set(mentee.path)
    assert not {"mentor_about", "their_want", "check_first", "mentor_view", "unsaid"} & set(
        mentee.path
    )
    assert {"mentor_about", "their_want", "check_first", "mentor_view", "unsaid"} <= set(
        mentor.path
    )
    assert not {"about", "want", "read_back", "leaning", "fear"} & set(mentor.path)


def test_prepare_the_kind_of_meeting_changes_what_is_asked(prepare: Script) -> None:
    paths = {
        kind: set(drive(prepare, Walk({"role": "mentee", "kind": kind})).path)
        for kind in ("promotion", "decision", "offer", "setback", "other")
    }
    assert {"evidence", "gap"} <= paths["promotion"] and "options" not in paths["promotion"]
    for kind in ("decision", "offer"):
        assert {"options", "deadline_known"} <= paths[kind] and "evidence" not in paths[kind]
    for kind in ("setback", "other"):
        assert "tried" in paths[kind] and not {"options", "evidence"} & paths[kind]
    mentor = drive(prepare, Walk({"role": "mentor", "kind": "promotion"})).path
    assert "mentor_look" in mentor and "evidence" not in mentor


def test_prepare_a_deadline_changes_what_is_asked(prepare: Script) -> None:
    decision = {"role": "mentee", "kind": "decision", "deadline_known": "yes"}

    def path(**answers: Any) -> list[str]:
        return drive(prepare, Walk({**decision, **answers})).path

    # Due after the meeting, more than a week away: no hurry, nothing extra.
    assert not {"too_late", "settle_now"} & set(path(meeting_date="friday", deadline="in 2 weeks"))
    # Due before the meeting: what will you do about it?
    late = drive(prepare, Walk({**decision, "meeting_date": "in 3 weeks", "deadline": "friday"}))
    assert "too_late" in late.path and "settle_now" not in late.path
    assert _asked(late, "too_late").startswith(
        "It's due Friday 4 December 2026, before you meet on Tuesday 22 December 2026."
    )
    # Due within the week (the meeting not booked): what must this meeting settle?
    soon = drive(prepare, Walk({**decision, "meeting_date": SKIP, "deadline": "friday"}))
    assert "settle_now" in soon.path and "too_late" not in soon.path
    # No date at all: neither.
    assert not {"deadline", "too_late", "settle_now"} & set(path(deadline_known="no"))


def test_prepare_offers_what_the_mentorship_already_holds(prepare: Script) -> None:
    alone = drive(prepare, Walk({"role": "mentor", "kind": "offer"}))
    assert not {"hat", "goal_link", "also"} & set(alone.path)
    # The goal as it stands, a mentor who manages the mentee, open talking points.
    conv = Conversation(prepare, state=_state(PREP_STATE))
    offered: dict[str, Any] = {}
    while (question := conv.turn.question) is not None:
        offered[question.step.id] = question.offered
        answer = PREPARE_FOR_A_MEETING[1].answers.get(question.step.id, _default(question.step))
        conv.answer(answer.answers[-1] if isinstance(answer, Each) else answer)
    assert {"hat", "goal_link", "also"} <= set(conv.path)
    assert f'working on together: "{GOAL}"' in _asked(conv, "goal_link")
    assert offered["also"] == PREP_POINTS  # the open points, to keep what belongs here
    assert f"- The goal it moves on: {GOAL}" in (conv.record_share() or "")


def test_prepare_a_mentee_managed_by_their_mentor_says_which_hat(prepare: Script) -> None:
    managed = {"manages": (True, "yes")}
    plain = drive(prepare, Walk({"role": "mentee", "partner": "Ben"}))
    assert "which_hat" not in plain.path and "What I'm asking of" not in (
        plain.record_share() or ""
    )
    conv = drive(
        prepare, Walk({"role": "mentee", "partner": "Ben", "which_hat": "manager"}, state=managed)
    )
    assert _asked(conv, "which_hat").startswith("Ben also manages you")
    share = conv.record_share() or ""
    assert "- What I'm asking of Ben: a manager's view, as it is partly theirs to decide" in share
    assert "it's partly theirs" not in share  # the label is not the sentence
    # The mentor who manages is asked about their own hats instead.
    mentor = drive(prepare, Walk({"role": "mentor"}, state=managed))
    assert "hat" in mentor.path and "which_hat" not in mentor.path


def test_prepare_reflects_back_in_the_persons_own_words(prepare: Script) -> None:
    conv = drive(prepare, PREPARE_FOR_A_MEETING[0])
    read_backs = [e.question for e in conv.history if e.step_id == "read_back"]
    assert read_backs == [
        # The question ends a sentence itself: the template's full stop after it is dropped.
        f'Side by side: you want to leave with "{PREP_WANT}" and you\'ll ask "{question}" '
        "Does an answer to that question get you there?"
        for question in ("What should I do?", PREP_QUESTION)
    ]
    assert _asked(conv, "fear_reply").startswith('You wrote: "That I am running away". If Ben')
    mentor = drive(prepare, PREPARE_FOR_A_MEETING[1])
    assert _asked(mentor, "check_first").startswith('You guess Ana wants "Permission to leave".')
    low = _asked(mentor, "readier")
    assert low == "You're at 2 out of 5. What would make it one point more?"


def test_prepare_the_question_becomes_a_talking_point_and_sending_ahead_a_commitment(
    prepare: Script,
) -> None:
    conv = drive(prepare, PREPARE_FOR_A_MEETING[0])
    # Sharpened once: the question as it stands is the talking point, not the first draft.
    assert [(s.field, s.text) for s in conv.sets() if s.field == "talking_points"] == [
        ("talking_points", PREP_QUESTION)
    ]
    [made] = conv.made()
    assert (made.text, made.due) == ("The offer letter", "2026-12-03")
    assert drive(prepare, PREPARE_FOR_A_MEETING[2]).made() == []  # nothing sent: no commitment


def test_prepare_record_reads_as_sent(prepare: Script) -> None:
    mentee = drive(prepare, PREPARE_FOR_A_MEETING[0])
    share = mentee.record_share() or ""
    assert share.startswith("Before meeting Ben: a decision to make\n")
    assert "- When: Friday 4 December 2026\n" in share
    assert (
        f"The question I most need answered\n---------------------------------\n\n{PREP_QUESTION}"
        in share
    )
    assert f"What I want to leave with\n-------------------------\n\n{PREP_WANT}" in share
    assert "- To be decided by: Tuesday 15 December 2026" in share
    assert "- Before we meet: The offer letter\n- By: Thursday 3 December 2026" in share
    # The first draft of the question was sharpened away; the rehearsal is the person's own.
    assert "What should I do?" not in share
    for private in ("Lisbon, if I am honest", "running away", "Ask what makes them think"):
        assert private not in share and private in (mentee.record_plain() or "")
    # A mentor's notes: a choice written as a sentence, never its label; their guess at what
    # the mentee wants, and how they'll check it, are their script for the meeting: their own.
    mentor = drive(prepare, PREPARE_FOR_A_MEETING[1])
    share = mentor.record_share() or ""
    assert share.startswith("Before meeting Ana: an offer to weigh up\n")
    assert "What I want to leave with" not in share
    assert "Permission to leave" not in share and "worth it?" not in share
    full = mentor.record_plain() or ""
    assert "- What I think Ana wants from it: Permission to leave" in full
    assert "- What I'll ask first, to check: What would make this hour worth it?" in full
    assert "- Before the deadline: a short call; I'll ask Ana for it." in share
    assert "- Which hat I'm wearing: I will say I am here as her mentor today" in share
    labels = [o.label.source for s in prepare.steps.values() for o in s.options]
    assert not [label for label in labels if label in share]
    for private in ("Stay another year", "miss working with her", "Ask her what she needs"):
        assert private not in share
    # Something else, not a decision: what has been tried has its own heading.
    other = drive(prepare, PREPARE_FOR_A_MEETING[11]).record_share() or ""
    assert "What has been tried so far\n" in other and "The decision" not in other
    assert "Two talks with her manager" in other


# -- after_a_session -----------------------------------------------------------------------


def test_after_a_session_states_and_takes_under_five_minutes(after: Script) -> None:
    welcome = after.steps[after.first_step].say
    assert welcome is not None and "Under 5 minutes." in welcome.source
    taken = [minutes(drive(after, walk)) for walk in AFTER_A_SESSION]
    assert max(taken) < 5, [round(t, 2) for t in taken]  # under, not about


def test_after_a_session_branches_change_what_is_asked(after: Script) -> None:
    mentee, mentor = (drive(after, walk) for walk in AFTER_A_SESSION[:2])
    assert {"noticed", "heard", "unsaid"} <= set(mentee.path)
    assert not {"mentor_noticed", "told", "better_q"} & set(mentee.path)
    assert {"mentor_noticed", "told", "better_q"} <= set(mentor.path)
    assert not {"noticed", "heard", "unsaid"} & set(mentor.path)
    # The mentor's own words, turned into the question they could have asked.
    assert _asked(mentor, "better_q").startswith('You told: "I told her to take the job".')
    # Rated low: what will make the next one better, instead of the usual follow-up.
    assert "follow_up_low" in mentor.path and "follow_up" not in mentor.path
    assert _asked(mentor, "follow_up_low").startswith("You rated it 2 out of 5.")
    assert "follow_up" in mentee.path and "follow_up_low" not in mentee.path
    # Nothing told: no better question; nothing to follow up: no date.
    quiet = drive(after, AFTER_A_SESSION[2])
    assert "better_q" not in quiet.path and "follow_date" not in quiet.path
    assert quiet.path[-2] == "done_nothing"


def test_after_a_session_never_asks_the_name_again(after: Script) -> None:
    assert "partner" not in after.steps  # the mentorship holds it
    named = drive(after, AFTER_A_SESSION[0])
    assert (named.record_share() or "").startswith("After meeting Ben\n")
    only_mentorship = drive(after, AFTER_A_SESSION[1])  # a mentorship named, no partner yet
    assert (only_mentorship.record_share() or "").startswith("After meeting Ana\n")
    nobody = drive(after, Walk({"role": "mentee"}))
    assert (nobody.record_share() or "").startswith("After our meeting\n")


def test_after_a_session_record_reads_as_sent(after: Script) -> None:
    mentee = drive(after, AFTER_A_SESSION[0])
    share = mentee.record_share() or ""
    assert "- What I noticed: I relaxed once we got to the numbers\n" in share
    assert "- What I heard that I want to act on: Ask the hiring manager" in share
    assert f"- {PREP_QUESTION}: discussed\n- The conference in March: discussed" in share
    assert "- Do: Email the hiring manager\n- By: Friday 4 December 2026" in share
    assert "scared of moving" not in share and "4 out of 5" not in share
    [made] = mentee.made()
    assert (made.text, made.due) == ("Email the hiring manager", "2026-12-04")
    mentor = drive(after, AFTER_A_SESSION[1])
    share = mentor.record_share() or ""
    assert "- Do: Send an agenda the day before\n- By: Tuesday 15 December 2026" in share
    assert "take the job" not in share and "feel ready" not in share
    assert "I told her to take the job" in (mentor.record_plain() or "")
    assert [m.text for m in mentor.made()] == ["Send an agenda the day before"]
    # Nothing walked, nothing left open: no empty sections.
    quiet = drive(after, AFTER_A_SESSION[2]).record_share() or ""
    assert "Talking points" not in quiet and "What I'll follow up" not in quiet
    assert not re.search(r"\n\n\n", quiet)


# -- the two together, through the store ---------------------------------------------------


def _run(store: Store, script: Script, mentorship: str, answers: dict[str, Any]) -> Conversation:
    conv = session.start(store, script, mentorship).conversation
    while (question := conv.turn.question) is not None:
        step_id = question.step.id
        if question.part == "status":
            answer = answers.get((step_id, question.commitment), "discussed")
        else:
            answer = answers.get(step_id, question.offered or _default(question.step))
        if answer is SKIP:
            conv.skip()
        else:
            conv.answer(answer)
    return conv


def test_the_question_prepared_is_asked_about_after_the_session(
    prepare: Script, after: Script, tmp_path: Path
) -> None:
    with Store.open(tmp_path / "r.db") as store:
        before = {
            "role": "mentee",
            "partner": "Ben",
            "kind": "offer",
            "key_question": PREP_QUESTION,
            "read_back": "yes",
        }
        _run(store, prepare, "Ben", before)
        [point] = store.state.points("Ben")
        assert point.text == PREP_QUESTION
        conv = _run(store, after, "Ben", {"role": "mentee", "useful": "4"})
        [walked] = [e for e in conv.history if e.step_id == "raised"]
        assert walked.question == f'On your list to raise: "{PREP_QUESTION}" Did it come up?'
        assert (conv.record_share() or "").startswith("After meeting Ben\n")  # never asked
        assert f"- {PREP_QUESTION}: discussed" in (conv.record_share() or "")
        assert store.state.points("Ben") == []  # discussed: off the list
        # Carried forward, it stays for the next meeting.
        _run(store, prepare, "Ben", before)
        [again] = store.state.points("Ben")
        _run(store, after, "Ben", {"role": "mentee", ("raised", again.id): "carried"})
        assert [p.text for p in store.state.points("Ben")] == [PREP_QUESTION]
