"""A programme lead's view, aggregate only: status cards of counts and dates, never words.

`reflectcoach programme join -m NAME FOLDER` opts one mentorship in: it writes a status card
into FOLDER (a folder the lead collects, e.g. a shared one; a cohort is a subfolder the lead
makes). A card is `StatusCard`: booleans, small counts, dates, a role and a phase from fixed
lists, and the health ratings (1-5) only when the person chooses to share them. There is no
field that can hold text, and the file's reader accepts exactly these fields with exactly
these types: a card with anything else is refused. Each card is signed with a key made for
that mentorship's cards alone (so cards of two mentorships cannot be linked by their key),
and each update is a new file named by that key and a sequence number.

`reflectcoach programme summary FOLDER` gives, per cohort: pairs active, the phase each has
reached, overdue midpoints, rematch requests and the health trend.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reflectcoach.core.errors import UserError
from reflectcoach.store import Store

from . import envelope
from .keys import b64, public_text, unb64, verify

MAX_CARD = 4096
MAX_HEALTH = 24  # the latest ratings shared
MAX_COUNT = 10_000
MIDPOINT_DUE = dt.timedelta(days=120)  # a midpoint not done by then is overdue
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_NAME = re.compile(r"([0-9a-f]{16})-([0-9]{6})\.rccard\Z")


class ProgrammeProblem(UserError):
    """A card or a folder that cannot be used."""


class Role(enum.Enum):
    MENTEE = "mentee"
    MENTOR = "mentor"
    UNKNOWN = "unknown"


class Phase(enum.Enum):
    """How far a mentorship has come, in order."""

    STARTED = "started"
    FIRST_MEETING = "first_meeting"
    GOAL_SET = "goal_set"
    MIDPOINT = "midpoint"
    CLOSED = "closed"


PHASES = list(Phase)


@dataclass(frozen=True, slots=True)
class StatusCard:
    """What a card holds, all of it: no field can hold text (checked on construction, and by
    the reader: exactly these keys, exactly these types)."""

    role: Role
    phase: Phase
    started: dt.date
    as_of: dt.date
    first_meeting_held: bool
    goal_set: bool
    check_ins_this_month: int
    check_ins_total: int
    last_check_in: dt.date | None
    midpoint_done: bool
    closed: bool
    rematch_requested: bool
    health: tuple[int, ...]  # 1-5, oldest first; empty unless the person shares them

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            _check(f.name, getattr(self, f.name))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, enum.Enum):
                value = value.value
            elif isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out

    @classmethod
    def from_json(cls, data: Any) -> StatusCard:
        names = [f.name for f in dataclasses.fields(cls)]
        if not isinstance(data, dict) or sorted(data) != sorted(names):
            raise ProgrammeProblem("holds fields a status card does not have")
        values: dict[str, Any] = {}
        try:
            values["role"] = Role(data["role"])
            values["phase"] = Phase(data["phase"])
            for name in ("started", "as_of", "last_check_in"):
                raw = data[name]
                if raw is None and name == "last_check_in":
                    values[name] = None
                    continue
                if not isinstance(raw, str) or not _DATE.match(raw):
                    raise ProgrammeProblem(f"has '{name}' that is not a date")
                values[name] = dt.date.fromisoformat(raw)
            for name in ("first_meeting_held", "goal_set", "midpoint_done", "closed"):
                values[name] = data[name]
            values["rematch_requested"] = data["rematch_requested"]
            values["check_ins_this_month"] = data["check_ins_this_month"]
            values["check_ins_total"] = data["check_ins_total"]
            if not isinstance(data["health"], list):
                raise ProgrammeProblem("has 'health' that is not a list of ratings")
            values["health"] = tuple(data["health"])
            return cls(**values)
        except (ValueError, TypeError) as exc:
            raise ProgrammeProblem(f"is not a status card ({exc})") from None


def _check(name: str, value: Any) -> None:
    """Each field's one allowed type; text has none."""
    kinds = {
        "role": Role,
        "phase": Phase,
        "started": dt.date,
        "as_of": dt.date,
        "last_check_in": (dt.date, type(None)),
        "first_meeting_held": bool,
        "goal_set": bool,
        "midpoint_done": bool,
        "closed": bool,
        "rematch_requested": bool,
        "check_ins_this_month": int,
        "check_ins_total": int,
        "health": tuple,
    }
    kind = kinds.get(name)
    if kind is None or not isinstance(value, kind) or isinstance(value, str):
        raise TypeError(f"'{name}' must be {kind}, not {type(value).__name__}")
    if kind is int and (isinstance(value, bool) or not 0 <= value <= MAX_COUNT):
        raise TypeError(f"'{name}' must be a count from 0 to {MAX_COUNT}")
    if name == "health" and (
        len(value) > MAX_HEALTH or not all(type(r) is int and 1 <= r <= 5 for r in value)
    ):
        raise TypeError(f"'health' must be at most {MAX_HEALTH} ratings from 1 to 5")


