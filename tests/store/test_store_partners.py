"""store.partners: a partner link follows its mentorship through a rename and a merge; one
identity is one mentorship's partner; linking another identity forgets the old one's side."""

from __future__ import annotations

from pathlib import Path

import pytest

from reflectcoach.store import Store, StoreError
from store.helpers import run

ROLE = [("role", "Which are you?", "choice", "mentee", "the mentee")]
KEYS = {n: (f"age1{n * 58}", n * 43) for n in "acd"}  # shapes only: the store checks none


def test_a_link_follows_a_rename_and_a_merge_keeps_the_target_s(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store:
        run(store, ROLE, mentorship="Sam")
        run(store, ROLE, mentorship="Kim")
        store.partners.link("Sam", *KEYS["a"])
        store.partners.receive(store.partners.get("Sam"), 5, "2026-12-01T00:00:00Z",
                               {"mentorship": (1, {"role": "mentor"})})  # fmt: skip
        store.mentorships.rename("Sam", "Samuel")
        moved = store.partners.get("Samuel")
        assert moved is not None and moved.signing_public == KEYS["a"][1]
        assert moved.received_seq == 5 and "mentorship" in store.partners.sections("Samuel")
        assert store.partners.get("Sam") is None
        store.partners.link("Kim", *KEYS["c"])
        store.mentorships.rename("Samuel", "Kim")  # a merge: Kim keeps Kim's partner
        kept = store.partners.get("Kim")
        assert kept is not None and kept.signing_public == KEYS["c"][1]
        assert store.partners.sections("Kim") == {}
        assert [p.name for p in store.partners.all()] == ["Kim"]


def test_one_identity_one_mentorship_and_relinking_forgets(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store:
        run(store, ROLE, mentorship="Sam")
        run(store, ROLE, mentorship="Kim")
        store.partners.link("Sam", *KEYS["a"])
        with pytest.raises(StoreError, match="already linked to the mentorship 'Sam'"):
            store.partners.link("Kim", *KEYS["a"])
        store.partners.receive(store.partners.get("Sam"), 7, "x", {})
        store.partners.link("Sam", *KEYS["d"])  # another person now
        again = store.partners.get("Sam")
        assert again is not None and again.received_seq == 0
        with pytest.raises(StoreError, match="No mentorship named 'Nobody'"):
            store.partners.link("Nobody", *KEYS["c"])
