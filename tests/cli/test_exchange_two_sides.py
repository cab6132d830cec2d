"""Both sides of one mentorship in one test (issue 23): two separate databases, real age
encryption (pyrage) and real Ed25519 signatures (cryptography), no mocks. Alex (the mentee)
and Sam (the mentor) link each other, share, receive, share back; a commitment is followed
up and its new status reaches the other side; feedback is delivered as feedback; every merge
is idempotent; and no just-for-me word is in any bundle's plaintext."""

from __future__ import annotations

import base64
from pathlib import Path

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from reflectcoach.services import exchange, identity
from reflectcoach.store import Store

from .exchange_sides import PRIVATE_WORDS, Side, digest, make_sides

pytestmark = pytest.mark.encrypted_too  # secret keys kept in an encrypted database, two of them

# feedback_on_us in plain mode: the mentee, for Sam (kept), their preference said, what
# works, more of something (SBI), the opening as written, a date, yes, and what Alex keeps
# to themself (private marker words).
FEEDBACK_ON_US = (
    "1\n\n1\nYour questions before advice\n\nWhen you asked what I had tried\n1\n"
    "Time to think before we decide\nOur Tuesday meeting\nYou asked me to pick on the spot\n"
    "I picked one I now doubt\n\nYour questions help me most. Could we leave a day?\n\n1\n"
    "2026-12-18\nyes\nMARGAY I sometimes dread the meetings\n\nZEBRINE he will think I am "
    "ungrateful\n3\n"
)


def _secret(side: Side) -> identity.Identity:
    with Store.open(side.db) as store:
        found = identity.load(store)
    assert found is not None
    return found


def _open_by_hand(bundle: Path, reader: Side, sender: Side) -> str:
    """Decrypt with the reader's age key and verify with the sender's public key, by hand,
    with the libraries themselves: the payload as text."""
    plain = pyrage.decrypt(bundle.read_bytes(), [_secret(reader).age])
    magic, signature_line, payload = plain.split(b"\n", 2)
    assert magic + b"\n" == exchange.MAGIC
    public = identity.parse(sender.identity_line())
    key = Ed25519PublicKey.from_public_bytes(identity.unb64(public.signing_public))
    signature = base64.urlsafe_b64decode(signature_line + b"=" * (-len(signature_line) % 4))
    key.verify(signature, exchange.MAGIC + payload)  # raises InvalidSignature if not
    return payload.decode("utf-8")


def _no_private_word(text: str) -> None:
    lowered = text.lower()
    for word in PRIVATE_WORDS:
        assert word.lower() not in lowered, word


