#!/usr/bin/env bash
# Renders `reflectcoach graph` of every built-in conversation and of the awkward scripts in
# tests/fixtures/mermaid with the real Mermaid renderer (mermaid-cli, in Debian's Chromium) and
# checks each SVG: it rendered, it shows the script's title and every step id, its labels read
# exactly as the script wrote them (no Markdown, HTML or math made of them), and a top-down
# built-in is not more than 4 times as wide as it is high.
#
# mermaid-cli is installed, pinned, into .mermaid-cli/ (git-ignored). Where npm or Chromium is
# missing and cannot be installed, the check is skipped with a message and exit status 0.
# Any render or check failure exits non-zero and names the file.
#
#   scripts/check_mermaid.sh            # everything
#   KEEP=1 scripts/check_mermaid.sh     # keep the .mmd and .svg files in .mermaid-cli/out/
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/.mermaid-cli
# Pinned: mermaid-cli only asks for mermaid ^11 and puppeteer ^23 || ^24 || ^25.
MERMAID_CLI_VERSION=11.17.0
MERMAID_VERSION=11.17.2
PUPPETEER_VERSION=24.43.1
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
MAX_ASPECT=4 # width / height, for the built-ins drawn top to bottom

skip() {
    echo "check_mermaid: skipped: $*"
    exit 0
}

# The project's own environment, made the way `make test` makes it.
make --no-print-directory -s .venv/.installed
PY=$ROOT/.venv/bin/python
REFLECTCOACH=$ROOT/.venv/bin/reflectcoach

if ! command -v npm > /dev/null || ! command -v node > /dev/null; then
    skip "npm and node are needed for mermaid-cli (install Node 20 or later)"
fi

