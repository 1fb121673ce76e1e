#!/usr/bin/env bash
# check-rings.sh - fails when a test class under tests/ has no Ring trait.
#
# Every test class carries exactly one of
#     [Trait("Ring", "unit")]         no I/O (no sockets, processes, files other than reading test data); fast
#     [Trait("Ring", "integration")]  real sockets on loopback, real peers, child processes, temp files
#     [Trait("Ring", "e2e")]          the real executables talking to each other
# so that `dotnet test --filter Ring=unit` (./test.sh --ring unit) selects the fast ring.
#
# A test class is a class that declares a method with a [Fact] or [Theory] attribute, or any attribute whose
# name ends in Fact or Theory (e.g. [PostgresFact], [ToolFact]), or that derives from such a class. The trait
# may sit on any part of a partial class; a class deriving from an abstract test class may take the trait
# from it (xunit inherits class traits).
#
# Usage: tests/check-rings.sh [--list | --projects RING] [DIR...]
#   --list            also print "ring<TAB>class<TAB>file" for every test class
#   --projects RING   print only the test projects (tests/NAME) that have a class of RING, one a line, so that
#                     a run of one ring can skip the projects without any (e.g. no unit test in EndToEnd)
#   DIR      the directories to scan (default: the test projects under tests/)
# Exit status: 0 when every test class has a valid Ring trait, 1 otherwise (naming each class).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIST=0
PROJECTS=""
DIRS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --list) LIST=1 ;;
        --projects) [ $# -ge 2 ] || { echo "check-rings.sh: --projects needs a ring" >&2; exit 2; }
                    PROJECTS=$2; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) echo "check-rings.sh: unknown option '$1'" >&2; exit 2 ;;
        *) DIRS+=("$1") ;;
    esac
    shift
