"""The built-in conversations: valid, substantial, and every step and branch walked.

Each script has a small set of walks: answers by step id (anything not listed gets a default
for its type), optionally with recalled answers from earlier conversations. Together the walks
of a script must visit every step and take every branch edge; each walk's record must contain
the words given.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from reflectcoach import session
from reflectcoach.engine import AnswerError, Conversation, Question
from reflectcoach.script.loader import load_file
from reflectcoach.script.model import QuestionType, Script, Step
from reflectcoach.script.registry import builtin_dir, validate_paths
from reflectcoach.store import Store

BUILTIN = ("first_meeting", "goal_setting", "tough_conversation", "closing")
SKIP = object()  # in a walk: skip this (optional) question

Recalled = Mapping[tuple[str, str], tuple[Any, str]]


class Walk:
    def __init__(self, answers: Mapping[str, Any], recalled: Recalled | None = None) -> None:
        self.answers = dict(answers)
        self.recalled = recalled


def _load(script_id: str) -> Script:
    [path] = builtin_dir().glob(f"*-{script_id}.yaml")
    result = load_file(path)
    assert result.script is not None, [str(d) for d in result.diagnostics]
    return result.script


@pytest.fixture(scope="module")
def scripts() -> dict[str, Script]:
    return {script_id: _load(script_id) for script_id in BUILTIN}


def _default(step: Step) -> Any:
    kind = step.type or QuestionType.TEXT
    if kind in (QuestionType.TEXT, QuestionType.LONG_TEXT):
        return f"Default answer for {step.id}"
    if kind in (QuestionType.CHOICE, QuestionType.MULTI):
        return step.options[0].value
    if kind is QuestionType.YES_NO:
        return "no"
    lo = 1 if step.min is None else int(step.min)
    hi = (5 if kind is QuestionType.SCALE else lo + 10) if step.max is None else int(step.max)
    return str((lo + hi) // 2)


def _recall(recalled: Recalled | None):
    if recalled is None:
        return None
    return lambda script_id, step_id: recalled.get((script_id, step_id))


def drive(script: Script, walk: Walk) -> Conversation:
    conv = Conversation(script, recall=_recall(walk.recalled))
    drive_on(conv, walk)
    return conv


def drive_on(conv: Conversation, walk: Walk) -> None:
    """Answer from `walk` (defaults for the rest) to the end."""
    for _ in range(len(conv.script.steps) + 1):
        question = conv.turn.question
        if question is None:
            break
        given = walk.answers.get(question.step.id, _default(question.step))
        if given is SKIP:
            conv.skip()
        else:
            conv.answer(given)
    assert conv.finished, f"{conv.script.id} did not finish: stuck at {conv.state}"


def all_edges(script: Script) -> set[tuple[str, str]]:
    return {
        (step.id, branch.go)
        for step in script.steps.values()
        if not step.end
        for branch in step.branches
    }


def taken_edges(script: Script, conv: Conversation) -> set[tuple[str, str]]:
    path = [step_id for step_id in conv.path if step_id in script.steps]
    return set(pairwise(path))


# -- the walks -----------------------------------------------------------------------------

HOPES = "Grow into a confident team lead"
GOAL = "Run the weekly planning meeting on my own by June"
FIRST_MEETING_RECALL: Recalled = {("first_meeting", "hopes"): (HOPES, HOPES)}
ALL_RECALL: Recalled = {
    **FIRST_MEETING_RECALL,
    ("goal_setting", "goal"): (GOAL, GOAL),
    ("goal_setting", "baseline"): (4, "4"),
}

FIRST_MEETING = [
    Walk(
        {
            "role": "mentee",
            "name": "Ana",
            "partner": "Ben",
            "now": "Junior analyst who feels stuck on reporting work",
            "future": "Leading small projects end to end",
            "hopes": "Learn to lead a project without freezing",
            "success": "I have run one project from kickoff to delivery",
            "months": "6",
            "i_will": "Bring the agenda and follow through",
            "you_will": "Tell me honestly when I am off track",
            "frequency": "monthly",
            "manages": "no",
            "out_of_scope": "Salary talks",
            "first_question": "What was your first project like",
            "worry": SKIP,
        }
    ),
    Walk(
        {
            "role": "mentor",
            "name": "Ben",
            "partner": "Ana",
            "mentor_why": "Someone did this for me ten years ago",
            "mentor_known": SKIP,
            "hopes": "Ana finds her own voice in meetings",
            "months": "18",
            "frequency": "as_needed",
            "manages": "yes",
            "manager_plan": "rules",
            "manager_rules": "Nothing said here goes into a review",
            "out_of_scope": SKIP,
            "worry": "That I will talk too much",
        }
    ),
    Walk(
        {
            "role": "mentee",
            "months": "2",
            "success": "A promotion case I believe in",
            "manages": "y",
            "manager_plan": "rematch",
            "worry": "Wasting their time",
        }
    ),
]

# goal_setting: which SMART qualities are missing, chosen so that together the walks take
# every edge of the chain of fix-up questions.
SMART = ("specific", "measurable", "assignable", "realistic", "time_bound")
SMART_MISSING = [
    {"specific", "measurable", "assignable", "realistic", "time_bound"},
    set(),
    {"specific"},
    {"specific", "assignable"},
    {"specific", "realistic"},
    {"specific", "time_bound"},
    {"measurable"},
    {"measurable", "realistic"},
    {"measurable", "time_bound"},
    {"assignable", "time_bound"},
    {"realistic"},
    {"time_bound"},
]


def _smart_answer(missing: set[str]) -> str:
    present = [quality for quality in SMART if quality not in missing]
    return ",".join(present) if present else "none"


GOAL_SETTING = [
    Walk(
        {
            "who": "mentee",
            "goal_draft": "Get better at presenting",
            "why": "I freeze when senior people are in the room",
            "smart": _smart_answer(set(SMART)),
            "fix_specific": "Present the quarterly numbers myself",
            "fix_measurable": "Three presentations with no notes",
            "goal": "Present the quarterly numbers to the leadership team by September",
            "reality_now": "I have presented twice to my own team",
            "baseline": "9",
            "obstacles_out": "time",
            "make_room": "Stop joining the optional standup",
            "obstacles_in": "fear,doubt",
            "inner_voice": "You have done harder things",
            "ways": "Toastmasters, shadow Priya, record myself",
            "best_option": "Shadow Priya at the next review",
            "next_step": "Email Priya about shadowing",
            "next_date": "Tuesday at ten",
            "who_knows": "just_me",
            "support": "Watch a dry run",
            "commitment": "5",
            "raise_commitment": "Book the dry run first",
        }
    ),
    Walk(
        {
            "who": "mentor",
            "smart": _smart_answer(set()),
            "baseline": "2",
            "obstacles_out": "others",
            "make_room": SKIP,
            "obstacles_in": "perfectionism",
            "who_knows": "mentor,manager",
            "support": SKIP,
            "commitment": "9",
        }
    ),
    Walk({"who": "mentee", "baseline": "5"}, FIRST_MEETING_RECALL),
    Walk({"who": "mentor", "inner_voice": SKIP, "obstacles_in": "fear"}, FIRST_MEETING_RECALL),
    *(Walk({"smart": _smart_answer(missing)}) for missing in SMART_MISSING[2:]),
]

_MENTOR_SITUATIONS = ["missed", "feedback", "expectations", "boundary", "ending"]
_MENTEE_SITUATIONS = ["more_time", "different_help", "disagree", "not_working"]

TOUGH_CONVERSATION = [
    Walk(
        {
            "role": "mentor",
            "other": "Sam",
            "situation_mentor": "missed",
            "want_me": "To stop carrying the plan alone",
            "want_them": "To own their goals again",
            "want_us": "A clearer deal",
            "story": "Sam does not value my time",
            "story_other": "Sam is overloaded and embarrassed",
            "sbi_situation": "In our last three meetings",
            "sbi_behaviour": "The agreed draft did not arrive",
            "sbi_impact": "I could not give useful feedback",
            "their_side": "What has been getting in the way",
            "opening": "You never send the draft on time",
            "nudge": "yes",
            "rewrite": "The last three drafts did not arrive and I want to understand why",
            "if_defensive": "I hear that and I still want us to find a fix",
            "if_silent": "Take your time",
            "if_upset": "Shall we pause for a minute",
            "if_agrees": "What will be different next time",
            "intent": "I want this mentorship to work for you",
            "the_ask": "Send the draft two days before we meet",
            "close": "We try it for a month and review",
            "ready": "1",
            "when": "Thursday in the small meeting room",
        }
    ),
    Walk(
        {"role": "mentor", "situation_mentor": "feedback", "opening": "YOU ARE late", "nudge": "no"}
    ),
    Walk(
        {
            "role": "mentor",
            "situation_mentor": "expectations",
            "opening": "We seem to want different things from these meetings",
            "if_defensive": SKIP,
            "if_silent": SKIP,
            "if_upset": SKIP,
            "if_agrees": SKIP,
            "story_other": SKIP,
            "ready": "4",
        }
    ),
    *(
        Walk({"role": "mentor", "situation_mentor": situation})
        for situation in _MENTOR_SITUATIONS[3:]
    ),
    *(
        Walk({"role": "mentee", "situation_mentee": situation, "other": "Jo"})
        for situation in _MENTEE_SITUATIONS
    ),
]

CLOSING = [
    Walk(
        {
            "role": "mentor",
            "partner": "Ana",
            "goal_ask": "Lead a project end to end",
            "baseline_ask": "3",
            "rerate": "7",
            "goal_met": "changed",
            "goal_changed": "It became leading a team of two",
            "learn_content": "How planning really works",
            "learn_process": "Short homework beat long talks",
            "learn_self": "I rush to give answers",
            "mentor_learned": "A fresh way to run retros",
            "worked": "Meeting every two weeks without fail",
            "differently": "Set the goal earlier",
            "appreciation": "When you pushed back on my plan in March",
            "become": "close",
            "next_goal": "Mentor someone outside my team",
            "pay_forward": "mentor,share",
            "pay_who": "Someone from the new graduate intake",
        }
    ),
    Walk(
        {
            "role": "mentee",
            "baseline_ask": "6",
            "rerate": "4",
            "goal_met": "yes",
            "differently": SKIP,
            "become": "continue",
            "pay_forward": "share",
        }
    ),
    Walk(
        {
            "role": "mentee",
            "rerate": "4",
            "goal_met": "partly",
            "hopes_now": "Closer than I thought",
        },
        ALL_RECALL,
    ),
    Walk(
        {"role": "mentee", "rerate": "8", "goal_met": "changed", "hopes_now": SKIP},
        ALL_RECALL,
    ),
]

WALKS = {
    "first_meeting": FIRST_MEETING,
    "goal_setting": GOAL_SETTING,
    "tough_conversation": TOUGH_CONVERSATION,
    "closing": CLOSING,
}


# -- the tests -----------------------------------------------------------------------------


def test_builtins_are_the_four_scripts() -> None:
    # Numbered so folder order (and so the home screen) follows a mentorship's journey.
    stems = [p.stem for p in sorted(builtin_dir().glob("*.yaml"))]
    assert stems == [f"{n}-{script_id}" for n, script_id in enumerate(BUILTIN, start=1)]


def test_builtins_validate_strictly_without_warnings() -> None:
    problems = validate_paths([builtin_dir()], strict=True)
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("script_id", BUILTIN)
def test_builtin_meets_the_quality_bar(scripts: dict[str, Script], script_id: str) -> None:
    script = scripts[script_id]
    assert script.id == script_id
    assert len(script.steps) >= 15
    branch_points = [
        s.id for s in script.steps.values() if any(b.condition is not None for b in s.branches)
    ]
    assert len(branch_points) >= 3, branch_points
    assert len({s.type for s in script.questions}) >= 4
    # The first question is who the person is (goal_setting: who is typing).
    assert script.questions[0].type is QuestionType.CHOICE
    references: set[str] = set()
    for step in script.steps.values():
        for template in (step.say, step.ask, step.hint, *(o.label for o in step.options)):
            if template is not None:
                references |= template.references()
    assert any(not name.startswith("recall.") for name in references), "no interpolation"
    assert script.record is not None
    record_refs = script.record.references()
    if script_id in ("goal_setting", "closing"):
        assert any(name.startswith("recall.") for name in references | record_refs)


def test_the_ids_later_conversations_rely_on(scripts: dict[str, Script]) -> None:
    assert scripts["first_meeting"].steps["hopes"].type is QuestionType.LONG_TEXT
    goal_setting = scripts["goal_setting"].steps
    assert goal_setting["goal"].is_question
    for step_id in ("baseline", "commitment"):
        step = goal_setting[step_id]
        assert (step.type, step.min, step.max) == (QuestionType.SCALE, 1, 10)
    rerate = scripts["closing"].steps["rerate"]
    assert (rerate.type, rerate.min, rerate.max) == (QuestionType.SCALE, 1, 10)


@pytest.mark.parametrize("script_id", BUILTIN)
def test_walks_visit_every_step_and_take_every_branch(
    scripts: dict[str, Script], script_id: str
) -> None:
    script = scripts[script_id]
    visited: set[str] = set()
    taken: set[tuple[str, str]] = set()
    for walk in WALKS[script_id]:
        conv = drive(script, walk)
        visited |= set(conv.path) & set(script.steps)
        taken |= taken_edges(script, conv)
    assert set(script.steps) - visited == set()
    assert all_edges(script) - taken == set()
    assert taken <= all_edges(script)


@pytest.mark.parametrize("script_id", BUILTIN)
def test_records_contain_the_words_given(scripts: dict[str, Script], script_id: str) -> None:
    script = scripts[script_id]
    assert script.record is not None
    in_record = script.record.references()
    for walk in WALKS[script_id]:
        conv = drive(script, walk)
        record = conv.record_text()
        assert record is not None
        assert "None" not in record
        answered = {e.step_id: e for e in conv.history if not e.skipped}
        for step_id, entry in answered.items():
            if step_id in in_record and script.steps[step_id].type in (
                None,
                QuestionType.TEXT,
                QuestionType.LONG_TEXT,
            ):
                assert entry.text in record, (step_id, entry.text)


@pytest.mark.parametrize("script_id", BUILTIN)
def test_records_read_well_with_every_optional_question_skipped(
    scripts: dict[str, Script], script_id: str
) -> None:
    script = scripts[script_id]
    skip_all = {s.id: SKIP for s in script.questions if s.optional}
    conv = drive(script, Walk(skip_all))
    record = conv.record_text()
    assert record is not None
    assert record.lstrip().startswith("# ")
    assert "None" not in record
    assert "{" not in record


def test_required_questions_cannot_be_skipped(
    scripts: dict[str, Script],
) -> None:
    conv = Conversation(scripts["first_meeting"])
    with pytest.raises(AnswerError):
        conv.skip()  # the role question is required


def test_first_meeting_tells_mentor_and_mentee_apart(scripts: dict[str, Script]) -> None:
    mentee, mentor = (drive(scripts["first_meeting"], walk) for walk in FIRST_MEETING[:2])
    assert "now" in mentee.path and "mentor_why" not in mentee.path
    assert "mentor_why" in mentor.path and "now" not in mentor.path
    record = mentor.record_text() or ""
    assert "Ben will:" in record and "Ana will:" in record
    assert "Nothing said here goes into a review" in record


def test_tough_conversation_nudges_on_judging_words(scripts: dict[str, Script]) -> None:
    script = scripts["tough_conversation"]
    for opening, nudged in [
        ("You never send the draft on time", True),
        ("You ALWAYS cancel", True),
        ("you're late again", True),
        ("The draft arrived after the meeting twice", False),
    ]:
        conv = drive(script, Walk({"opening": opening, "nudge": "no"}))
        assert ("nudge" in conv.path) is nudged, opening


def test_goal_setting_recalls_the_first_meetings_hopes(scripts: dict[str, Script]) -> None:
    script = scripts["goal_setting"]
    conv = Conversation(script, recall=_recall(FIRST_MEETING_RECALL))
    turn = conv.answer("mentee")
    assert any(HOPES in say.text for say in turn.says)
    # Without an earlier first meeting, nothing is said about hopes.
    conv = Conversation(script, recall=_recall({}))
    turn = conv.answer("mentee")
    assert [say.step_id for say in turn.says] == []
    assert turn.question is not None and turn.question.step.id == "goal_draft"


def test_closing_recalls_the_goal_and_rates_before_and_after(scripts: dict[str, Script]) -> None:
    script = scripts["closing"]
    conv = drive(script, Walk({"rerate": "8", "hopes_now": "Closer than I thought"}, ALL_RECALL))
    assert "goal_ask" not in conv.path and "grew" in conv.path
    record = conv.record_text() or ""
    assert GOAL in record and HOPES in record
    assert "| 4 | 8 |" in record
    # With nothing to recall, the goal and the starting rating are asked for instead.
    conv = drive(script, Walk({"goal_ask": "Speak up in meetings", "baseline_ask": "2"}))
    assert "goal_recall" not in conv.path and "hopes_now" not in conv.path
    record = conv.record_text() or ""
    assert "Speak up in meetings" in record
    assert "| 2 | 5 |" in record


# -- facts asked once: prefilled from earlier conversations and the mentorship -------------


def _first_question(running: session.Session) -> Question:
    question = running.conversation.turn.question
    assert question is not None
    return question


def test_role_options_are_in_the_same_order_everywhere(scripts: dict[str, Script]) -> None:
    orders = {
        script_id: [(o.value, o.label.source) for o in script.steps["role"].options]
        for script_id, script in scripts.items()
        if "role" in script.steps
    }
    assert len(orders) == 3
    assert set(map(tuple, orders.values())) == {
        (("mentee", "the mentee"), ("mentor", "the mentor"))
    }


def test_a_second_conversation_offers_the_earlier_name_and_role(
    scripts: dict[str, Script], tmp_path: Path
) -> None:
    with Store.open(tmp_path / "r.db") as store:
        first = session.start(store, scripts["first_meeting"], "Sam")
        role = _first_question(first)
        assert (role.step.id, role.offered) == ("role", None)
        drive_on(first.conversation, Walk({"role": "mentor", "name": "Ben", "partner": "Sam"}))

        # The same mentorship, typed differently: the role and the partner are filled in.
        again = session.start(store, scripts["first_meeting"], " sam")
        role = _first_question(again)
        assert (role.offered, role.prefilled) == ("mentor", True)
        name = again.conversation.answer("1").question  # typing another answer still works
        assert name is not None and (name.step.id, name.offered) == ("name", "Ben")
        partner = again.conversation.answer(name.offered).question
        assert partner is not None and partner.offered == "Sam" and partner.prefilled

        # Closing, in the same mentorship: Enter (the offered value) keeps each fact.
        closing = session.start(store, scripts["closing"], "SAM")
        role = _first_question(closing)
        assert role.offered == "mentor"
        partner = closing.conversation.answer(role.offered).question
        assert partner is not None and partner.offered == "Sam"

        # Another mentorship: your name follows you, your role there does not; the other
        # person's name is the mentorship chosen on home.
        lee = session.start(store, scripts["first_meeting"], "Lee")
        role = _first_question(lee)
        assert role.offered is None and not role.prefilled
        name = lee.conversation.answer("mentee").question
        assert name is not None and name.offered == "Ben"
        partner = lee.conversation.answer("Ben").question
        assert partner is not None and partner.offered == "Lee"

        tough = session.start(store, scripts["tough_conversation"], "Lee")
        role = _first_question(tough)
        assert role.offered is None  # Lee's first meeting is not finished
        other = tough.conversation.answer("mentee").question
        assert other is not None and (other.step.id, other.offered) == ("other", "Lee")


def test_a_prefilled_option_that_no_longer_fits_is_not_offered(
    scripts: dict[str, Script],
) -> None:
    recalled = {("first_meeting", "role"): ("coach", "the coach")}
    conv = Conversation(scripts["closing"], recall=_recall(recalled))
    question = conv.turn.question
    assert question is not None and question.offered is None