if [ ! -x "$CHROMIUM" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
        echo "check_mermaid: installing Debian's chromium (apt-get)"
        if ! { apt-get install -y --no-install-recommends chromium > /dev/null 2>&1 ||
            { apt-get update > /dev/null 2>&1 &&
                apt-get install -y --no-install-recommends chromium > /dev/null 2>&1; }; }; then
            skip "chromium is not installed and apt-get could not install it"
        fi
        CHROMIUM=/usr/bin/chromium
        [ -x "$CHROMIUM" ] || skip "apt-get installed chromium, but there is no $CHROMIUM"
    else
        skip "no Chromium at $CHROMIUM (on Debian: sudo apt-get install chromium; or set CHROMIUM)"
    fi
fi

installed_version() {
    node -p "require('$TOOLS/node_modules/$1/package.json').version" 2> /dev/null || true
}

if [ "$(installed_version @mermaid-js/mermaid-cli)" != "$MERMAID_CLI_VERSION" ] ||
    [ "$(installed_version mermaid)" != "$MERMAID_VERSION" ] ||
    [ "$(installed_version puppeteer)" != "$PUPPETEER_VERSION" ]; then
    echo "check_mermaid: installing mermaid-cli $MERMAID_CLI_VERSION into $TOOLS"
    mkdir -p "$TOOLS"
    # No browser download: puppeteer drives Debian's Chromium.
    if ! PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix "$TOOLS" --save-exact --no-audit \
        --no-fund --loglevel=error "@mermaid-js/mermaid-cli@$MERMAID_CLI_VERSION" \
        "mermaid@$MERMAID_VERSION" "puppeteer@$PUPPETEER_VERSION" > "$TOOLS/npm.log" 2>&1; then
        tail -n 5 "$TOOLS/npm.log"
        skip "npm could not install mermaid-cli (no registry?); log in $TOOLS/npm.log"
    fi
fi
MMDC=$TOOLS/node_modules/.bin/mmdc

# We run as root in containers, hence --no-sandbox; the other flags keep Chromium off the
# network (no updates, no sync, no first-run fetches).
cat > "$TOOLS/puppeteer.json" << EOF
{
  "executablePath": "$CHROMIUM",
  "args": ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run"]
}
EOF

OUT=$TOOLS/out
rm -rf "$OUT"
mkdir -p "$OUT"
if [ -z "${KEEP:-}" ]; then
    trap 'rm -rf "$OUT"' EXIT
fi
# reflectcoach reads user scripts from these folders: keep the check to the files named below.
export XDG_CONFIG_HOME=$OUT/config XDG_DATA_HOME=$OUT/data XDG_CACHE_HOME=$OUT/cache
unset REFLECTCOACH_SCRIPTS REFLECTCOACH_DB

echo "check_mermaid: mermaid-cli $MERMAID_CLI_VERSION, mermaid $MERMAID_VERSION, $("$CHROMIUM" --version 2> /dev/null | head -n 1)"

failures=0
# render KIND SCRIPT_FILE DIRECTION: one line of output per diagram.
render() {
    local kind=$1 script=$2 direction=$3
    local name
    name=$(basename "$script" .yaml)-$direction
    if ! "$REFLECTCOACH" graph --direction "$direction" "$script" > "$OUT/$name.mmd" 2> "$OUT/$name.err"; then
        echo "FAIL $script ($direction): reflectcoach graph: $(head -n 3 "$OUT/$name.err")"
        failures=$((failures + 1))
        return
    fi
    if ! "$MMDC" --quiet -p "$TOOLS/puppeteer.json" -i "$OUT/$name.mmd" -o "$OUT/$name.svg" \
        > "$OUT/$name.log" 2>&1; then
        echo "FAIL $script ($direction): mermaid-cli: $(grep -m 3 -i 'error' "$OUT/$name.log" || head -n 3 "$OUT/$name.log")"
        failures=$((failures + 1))
        return
    fi
    if ! "$PY" - "$kind" "$script" "$direction" "$OUT/$name.mmd" "$OUT/$name.svg" "$MAX_ASPECT" << 'PYTHON'; then
import html
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from reflectcoach.engine.graph import WORD_JOINER, one_line, state_id, step_lines
from reflectcoach.script.loader import load_file

kind, script_path, direction, mmd_path, svg_path, max_aspect = sys.argv[1:]
mmd = Path(mmd_path).read_text(encoding="utf-8")
svg_text = Path(svg_path).read_text(encoding="utf-8")
script = load_file(Path(script_path)).script
assert script is not None
problems = []

root = ET.fromstring(svg_text)
ns = "{http://www.w3.org/2000/svg}"
_, _, width, height = (float(v) for v in root.attrib["viewBox"].split())


def text_of(element: ET.Element) -> str:
    """What a reader sees: the element's text, a line break (<br>) as a space."""
    parts = []
    for node in element.iter():
        if node.tag.endswith("}br") or node.tag == "br":
            parts.append(" ")
        parts.append(node.text or "")
        if node is not element:
            parts.append(node.tail or "")
    # graph.py puts an invisible word joiner between two dollars so KaTeX leaves them alone.
    return " ".join("".join(parts).replace(WORD_JOINER, "").split())


def shown(label: str) -> str:
    """An arrow's label from the .mmd as Mermaid should show it: entities decoded, then
    Markdown's backslash escapes, <br> as a space."""
    label = re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label.replace("<br>", " "))
    label = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", label)
    return " ".join(label.replace(WORD_JOINER, "").split())


titles = [text_of(e) for e in root.iter() if "statediagramTitleText" in e.attrib.get("class", "")]
if titles != [one_line(script.title)]:
    problems.append(f"title shown as {titles!r}, expected {one_line(script.title)!r}")

# Each state as drawn: <g class="node ..." id="...-state-<state id>-<n>"> holding its label.
drawn = {}
for g in root.iter(ns + "g"):
    match = re.match(r".*-state-(.+)-\d+$", g.attrib.get("id", ""))
    if match and "node" in g.attrib.get("class", "").split():
        drawn[match.group(1)] = text_of(g)
for step in script.steps.values():
    state = state_id(step.id)
    expected = " ".join(step_lines(step))
    if state not in drawn:
        problems.append(f"step {step.id} was not drawn")
    elif drawn[state] != expected:
        problems.append(f"step {step.id} reads {drawn[state]!r}, expected {expected!r}")

# Arrow labels, compared as a multiset: the SVG does not say which arrow a label belongs to.
expected_edges = sorted(shown(lab) for lab in re.findall(r"^\s*\S+ --> \S+: (.*)$", mmd, re.M))
drawn_edges = sorted(
    text_of(g)
    for g in root.iter(ns + "g")
    if g.attrib.get("class") == "edgeLabel" and text_of(g)
)
if drawn_edges != expected_edges:
    wrong = sorted(set(drawn_edges) ^ set(expected_edges))[:3]
    problems.append(f"arrow labels differ from the .mmd, e.g. {wrong!r}")

aspect = width / height
if kind == "built-in" and direction == "TB" and aspect > float(max_aspect):
    problems.append(f"{width:.0f}x{height:.0f} px is wider than {max_aspect}x its height")

status = "FAIL" if problems else "ok  "
print(
    f"{status} {kind:<8} {direction} {Path(script_path).name:<26} {len(script.steps):>3} steps"
    f"  {width:>5.0f} x {height:>5.0f} px  title {one_line(script.title)!r}"
)
for problem in problems:
    print(f"     {problem}")
sys.exit(1 if problems else 0)
PYTHON
        failures=$((failures + 1))
    fi
}

for script in src/reflectcoach/conversations/*.yaml; do
    case $script in *.part.yaml) continue ;; esac # a part other scripts include, not a script
    render built-in "$script" TB
done
# Left to right still renders (its shape is the reader's choice). Found by its id, not by a
# file name that a renumbering changes (it named 1-first_meeting.yaml long after it moved).
first_meeting=$(grep -l '^id: first_meeting$' src/reflectcoach/conversations/*.yaml | head -n 1)
if [ -z "$first_meeting" ]; then
    echo "FAIL no built-in script has id first_meeting (for the LR render)"
    failures=$((failures + 1))
else
    render built-in "$first_meeting" LR
fi
for script in tests/fixtures/mermaid/*.yaml; do
    render fixture "$script" TB
done

if [ "$failures" -gt 0 ]; then
    echo "check_mermaid: $failures diagram(s) failed"
    exit 1
fi
echo "check_mermaid: every diagram rendered"