done
[ ${#DIRS[@]} -gt 0 ] || DIRS=("$ROOT/tests")

mapfile -d '' FILES < <(find "${DIRS[@]}" -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' -print0 | LC_ALL=C sort -z)
[ ${#FILES[@]} -gt 0 ] || { echo "check-rings.sh: no C# files under ${DIRS[*]}" >&2; exit 1; }

# One awk pass over all files. Per class (by name, so partial classes merge) it records: whether a method in it
# carries a Fact/Theory attribute, its Ring values, whether it is abstract, its base class, and a file.
# Attributes are collected from the lines between one declaration and the next; a class declaration takes the
# attributes pending above it, a method's attributes mark the innermost class open at that point (brace depth).
awk -v list="$LIST" -v projects="$PROJECTS" -v root="$ROOT/" '
function strip(s) {            # drop string contents and comments so braces in them do not count
    gsub(/"([^"\\]|\\.)*"/, "\"\"", s)
    sub(/\/\/.*/, "", s)
    return s
}
FNR == 1 { depth = 0; sp = 0; pending_ring = ""; pending_test = 0; incomment = 0 }
{
    line = $0
    if (incomment) { if (line ~ /\*\//) { sub(/.*\*\//, "", line); incomment = 0 } else next }
    gsub(/\/\*[^*]*\*+([^\/*][^*]*\*+)*\//, "", line)
    if (line ~ /\/\*/) { sub(/\/\*.*/, "", line); incomment = 1 }

    # Attributes on this line (raw text: the Ring value is inside a string).
    if (match(line, /Trait\( *"Ring" *, *"[^"]*" *\)/)) {
        t = substr(line, RSTART, RLENGTH); sub(/^Trait\( *"Ring" *, *"/, "", t); sub(/" *\)$/, "", t)
        pending_ring = pending_ring (pending_ring == "" ? "" : ",") t
    }
    if (line ~ /\[ *([A-Za-z0-9_.]*(Fact|Theory))( *[(\],]|$)/ || line ~ /, *([A-Za-z0-9_.]*(Fact|Theory))( *[(\],]|$)/) pending_test = 1

    code = strip(line)
    isdecl = 0
    if (match(code, /^[ \t]*((public|internal|private|protected|sealed|static|abstract|partial|file|unsafe|new) +)*(class|record( +class)?) +[A-Za-z_][A-Za-z0-9_]*/)) {
        decl = substr(code, RSTART, RLENGTH); sub(/.*(class|record) +/, "", decl)
        name = decl; isdecl = 1
        if (!(name in file)) file[name] = FILENAME
        if (code ~ /(^|[^A-Za-z0-9_])abstract([^A-Za-z0-9_]|$)/) abstract[name] = 1
        rest = substr(code, RSTART + RLENGTH)
        sub(/^<[^>]*>/, "", rest); sub(/^ *\([^)]*\)/, "", rest)     # generic parameters, primary constructor
        if (match(rest, /^ *: *[A-Za-z_][A-Za-z0-9_.]*/)) {
            b = substr(rest, RSTART, RLENGTH); sub(/^ *: */, "", b); sub(/.*\./, "", b); base[name] = b
        }
        if (pending_ring != "") ring[name] = ring[name] (ring[name] == "" ? "" : ",") pending_ring
        pending_ring = ""; pending_test = 0
        stack[++sp] = name; opened[sp] = depth
    } else if (code ~ /[A-Za-z0-9_>\]?] +[A-Za-z_][A-Za-z0-9_]* *(<[^>]*>)? *\(/ && pending_test && sp > 0) {
        tests[stack[sp]] = 1                                      # a method carrying a Fact/Theory attribute
        pending_test = 0; pending_ring = ""
    } else if (code ~ /[;{]/ && code !~ /^[ \t]*\[/) {
        pending_ring = ""; pending_test = 0
    }

    n = gsub(/{/, "{", code); depth += n
    n = gsub(/}/, "}", code); depth -= n
    while (sp > 0 && depth <= opened[sp] && code ~ /}/) sp--
    if (isdecl && code ~ /;[ \t]*$/ && code !~ /{/ && sp > 0 && stack[sp] == name) sp--   # record Foo(...);
}
END {
    # Propagate through bases: a class deriving from a test class is a test class (xunit runs the inherited
    # methods); a class without its own Ring takes its base class Ring (xunit inherits class traits).
    for (changed = 1; changed; ) {
        changed = 0
        for (c in base) {
            b = base[c]
            if ((b in tests) && !(c in tests)) { tests[c] = 1; changed = 1 }
            if ((b in ring) && !(c in ring)) { ring[c] = ring[b]; changed = 1 }
        }
    }
    bad = 0
    for (c in tests) {
        f = file[c]; if (index(f, root) == 1) f = substr(f, length(root) + 1)
        if (c in abstract) continue                               # its derived classes are checked instead
        r = ring[c]
        if (r == "") { printf "check-rings.sh: %s (%s) has no [Trait(\"Ring\", ...)]\n", c, f; bad++; continue }
        if (r != "unit" && r != "integration" && r != "e2e") {
            printf "check-rings.sh: %s (%s) has Ring \"%s\"; want exactly one of unit, integration, e2e\n", c, f, r; bad++; continue
        }
        if (list) printf "%s\t%s\t%s\n", r, c, f | "LC_ALL=C sort"
        if (r == projects && match(f, /^tests\/[^\/]+\//)) inproject[substr(f, 1, RLENGTH - 1)] = 1
        count[r]++
    }
    if (list) close("LC_ALL=C sort")
    if (bad) { printf "check-rings.sh: %d test class(es) without a valid Ring trait (see tests/check-rings.sh)\n", bad; exit 1 }
    if (projects != "") {
        for (p in inproject) print p | "LC_ALL=C sort"
        close("LC_ALL=C sort")
        exit 0
    }
    printf "check-rings.sh: every test class has a Ring: %d unit, %d integration, %d e2e\n", count["unit"], count["integration"], count["e2e"]
}' "${FILES[@]}"