# -- making a card from the store ---------------------------------------------------------


def card_for(store: Store, name: str, *, share_health: bool, today: dt.date) -> StatusCard:
    mentorship = store.mentorships.find(name)
    conversations = store.conversations(limit=None, mentorship=mentorship.name)
    done = [c for c in conversations if c["status"] == "completed"]

    def completed(script: str) -> list[dict[str, Any]]:
        return [c for c in done if c["script_id"] == script]

    check_ins = sorted(completed("check_in"), key=lambda c: c["completed_at"] or "")
    month = today.strftime("%Y-%m")
    rematch = False
    health: list[tuple[str, int]] = []
    for c in completed("first_meeting"):
        if any(
            a["step_id"] == "manager_plan" and a["value"] == "rematch"
            for a in store.answers(c["id"])
        ):
            rematch = True
    if share_health:
        for c in check_ins + completed("midpoint_review"):
            for a in store.answers(c["id"]):
                if a["step_id"] in ("feeling", "working") and type(a["value"]) is int:
                    health.append((c["completed_at"] or "", max(1, min(5, a["value"]))))
    health.sort()
    first = bool(completed("first_meeting"))
    goal = bool(completed("goal_setting"))
    midpoint = bool(completed("midpoint_review"))
    phase = (
        Phase.CLOSED
        if mentorship.closed
        else Phase.MIDPOINT
        if midpoint
        else Phase.GOAL_SET
        if goal
        else Phase.FIRST_MEETING
        if first
        else Phase.STARTED
    )
    last = check_ins[-1]["completed_at"][:10] if check_ins else None
    return StatusCard(
        role=Role(mentorship.role) if mentorship.role in ("mentee", "mentor") else Role.UNKNOWN,
        phase=phase,
        started=dt.date.fromisoformat(mentorship.started[:10]),
        as_of=today,
        first_meeting_held=first,
        goal_set=goal,
        check_ins_this_month=sum(1 for c in check_ins if (c["completed_at"] or "")[:7] == month),
        check_ins_total=min(len(check_ins), MAX_COUNT),
        last_check_in=None if last is None else dt.date.fromisoformat(last),
        midpoint_done=midpoint,
        closed=mentorship.closed,
        rematch_requested=rematch,
        health=tuple(r for _, r in health[-MAX_HEALTH:]),
    )


# -- the files ---------------------------------------------------------------------------


def _message(card: dict[str, Any], seq: int, key: str) -> bytes:
    return json.dumps({"card": card, "seq": seq, "key": key}, sort_keys=True).encode()


def card_id(public: str) -> str:
    return hashlib.sha256(public.encode()).hexdigest()[:16]


