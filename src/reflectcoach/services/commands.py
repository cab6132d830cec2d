"""The command line's commands and their one-line summaries, as data: the help screen lists
them without importing the CLI (the app is a floor below it). `tests/cli/test_commands.py`
fails when this differs from the click group, so a new command is added here too."""

from __future__ import annotations

COMMANDS: tuple[tuple[str, str], ...] = (
    (
        "abandon",
        "Set a conversation aside: off the resume list, still readable; `resume ID` takes it up.",
    ),
    (
        "agreement",
        "The agreement accepted by both: see where it stands, accept it as it is now.",
    ),
    (
        "brief",
        "One page for the next meeting: the goal as it stands, ratings, open commitments, "
        "talking points, what was decided last, the next dates and what is overdue.",
    ),
    ("commitment", "Change what became of a commitment: done, partly, drop, not-yet."),
    (
        "commitments",
        "What you said you would do: open ones (open, partly done, not yet done) by date, "
        "oldest first, undated last.",
    ),
    (
        "compare",
        "Two completed runs of one script side by side, question by question: answers they "
        'share shown once, differences marked "≠ changed".',
    ),
    ("decrypt", "Turn an encrypted database back into a plaintext one."),
    ("delete", "Delete a conversation and its answers (asks first)."),
    (
        "due",
        'One short line of what is due ("Sam: 1 overdue, midpoint review in 3 days"), or '
        "nothing: fast enough for a shell prompt or a timer.",
    ),
    ("encrypt", "Encrypt the database with a passphrase (SQLCipher)."),
    ("export", "Export conversations as JSON, Markdown, CSV or a spreadsheet (xlsx)."),
    ("graph", "Print a conversation as a Mermaid state diagram (SCRIPT is an id or a file)."),
    ("id", "Your identity for sharing with a partner: one line to send them (made on first use)."),
    (
        "import",
        "Restore conversations from a JSON export (ones already here are left as they are).",
    ),
    ("list", "List conversations, newest first."),
    ("lock", "End the unlocked session of the database (`reflectcoach unlock`) now."),
    ("mentorship", "The people your conversations are about."),
    ("note", "Add a talking point to a mentorship: the next check-in offers it on its agenda."),
    (
        "outbox",
        "Mark a completed conversation's record to go with the next share to its mentorship's "
        "partner (its copy to send: never a just-for-me part).",
    ),
    ("partner", "Link a mentorship to your partner's identity, and see what they shared."),
    (
        "passphrase",
        "Change an encrypted database's passphrase (it is re-encrypted under the new one).",
    ),
    (
        "programme",
        "A programme lead's view, aggregate only: status cards of counts and dates (never a "
        "word you wrote), written into a folder the lead collects.",
    ),
    (
        "receive",
        "Take in a bundle your partner shared: its signature is checked against the partner "
        "linked to the mentorship, and their side is kept apart from your own answers.",
    ),
    ("resume", "Continue a conversation where it stopped (the latest one in progress by default)."),
    ("review", "Open the app on the review screen."),
    (
        "schema",
        "Print the JSON Schema of the script format, for editors (the YAML language server).",
    ),
    ("scripts", "List the conversations you can start."),
    ("search", "Full-text search over every question and answer."),
    (
        "share",
        "Write one file for the partner of NAME: this mentorship's shareable state (its "
        "status, your commitments with their status, the records you marked to send), "
        "encrypted to them and signed by you.",
    ),
    ("show", "Print a conversation's transcript, exactly as it was asked (Markdown)."),
    ("start", "Start a conversation (SCRIPT is an id from `reflectcoach scripts`, or a file)."),
    (
        "sync",
        "Sync with your other devices through a folder you already sync (Syncthing, Dropbox, "
        "a USB stick): `sync init DIR` once, then `sync` (the app also syncs when it starts "
        "and when it quits).",
    ),
    (
        "test",
        "Run test plans (the built-ins' own by default) and report each failure as "
        "plan.yaml:line:col; --coverage lists the branches no plan took.",
    ),
    ("try", "Try a script while writing it: an unsaved run against a scratch database."),
    (
        "unlock",
        "Unlock an encrypted database for a while: its key is derived once and kept by a "
        "small process of yours, so the commands that follow skip the slow derivation until "
        "the time is up or `reflectcoach lock`.",
    ),
    (
        "validate",
        "Check script files (or folders of them) and report every problem as file:line:col.",
    ),
)
