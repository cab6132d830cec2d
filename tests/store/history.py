"""A realistic, deterministic reflection history, written fast: `make_history(...)`.

Used by the store tests and the benchmarks. Everything goes through one transaction with
sqlite-utils `insert_all`; the FTS triggers are set aside during the bulk insert and the index
rebuilt at the end, which gives the same index normal use builds (a test checks).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from pathlib import Path
from typing import Any, TypedDict

from reflectcoach.store import Store, mentorship_rows, numeric_summary
from reflectcoach.store.mentorships import mentorship_key
from reflectcoach.store.rows import stored_value

COMMON_WORD = "team"  # in about 80% of text answers
RARE_WORD = "kintsugi"  # in about 1 answer in 10,000
START = dt.datetime(2023, 1, 2, 8, 0, tzinfo=dt.UTC)

SCRIPTS = (
    ("weekly_checkin", "Weekly check-in"),
    ("session_prep", "Preparing for a mentoring session"),
    ("goal_review", "Quarterly goal review"),
    ("retro", "Project retrospective"),
    ("gratitude", "Gratitude and energy"),
    ("career", "Career conversation"),
)
MENTORSHIPS = ("Ada", "Grace", "Linus", "Margaret", "Alan", "Barbara", "Ken", "Radia")
CHOICES = (("energised", "Energised"), ("steady", "Steady"), ("tired", "Tired"), ("low", "Low"))
TOPICS = ("skills", "feedback", "career", "balance", "projects", "people", "learning")
_VOCABULARY = (
    "I we my our the a this that week project meeting feedback goal progress felt learned "
    "tried worked struggled helped plan next time mentor manager colleague customer release "
    "deadline review code design test bug fix idea question answer honest clear tired happy "
    "proud worried confident small big step habit focus energy morning afternoon evening "
    "conversation listen speak write read notes priority scope risk change improve practice "
    "slowly quickly again better worse because although still really maybe definitely "
    "balance boundaries workload delegate trust support growth career promotion skill "
    "presentation workshop pairing onboarding documentation architecture refactor "
    "retrospective standup sprint planning estimate quality users data experiment result"
)
WORDS = tuple(_VOCABULARY.split())


class Summary(TypedDict):
    conversations: int
    answers: int
    common_word: str
    rare_word: str


def _question(index: int, title: str) -> tuple[str, str]:
    kind = index % 10
    topic = TOPICS[index % len(TOPICS)]
    if kind == 0:
        return "scale", f"On a scale of 1 to 10, how do you feel about {topic} this time?"
    if kind == 3:
        return "number", f"How many hours did you spend on {topic}?"
    if kind == 5:
        return "yes_no", f"Did you ask for help with {topic}?"
    if kind == 7:
        return "choice", "How is your energy right now?"
    if kind == 8:
        return "multi", "Which of these describe the last weeks?"
    if kind in (1, 6):
        return "long_text", f"{title}: tell the story of one moment about {topic}."
    return "text", f"What stood out about {topic}, and what would you do differently?"


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        weights = [1 / (rank + 1) for rank in range(len(WORDS))]
        total = 0.0
        self.cumulative = []
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def text(self) -> str:
        rng = self.rng
        words = rng.choices(WORDS, cum_weights=self.cumulative, k=rng.randint(10, 60))
        if rng.random() < 0.8:
            words[rng.randrange(len(words))] = COMMON_WORD
        if rng.random() < 0.0001:
            words[rng.randrange(len(words))] = RARE_WORD
        sentence = " ".join(words)
        return sentence[0].upper() + sentence[1:] + "."

    def value(self, qtype: str, trend: float) -> tuple[Any, str]:
        rng = self.rng
        if qtype == "scale":
            value = max(1, min(10, round(rng.gauss(6 + trend, 1.8))))
            return value, str(value)
        if qtype == "number":
            value = rng.choice((rng.randint(0, 40), round(rng.uniform(0, 40), 1)))
            return value, str(value)
        if qtype == "yes_no":
            flag = rng.random() < 0.5
            return flag, "yes" if flag else "no"
        if qtype == "choice":
            value, label = rng.choice(CHOICES)
            return value, label
        if qtype == "multi":
            picked = sorted(rng.sample(range(len(CHOICES)), rng.randint(1, 3)))
            return [CHOICES[i][0] for i in picked], ", ".join(CHOICES[i][1] for i in picked)
        text = self.text()
        return text, text


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _rows(
    conversations: int, answers_per: int, seed: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(seed)
    writer = _Writer(rng)
    questions = [[_question(i, title) for i in range(answers_per)] for _, title in SCRIPTS]
    span = dt.timedelta(days=3 * 365) / max(conversations, 1)
    ids: set[str] = set()
    conversation_rows: list[dict[str, Any]] = []
    answer_rows: list[dict[str, Any]] = []
    moment = START
    for number in range(conversations):
        moment += span * rng.uniform(0.5, 1.5)
        script_index = rng.randrange(len(SCRIPTS))
        script_id, title = SCRIPTS[script_index]
        mentorship = rng.choice(MENTORSHIPS) if rng.random() < 0.8 else None
        conversation_id = f"{rng.getrandbits(48):012x}"
        while conversation_id in ids:
            conversation_id = f"{rng.getrandbits(48):012x}"
        ids.add(conversation_id)
        roll = rng.random()
        recent = number >= conversations - 5
        status = "in_progress" if recent else ("abandoned" if roll < 0.05 else "completed")
        position = answers_per if status == "completed" else rng.randrange(answers_per + 1)
        stored = answers_per if status == "completed" else rng.randint(position, answers_per)
        trend = 2 * number / max(conversations, 1)
        at = moment
        highlights = []
        for seq in range(stored):
            at += dt.timedelta(seconds=rng.randint(15, 240))
            qtype, question = questions[script_index][seq]
            skipped = rng.random() < 0.04
            value, display = (None, None) if skipped else writer.value(qtype, trend)
            answer_rows.append(
                {
                    "conversation_id": conversation_id,
                    "step_id": f"q{seq + 1:02d}",
                    "seq": seq,
                    "question": question,
                    "type": qtype,
                    "answer_text": display,
                    "answer_value": stored_value(json.dumps(value, ensure_ascii=False), display),
                    "skipped": int(skipped),
                    "answered_at": _stamp(at),
                }
            )
            if display and seq < 3:
                highlights.append(f"- **{question}** {display}")
        done = status == "completed"
        conversation_rows.append(
            {
                "id": conversation_id,
                "script_id": script_id,
                "script_version": 1 + number * 3 // max(conversations, 1),
                "script_sha256": hashlib.sha256(f"{script_id}".encode()).hexdigest(),
                "title": title,
                "mentorship": mentorship,
                "mentorship_key": mentorship_key(mentorship),
                "status": status,
                "current_step": f"q{position + 1:02d}" if not done else "end",
                "position": position,
                "record": f"## {title}\n\n" + "\n".join(highlights) if done else None,
                "started_at": _stamp(moment),
                "updated_at": _stamp(at),
                "completed_at": _stamp(at) if done else None,
            }
        )
    return conversation_rows, answer_rows


# With `commitments=True`: about a third of completed conversations make one to three, due
# one to four weeks after; the older ones mostly finished with, the last two months' open.
COMMITMENT_SHARE = 0.35
FINISHED = (("done", 0.6), ("partly", 0.1), ("dropped", 0.1), ("not_yet", 0.05), ("open", 0.15))


def _commitment_rows(
    conversation_rows: list[dict[str, Any]], seed: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(seed + 1)
    writer = _Writer(rng)
    last = max((r["completed_at"] for r in conversation_rows if r["completed_at"]), default="")
    recent = (dt.datetime.fromisoformat(last) - dt.timedelta(days=60)) if last else None
    rows: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    statuses, weights = zip(*FINISHED, strict=True)
    for conversation in conversation_rows:
        if not conversation["completed_at"] or rng.random() >= COMMITMENT_SHARE:
            continue
        made = dt.datetime.fromisoformat(conversation["completed_at"])
        for seq in range(rng.randint(1, 3)):
            due = (made + dt.timedelta(days=rng.randint(7, 28))).date()
            status = "open" if recent and made > recent else rng.choices(statuses, weights)[0]
            commitment_id = f"{rng.getrandbits(48):012x}"
            words = writer.text().split()[:8]
            rows.append(
                {
                    "id": commitment_id,
                    "mentorship": conversation["mentorship"],
                    "mentorship_key": conversation["mentorship_key"],
                    "text": " ".join(words).rstrip("."),
                    "goal": None,
                    "due": due.isoformat(),
                    "status": status,
                    "reason": None,
                    "conversation_id": conversation["id"],
                    "step_id": f"q{seq + 1:02d}",
                    "seq": seq,
                    "created_at": conversation["completed_at"],
                    "updated_at": conversation["completed_at"],
                }
            )
            events.append(
                {
                    "id": f"{rng.getrandbits(48):012x}",
                    "commitment_id": commitment_id,
                    "at": conversation["completed_at"],
                    "source": "conversation",
                    "conversation_id": conversation["id"],
                    "from_status": None,
                    "to_status": "open",
                    "from_due": None,
                    "to_due": due.isoformat(),
                    "reason": None,
                }
            )
    return rows, events


def make_history(
    store_or_path: Store | Path | str,
    conversations: int = 10_000,
    answers_per: int = 30,
    seed: int = 0,
    *,
    commitments: bool = False,
) -> Summary:
    """Add `conversations` conversations of `answers_per` answers each (some skipped, some in
    progress or abandoned, with answers kept beyond `position`). Deterministic per seed.
    `commitments`: their commitments too, in proportion (COMMITMENT_SHARE), each with the
    event that made it; off by default, so other users' histories stay as they were."""
    store = store_or_path if isinstance(store_or_path, Store) else Store.open(store_or_path)
    try:
        conversation_rows, answer_rows = _rows(conversations, answers_per, seed)
        db = store.db
        with store.transaction():
            triggers = [
                sql
                for (sql,) in db.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                    "('answers_ai', 'answers_ad', 'answers_au')"
                )
            ]
            for name in ("answers_ai", "answers_ad", "answers_au"):
                db.execute(f"DROP TRIGGER [{name}]")
            db.table("conversations").insert_all(conversation_rows, batch_size=1000)
            db.table("answers").insert_all(answer_rows, batch_size=1000)
            db.execute("INSERT INTO answers_fts(answers_fts) VALUES ('rebuild')")
            if commitments:
                made, events = _commitment_rows(conversation_rows, seed)
                db.table("commitments").insert_all(made, batch_size=1000)
                db.table("commitment_events").insert_all(events, batch_size=1000)
            # The mentorships' own rows, as Store.start would have made them one by one.
            mentorship_rows.backfill(db)
            # Insights' question list, as the triggers would have kept it one by one.
            numeric_summary.rebuild(db)
            for sql in triggers:
                db.execute(sql)
        return {
            "conversations": len(conversation_rows),
            "answers": len(answer_rows),
            "common_word": COMMON_WORD,
            "rare_word": RARE_WORD,
        }
    finally:
        if store is not store_or_path:
            store.close()