def test_two_people_share_and_follow_up_through_bundles(tmp_path: Path) -> None:
    alex, sam = make_sides(tmp_path)
    # First meetings, one on each side, each with a commitment and a private worry.
    first = alex.ok(
        "start", "meeting", "-m", "Sam", "--plain",
        stdin="1\nDraft the proposal\n2026-12-20\n\nZEBRINE worry about the deadline\n",
    )  # fmt: skip
    alex_meeting = alex.conversation_id(first)
    sam.ok(
        "start", "meeting", "-m", "Alex", "--plain",
        stdin="2\nIntroduce Alex to Kim\n2026-12-22\n\nQUOKKA worry about time\n",
    )  # fmt: skip

    # Each links the other by the line `reflectcoach id` prints.
    alex_id, sam_id = alex.identity_line(), sam.identity_line()
    assert alex_id.startswith("reflectcoach-id:1:age1") and alex_id != sam_id
    assert "Linked 'Sam'" in alex.ok("partner", "add", "Sam", sam_id)
    assert "Linked 'Alex'" in sam.ok("partner", "add", "Alex", alex_id)

    # Alex sends the meeting's record (its copy to send) with the first share.
    assert "goes as a record" in alex.ok("outbox", alex_meeting[:6])
    said = alex.ok("share", "Sam", "-o", str(tmp_path / "a1.bundle"))
    assert "encrypted to them and signed by you" in said
    a1 = tmp_path / "a1.bundle"
    assert a1.stat().st_mode & 0o777 == 0o600
    payload = _open_by_hand(a1, sam, alex)
    _no_private_word(payload)
    assert "Draft the proposal" in payload and "Introduce Alex" not in payload
    _no_private_word(a1.read_bytes().decode("latin-1"))  # and never in the clear, of course

    got = sam.ok("receive", str(a1))
    assert "Received from Alex" in got
    before = digest(sam.db)
    assert "Already received from Alex: nothing new." in sam.ok("receive", str(a1))
    assert digest(sam.db) == before  # the same bundle twice adds nothing

    theirs = sam.ok("partner", "show", "Alex")
    assert "From Alex (shared " in theirs
    assert "open: Draft the proposal, due Sunday 20 December 2026" in theirs
    assert "Meeting notes" in theirs and "Next: Draft the proposal" in theirs
    _no_private_word(theirs)
    # Sam's own commitments are Sam's alone: Alex's never joins them.
    own = sam.ok("commitments", "--all")
    assert "Introduce Alex to Kim" in own and "Draft the proposal" not in own

    # Sam shares back; Alex sees Sam's side on the mentorship, under "From Sam".
    sam.ok("share", "Alex", "-o", str(tmp_path / "s1.bundle"))
    _no_private_word(_open_by_hand(tmp_path / "s1.bundle", alex, sam))
    assert "Received from Sam" in alex.ok("receive", str(tmp_path / "s1.bundle"))
    shown = alex.ok("mentorship", "show", "Sam")
    assert "From Sam (shared " in shown
    assert "they are the mentor" in shown
    assert "open: Introduce Alex to Kim, due Tuesday 22 December 2026" in shown

    # A follow-up on Alex's side: done. The next share says so; Sam cannot change it.
    second = alex.ok(
        "start", "meeting", "-m", "Sam", "--plain",
        stdin="1\n1\nSend the draft to Kim\n2026-12-28\n\nZEBRINE still\n",
    )  # fmt: skip
    assert alex.conversation_id(second)
    alex.ok("share", "Sam", "-o", str(tmp_path / "a2.bundle"))
    assert "Received from Alex" in sam.ok("receive", str(tmp_path / "a2.bundle"))
    theirs = sam.ok("partner", "show", "Alex")
    assert "done: Draft the proposal" in theirs
    assert "open: Send the draft to Kim, due Monday 28 December 2026" in theirs
    alex_commitment = next(
        line.split()[0]
        for line in alex.ok("commitments", "--all").splitlines()
        if "Draft the proposal" in line
    )
    refused = sam.run("commitment", "drop", alex_commitment)
    assert refused.returncode != 0  # not Sam's to change: it is not in Sam's commitments

    # Feedback from Alex to Sam, delivered as feedback, without what Alex held back.
    note = alex.ok(
        "start", "feedback_note", "-m", "Sam", "--plain",
        stdin="Your questions before advice\nMARGAY: I wish we met more often\n",
    )  # fmt: skip
    assert "goes as feedback" in alex.ok("outbox", alex.conversation_id(note), "--feedback")
    alex.ok("share", "Sam", "-o", str(tmp_path / "a3.bundle"))
    payload = _open_by_hand(tmp_path / "a3.bundle", sam, alex)
    _no_private_word(payload)
    sam.ok("receive", str(tmp_path / "a3.bundle"))
    theirs = sam.ok("partner", "show", "Alex")
    feedback = theirs.split("Feedback for you:")[1]
    assert "What helps me most: Your questions before advice" in feedback
    _no_private_word(theirs)

    # Replaying the first bundle now is refused, and changes nothing.
    before = digest(sam.db)
    replay = sam.run("receive", str(a1))
    assert replay.returncode != 0
    assert "older than one already received" in replay.stderr
    assert digest(sam.db) == before
    # Sam's side, received again, is still one copy: every merge was idempotent.
    before = digest(alex.db)
    assert "nothing new" in alex.ok("receive", str(tmp_path / "s1.bundle"))
    assert digest(alex.db) == before
    assert alex.ok("mentorship", "show", "Sam").count("Introduce Alex to Kim") == 1


