#!/usr/bin/env bash
# Every output opened by the real program that reads it (`make check-consumers`):
#
#   mermaid-cli  `reflectcoach graph` of every script rendered (scripts/check_mermaid.sh)
#   pandoc       a Markdown export read by pandoc's default reader: the answers come back as typed
#   cmark-gfm    the same export read by GitHub's CommonMark: the answers come back as typed
#   LibreOffice  an `export --format xlsx` opened and saved as CSV: every cell as typed
#   khal         `commitments --ics` read by a calendar program: every commitment an event
#   age          a share bundle opened by Debian's age with the partner's key (the pytest
#                test that skips without it)
#   tmux         Copy record inside a real tmux pane lands in its paste buffer (same)
#
# A program that is missing is installed where this can (Debian's apt-get, as root; npm for
# mermaid-cli); otherwise its check is skipped and named in the summary: a skip is never
# silent, and NO_INSTALL=1 installs nothing. Any check that runs and fails exits non-zero.
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
make --no-print-directory -s .venv/.installed || exit 1
PY=$ROOT/.venv/bin/python
RC=$ROOT/.venv/bin/reflectcoach
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export XDG_CONFIG_HOME=$WORK/config XDG_DATA_HOME=$WORK/data XDG_CACHE_HOME=$WORK/cache
unset REFLECTCOACH_SCRIPTS REFLECTCOACH_DB REFLECTCOACH_PASSPHRASE_FILE

passed=() skipped=() failed=()

# have COMMAND DEBIAN_PACKAGE: the command is there, or apt-get installed it.
have() {
    command -v "$1" > /dev/null && return 0
    [ -z "${NO_INSTALL:-}" ] && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null || return 1
    echo "check_consumers: installing Debian's $2 (apt-get)"
    { apt-get install -y --no-install-recommends "$2" > /dev/null 2>&1 ||
        { apt-get update > /dev/null 2>&1 &&
            apt-get install -y --no-install-recommends "$2" > /dev/null 2>&1; }; } || return 1
    command -v "$1" > /dev/null
}

# A database with answers every reader is tempted to change, and two commitments.
DB=$WORK/r.db
"$PY" - "$DB" << 'PYTHON' || exit 1
import sys
from pathlib import Path

from reflectcoach.store import Store

ANSWERS = [
    "$x^2$ and $$ math $$",
    "a lone \\ backslash",
    "ask @mention first",
    "before -- after",
    "*not emphasis* [not a link](x) <b>not html</b>",
    "0012",
    "+1",
    '=HYPERLINK("http://example.com","click")',
]
with Store.open(Path(sys.argv[1])) as store:
    conversation = store.start(
        script_id="consumers", script_version=1, script_sha256="0" * 64,
        title="Consumers", mentorship="Sam", current_step="a0",
    )
    journal = store.journal(conversation)
    for seq, text in enumerate(ANSWERS):
        journal.answered(
            step_id=f"a{seq}", question=f"Question {seq}?", qtype="text", text=text,
            value=text, skipped=False, seq=seq, position=seq + 1,
            current_step=f"a{seq + 1}", discard_from=None,
        )
    journal.completed(record="# Consumers", position=len(ANSWERS), current_step="end")
PYTHON
ANSWERS_PY='["$x^2$ and $$ math $$", "a lone \\ backslash", "ask @mention first", "before -- after", "*not emphasis* [not a link](x) <b>not html</b>", "0012", "+1", "=HYPERLINK(\"http://example.com\",\"click\")"]'
"$RC" --db "$DB" export --format markdown -o "$WORK/export.md" 2> /dev/null || exit 1

# check_text NAME FILE: every answer appears in FILE (a reader's plain text) as typed.
check_text() {
    "$PY" - "$1" "$2" "$ANSWERS_PY" << 'PYTHON'
import json
import sys

name, path, answers = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
seen = " ".join(open(path, encoding="utf-8").read().split())
# pandoc's smart typography (on by default) sets straight quotes curly and ... as an ellipsis:
# the same marks, typeset (README says so). Everything else must be exactly as typed.
if name == "pandoc":
    for curly, straight in (("\u201c", '"'), ("\u201d", '"'), ("\u2018", "'"), ("\u2019", "'")):
        seen = seen.replace(curly, straight)
wrong = [a for a in answers if " ".join(a.split()) not in seen]
for answer in wrong:
    print(f"FAIL {name}: {answer!r} does not read as typed")
sys.exit(1 if wrong else 0)
PYTHON
}

# -- mermaid-cli ------------------------------------------------------------------------------
out=$(scripts/check_mermaid.sh 2>&1)
status=$?
echo "$out" | tail -n 3
if [ $status -ne 0 ]; then failed+=(mermaid-cli)
elif echo "$out" | grep -q "skipped:"; then skipped+=("mermaid-cli ($(echo "$out" | grep -m1 'skipped:' | sed 's/.*skipped: //'))")
else passed+=(mermaid-cli); fi

# -- pandoc -----------------------------------------------------------------------------------
if have pandoc pandoc; then
    pandoc -f markdown -t plain --wrap=none "$WORK/export.md" -o "$WORK/pandoc.txt" &&
        check_text pandoc "$WORK/pandoc.txt" && passed+=("pandoc $(pandoc --version | head -n 1)") ||
        failed+=(pandoc)
else
    skipped+=("pandoc (not installed; on Debian: apt-get install pandoc)")
fi

# -- cmark-gfm --------------------------------------------------------------------------------
if have cmark-gfm cmark-gfm; then
    cmark-gfm -e table -e strikethrough -e autolink -t commonmark "$WORK/export.md" > /dev/null &&
        cmark-gfm -e table -e strikethrough -e autolink -t html "$WORK/export.md" |
        "$PY" -c 'import html, re, sys; print(html.unescape(re.sub(r"<[^>]+>", " ", sys.stdin.read())))' \
            > "$WORK/cmark.txt" &&
        check_text cmark-gfm "$WORK/cmark.txt" && passed+=(cmark-gfm) || failed+=(cmark-gfm)