def write(store: Store, name: str, folder: Path, card: StatusCard) -> Path:
    """A new signed card file for this mentorship in `folder`."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    mentorship = store.mentorships.find(name)
    setting = f"programme.{mentorship.key}"
    secret = store.sync.setting(f"secret.{setting}")
    if secret is None:
        key = Ed25519PrivateKey.generate()
        raw = key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        store.sync.set_settings({f"secret.{setting}": b64(raw)})
    else:
        key = Ed25519PrivateKey.from_private_bytes(unb64(secret))
    public = public_text(key)
    ident = card_id(public)
    folder = folder.expanduser()
    if not folder.is_dir():
        raise ProgrammeProblem(f"{folder} is not a folder: give the folder your programme uses.")
    seqs = [int(m.group(2)) for p in folder.glob(f"{ident}-*.rccard") if (m := _NAME.match(p.name))]
    seq = max(seqs, default=0) + 1
    body = card.to_json()
    signed = {
        "format": 1,
        "card": body,
        "seq": seq,
        "key": public,
        "signature": b64(key.sign(_message(body, seq, public))),
    }
    path = folder / f"{ident}-{seq:06d}.rccard"
    envelope.write_new(path, json.dumps(signed, sort_keys=True).encode())
    store.sync.set_settings({setting: str(folder.resolve())})
    return path


def read(path: Path) -> tuple[str, int, StatusCard]:
    """(card id, sequence, card) from one file; ProgrammeProblem when it is not a true card."""
    found = _NAME.match(path.name)
    if found is None:
        raise ProgrammeProblem("is not named as a status card is")
    try:
        data = json.loads(envelope.read_bounded(path, MAX_CARD).decode("utf-8"))
    except (envelope.Refused, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProgrammeProblem(f"is not readable ({exc})") from None
    if not isinstance(data, dict) or sorted(data) != ["card", "format", "key", "seq", "signature"]:
        raise ProgrammeProblem("is not a status card")
    key, seq, signature = data["key"], data["seq"], data["signature"]
    if not isinstance(key, str) or not isinstance(signature, str) or type(seq) is not int:
        raise ProgrammeProblem("is not a status card")
    if card_id(key) != found.group(1) or seq != int(found.group(2)) or data["format"] != 1:
        raise ProgrammeProblem("does not match its name (moved or renamed)")
    try:
        raw = unb64(signature)
    except ValueError:
        raise ProgrammeProblem("has an unreadable signature") from None
    if not verify(key, raw, _message(data["card"], seq, key)):
        raise ProgrammeProblem("has a signature that does not match (changed after signing)")
    return found.group(1), seq, StatusCard.from_json(data["card"])


# -- the lead's summary --------------------------------------------------------------------


@dataclass
class Cohort:
    name: str
    cards: list[StatusCard]
    refused: list[tuple[str, str]]

    def lines(self, today: dt.date) -> list[str]:
        active = [c for c in self.cards if not c.closed]
        phases = {p: sum(1 for c in self.cards if c.phase is p) for p in PHASES}
        overdue = sum(1 for c in active if not c.midpoint_done and today - c.started > MIDPOINT_DUE)
        rematch = sum(1 for c in self.cards if c.rematch_requested)
        shared = [c for c in self.cards if c.health]
        out = [
            f"{self.name}: {len(self.cards)} card(s), {len(active)} active, "
            f"{len(self.cards) - len(active)} closed",
            "  phase reached: "
            + ", ".join(f"{p.value.replace('_', ' ')} {n}" for p, n in phases.items()),
            f"  midpoints overdue (over {MIDPOINT_DUE.days} days in): {overdue}",
            f"  rematch requests: {rematch}",
            f"  check-ins this month: {sum(c.check_ins_this_month for c in active)}",
        ]
        if shared:
            early = [c.health[0] for c in shared]
            late = [c.health[-1] for c in shared]
            out.append(
                f"  health (1-5, {len(shared)} sharing): first {sum(early) / len(early):.1f}"
                f" -> latest {sum(late) / len(late):.1f}"
            )
        else:
            out.append("  health: nobody shares it")
        for name, why in self.refused:
            out.append(f"  refused {name}: it {why}")
        return out


def summary(folder: Path) -> list[Cohort]:
    """Per cohort (the folder itself, and each subfolder): the newest card of each
    mentorship."""
    folder = folder.expanduser()
    if not folder.is_dir():
        raise ProgrammeProblem(f"{folder} is not a folder.")
    places = [folder, *sorted(p for p in folder.iterdir() if p.is_dir())]
    cohorts = []
    for place in places:
        newest: dict[str, tuple[int, StatusCard]] = {}
        refused = []
        for path in sorted(place.glob("*.rccard")):
            try:
                ident, seq, card = read(path)
            except ProgrammeProblem as exc:
                refused.append((path.name, str(exc)))
                continue
            if ident not in newest or newest[ident][0] < seq:
                newest[ident] = (seq, card)
        if newest or refused:
            label = "(no cohort)" if place == folder else place.name
            cohorts.append(Cohort(label, [c for _, c in newest.values()], refused))
    return cohorts


def joined(store: Store) -> Iterable[tuple[str, Path]]:
    """The mentorships opted in here, with their folders."""
    for name, value in store.sync.settings_starting("programme.").items():
        yield name.removeprefix("programme."), Path(value)