def _trade(sender: Side, receiver: Side, name: str, path: Path) -> str:
    """`sender` shares with `receiver` (`name`: the mentorship on the sender's side);
    receiving it again adds nothing and leaves the database byte-identical. What the first
    receive said."""
    sender.ok("share", name, "-o", str(path))
    _no_private_word(_open_by_hand(path, receiver, sender))
    said = receiver.ok("receive", str(path))
    before = digest(receiver.db)
    assert "nothing new" in receiver.ok("receive", str(path))
    assert digest(receiver.db) == before
    return said


def test_the_agreement_accepted_by_both_and_talking_points_on_both_agendas(
    tmp_path: Path,
) -> None:
    alex, sam = make_sides(tmp_path)
    # Alex (the mentee) agrees the terms; Sam (the mentor) has only met so far.
    alex.ok("start", "agree", "-m", "Sam", "--plain", stdin="1\n1\nStraight, in private\n")
    sam.ok(
        "start", "meeting", "-m", "Alex", "--plain",
        stdin="2\nIntroduce Alex to Kim\n2026-12-22\n\nQUOKKA worry about time\n",
    )  # fmt: skip
    alex.ok("partner", "add", "Sam", sam.identity_line())
    sam.ok("partner", "add", "Alex", alex.identity_line())
    alex.ok("note", "-m", "Sam", "Ask about the promotion panel")
    alex.ok("note", "-m", "Sam", "--private", "ZEBRINE doubt about the panel")
    sam.ok("note", "-m", "Alex", "Bring the org chart")
    sam.ok("note", "-m", "Alex", "--private", "QUOKKA hunch about Alex")

    accepted = alex.ok("agreement", "accept", "-m", "Sam")
    assert "meeting: once a month" in accepted
    assert "the mentee's feedback preference: Straight, in private" in accepted
    assert "accepted by you on " in accepted and "not accepted by Sam yet" in accepted
    shown = alex.ok("mentorship", "show", "Sam")  # the mentorship seen whole says so too
    assert "nothing received yet" in shown and "not accepted by Sam yet" in shown

    # Alex's terms and acceptance, and Alex's shareable point, reach Sam as Alex's.
    got = _trade(alex, sam, "Sam", tmp_path / "a1.bundle")
    assert "1 talking point" in got
    shown = sam.ok("agreement", "show", "-m", "Alex")
    assert "meeting: once a month" in shown
    assert "not accepted by you yet" in shown and "accepted by Alex on " in shown
    assert "the terms are as Alex shared them" in shown
    sam.ok("agreement", "accept", "-m", "Alex")
    brief = sam.ok("brief", "-m", "Alex")
    assert "accepted by you on " in brief and "accepted by Alex on " in brief
    assert "needs a new acceptance" not in brief
    assert "From Alex" in brief and "Ask about the promotion panel" in brief
    assert len(brief.splitlines()) <= 24  # both sides, still one page
    assert "## From Alex (their side, shared " in sam.ok("brief", "-m", "Alex", "--markdown")
    shared_copy = sam.ok("brief", "-m", "Alex", "--share")  # Sam's copy to send: Sam's side
    assert "From Alex" not in shared_copy and "accepted by Alex on " in shared_copy
    own, theirs = brief.split("From Alex")
    assert "Bring the org chart" in own and "Ask about the promotion panel" not in own
    assert "their talking points (1): Ask about the promotion panel" in theirs
    assert "ZEBRINE" not in brief  # Alex's private point never left Alex
    with Store.open(sam.db) as store:  # check_in's agenda offer: Sam's points, then Alex's
        offer = store.state.lookup("Alex", "talking_points")
        assert [p.text for p in store.state.points("Alex")] == [
            "Bring the org chart",
            "QUOKKA hunch about Alex",
        ]  # Sam's own points, untouched: Alex's never join them
    assert offer is not None
    assert offer.text.splitlines()[-1] == "- From Alex: Ask about the promotion panel"
    # In a part that may be sent: Alex's point (Alex shared it), never Sam's private one.
    assert offer.shared.splitlines() == [
        "- Bring the org chart",
        "- From Alex: Ask about the promotion panel",
    ]

    # Sam's acceptance and point go back: both accepted, each agenda with both sides.
    _trade(sam, alex, "Alex", tmp_path / "s1.bundle")
    shown = alex.ok("agreement", "show", "-m", "Sam")
    assert "accepted by you on " in shown and "accepted by Sam on " in shown
    assert "needs a new acceptance" not in shown
    assert "Bring the org chart" in alex.ok("brief", "-m", "Sam").split("From Sam")[1]

    # Alex changes the agreement: both acceptances are stale until accepted again.
    alex.ok("start", "agree", "-m", "Sam", "--plain", stdin="1\n2\nStraight, in private\n")
    shown = alex.ok("agreement", "show", "-m", "Sam")
    assert "meeting: every two weeks" in shown
    assert shown.count("changed since: needs a new acceptance") == 2
    alex.ok("agreement", "accept", "-m", "Sam")
    _trade(alex, sam, "Sam", tmp_path / "a2.bundle")
    shown = sam.ok("agreement", "show", "-m", "Alex")
    assert "meeting: every two weeks" in shown
    stale = [line for line in shown.splitlines() if "needs a new acceptance" in line]
    assert len(stale) == 1 and "accepted by you on " in stale[0]
    sam.ok("agreement", "accept", "-m", "Alex")
    _trade(sam, alex, "Alex", tmp_path / "s2.bundle")
    shown = alex.ok("agreement", "show", "-m", "Sam")
    assert "needs a new acceptance" not in shown and "accepted by Sam on " in shown

    # Alex's stated feedback preference is known on Sam's side, as Alex's: feedback_on_us
    # (and any script reading {mentorship.partner_feedback}) uses it.
    with Store.open(sam.db) as store:
        found = store.state.lookup("Alex", "partner_feedback")
    assert found is not None
    assert (found.value, found.text) == ("Straight, in private", "Straight, in private")

    # Alex's feedback_on_us, walked in plain mode, goes as feedback with no outbox step.
    done = alex.ok("start", "feedback_on_us", "-m", "Sam", "--plain", stdin=FEEDBACK_ON_US)
    assert "(feedback, completed " in alex.ok("outbox")
    record = alex.ok("show", alex.conversation_id(done), "--record")
    assert "Your questions before advice" in record and "MARGAY" not in record
    got = _trade(alex, sam, "Sam", tmp_path / "a3.bundle")
    assert "1 feedback" in got
    theirs = sam.ok("partner", "show", "Alex")
    records, feedback = theirs.split("Feedback for you:")
    assert "Feedback for Sam, on how we work together" in feedback
    assert "- What I saw or heard: You asked me to pick on the spot" in feedback
    assert '"Your questions help me most. Could we leave a day?"' in feedback
    assert "how we work together" not in records.split("Records they sent:")[1]
    _no_private_word(theirs)
    assert "feedback they gave you (1): " in sam.ok("brief", "-m", "Alex")

    # An older bundle is refused, and changes nothing.
    before = digest(sam.db)
    replay = sam.run("receive", str(tmp_path / "a1.bundle"))
    assert replay.returncode != 0 and "older than one already received" in replay.stderr
    assert digest(sam.db) == before