else
    skipped+=("cmark-gfm (not installed; on Debian: apt-get install cmark-gfm)")
fi

# -- LibreOffice ------------------------------------------------------------------------------
if have soffice libreoffice-calc-nogui || have soffice libreoffice-calc; then
    "$RC" --db "$DB" export --format xlsx -o "$WORK/answers.xlsx" 2> /dev/null &&
        soffice --headless --norestore --convert-to csv:"Text - txt - csv (StarCalc)":44,34,76 \
            --outdir "$WORK/lo" "$WORK/answers.xlsx" > /dev/null 2>&1 &&
        "$PY" -c 'import csv, sys; print("\n".join(" | ".join(r) for r in csv.reader(open(sys.argv[1], encoding="utf-8"))))' \
            "$WORK/lo/answers.csv" > "$WORK/lo.txt" &&
        check_text LibreOffice "$WORK/lo.txt" &&
        passed+=(LibreOffice) || failed+=(LibreOffice)
else
    skipped+=("LibreOffice (not installed; on Debian: apt-get install libreoffice-calc-nogui)")
fi

# -- khal -------------------------------------------------------------------------------------
if have khal khal; then
    "$PY" - "$DB" << 'PYTHON' || exit 1
import sys
from pathlib import Path

from reflectcoach.engine.followup import Made
from reflectcoach.store import Store, commitments

with Store.open(Path(sys.argv[1])) as store:
    (conversation,) = store.conversations()
    made = [Made("Call Ana -- about $5, @Sam", "2026-12-04", None, "a0", 0)]
    with store.transaction() as db:
        commitments.insert_made(db, conversation["id"], made, store.clock())
PYTHON
    mkdir -p "$XDG_CONFIG_HOME/khal" "$WORK/calendar" # khal reads nothing without a config
    printf '[calendars]\n[[reflectcoach]]\npath = %s\ntype = calendar\n[locale]\n%s\n' \
        "$WORK/calendar" 'dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
timeformat = %H:%M
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M' > "$XDG_CONFIG_HOME/khal/config"
    "$RC" --db "$DB" commitments --ics "$WORK/due.ics" 2> /dev/null &&
        khal printics "$WORK/due.ics" > "$WORK/khal.txt" 2>&1 &&
        grep -qF 'Call Ana -- about $5, @Sam' "$WORK/khal.txt" && passed+=(khal) || failed+=(khal)
    # The round trip a calendar lives by: imported, the commitment marked done, exported and
    # imported again: khal shows that event CANCELLED (same UID, higher SEQUENCE), not twice.
    id=$("$PY" -c 'import sys; from reflectcoach.store import Store
with Store.open(sys.argv[1]) as s: print(s.commitments.all()[0].id)' "$DB")
    if khal import --batch "$WORK/due.ics" > /dev/null 2>&1 &&
        khal list 2026-12-01 30d > "$WORK/khal-before.txt" 2>&1 &&
        grep -qF 'Call Ana -- about $5, @Sam' "$WORK/khal-before.txt" &&
        "$RC" --db "$DB" commitment done "$id" > /dev/null 2>&1 &&
        "$RC" --db "$DB" commitments --ics "$WORK/due.ics" > /dev/null 2>&1 &&
        grep -q '^STATUS:CANCELLED' "$WORK/due.ics" &&
        khal import --batch "$WORK/due.ics" > /dev/null 2>&1 &&
        khal list 2026-12-01 30d > "$WORK/khal-after.txt" 2>&1 &&
        grep -q 'CANCELLED.*Call Ana' "$WORK/khal-after.txt" &&
        [ "$(grep -c 'Call Ana' "$WORK/khal-after.txt")" = 1 ]; then
        passed+=("khal round trip (import, done, re-import: CANCELLED)")
        sed 's/^/    /' "$WORK/khal-after.txt"
    else
        failed+=("khal round trip")
        cat "$WORK/khal-before.txt" "$WORK/khal-after.txt" 2> /dev/null
    fi
else
    skipped+=("khal (not installed; on Debian: apt-get install khal)")
fi

# -- age and tmux: the suite's tests that need them, run where they are ------------------------
# run_skipping NAME TEST...: the tests pass and none of them was skipped.
run_skipping() {
    local name=$1
    shift
    local out
    out=$("$ROOT/.venv/bin/pytest" -q -p no:cacheprovider -rs "$@" 2>&1)
    local status=$?
    echo "$out" | tail -n 1
    if [ $status -ne 0 ]; then failed+=("$name"); echo "$out" | tail -n 20
    elif echo "$out" | grep -q "SKIPPED"; then failed+=("$name (skipped although installed)")
    else passed+=("$name"); fi
}
if have age age; then
    run_skipping "age opens a share bundle" \
        tests/cli/test_exchange_builtins.py::test_a_bundle_is_a_plain_age_file_the_age_tool_opens
else
    skipped+=("age (not installed; on Debian: apt-get install age)")
fi
if have tmux tmux; then
    run_skipping "tmux paste buffer" tests/app/test_copy_honest.py -k tmux
else
    skipped+=("tmux (not installed; on Debian: apt-get install tmux)")
fi

echo
for name in "${passed[@]}"; do echo "check_consumers: ok       $name"; done
for name in "${skipped[@]}"; do echo "check_consumers: SKIPPED  $name"; done
for name in "${failed[@]}"; do echo "check_consumers: FAILED   $name"; done
[ ${#failed[@]} -eq 0 ]
