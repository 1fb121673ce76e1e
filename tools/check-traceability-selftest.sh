#!/usr/bin/env bash
# tools/check-traceability-selftest.sh - proves that tools/check-traceability.sh can fail.
#
# Feeds the checker small made-up repositories (a spec, a traceability page, a few files) and asserts what it
# reports: a spec ID without a row, a row naming a missing file, a row ID not in the spec, a file that does not
# cite its ID (BF-1 is not BF-12), a bad status, rows out of spec order, a missing spec - and that a true page
# passes with no output. Prints one line per failed expectation and exits 1 when there is any.
# Run by ./test.sh next to the check itself. Needs only bash, grep and sed.
set -uo pipefail

CHECK="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/check-traceability.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/trace-selftest.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

FAILURES=()
CASES=0
fail() { FAILURES+=("check-traceability self-test: $CASE: $*"); }

# A fresh repository beside its ../shared/spec/SERVICE.md; spec IDs given as arguments.
new_repo() {
  rm -rf "$WORK/repo" "$WORK/shared"
  mkdir -p "$WORK/repo/docs" "$WORK/repo/src" "$WORK/repo/tests" "$WORK/shared/spec"
  local id
  { echo "# Service specification"; for id in "$@"; do echo "- **$id** a rule (see FN-99, which is only mentioned)."; done; } \
    >"$WORK/shared/spec/SERVICE.md"
  printf '// BF-1: the rule\n' >"$WORK/repo/src/Rule.cs"
  printf '// only BF-12 and xBF-1 here\n' >"$WORK/repo/src/Other.cs"
  printf 'public void Rule_holds_BF_1() {}\n' >"$WORK/repo/tests/RuleTests.cs"
  printf '// BF-2\n' >"$WORK/repo/src/Two.cs"
}

HEADER='| ID | rule | code | tests | status / notes |
|---|---|---|---|---|'
GOOD_ROW='| BF-1 | a rule | `src/Rule.cs` | `tests/RuleTests.cs` | **implemented** — proven |'

page() { printf '%s\n' "# Traceability" "" "$HEADER" "$@" >"$WORK/repo/docs/traceability.md"; }

run_check() {
  CASES=$((CASES + 1))
  OUT=$("$CHECK" --root "$WORK/repo" "$@" 2>&1)
  RC=$?
}

expect_line() {   # expect_line REGEX what
  grep -Eq -- "$1" <<<"$OUT" || fail "expected a line about $2, got: $(shown)"
}

shown() { [ -n "$OUT" ] && echo "${OUT//$'\n'/ ¶ }" || echo "nothing"; }

expect_failed() { [ "$RC" -ne 0 ] || fail "expected a non-zero exit, got 0"; }

CASE="a true page passes"
new_repo BF-1
page "$GOOD_ROW"
run_check
[ "$RC" -eq 0 ] || fail "expected exit 0, got $RC"
[ -z "$OUT" ] || fail "expected no output, got: $(shown)"

CASE="spec with an extra ID and a row naming a missing file"
new_repo BF-1 BF-2
page '| BF-1 | a rule | `src/Rule.cs` `src/Missing.cs` | `tests/RuleTests.cs` | **implemented** — proven |'
run_check
expect_failed
expect_line 'BF-2 has no row' "the spec's extra ID BF-2"
expect_line 'traceability.md:[0-9]+: BF-1: code file src/Missing.cs does not exist' "the missing file src/Missing.cs"
[ "$(grep -c . <<<"$OUT")" -eq 2 ] || fail "expected exactly 2 problem lines, got: $(shown)"

CASE="a row ID that is not in the spec, and an ID only mentioned in the spec"
new_repo BF-1
page "$GOOD_ROW" '| BF-9 | no such rule | — | — | **not built** — issue 10 |'
run_check
expect_failed
expect_line 'BF-9 is not a rule ID' "the row BF-9"
grep -q 'FN-99' <<<"$OUT" && fail "FN-99 is only mentioned in the spec, not defined: it needs no row"

CASE="a file that does not cite the row's ID (BF-12 is not BF-1)"
new_repo BF-1
page '| BF-1 | a rule | `src/Other.cs` | `tests/RuleTests.cs` | **implemented** — proven |'
run_check
expect_failed
expect_line 'src/Other.cs does not mention BF-1' "src/Other.cs citing only BF-12"

CASE="statuses: unknown, implemented without tests, not built without an issue"
new_repo BF-1 BF-2 BF-3
page '| BF-1 | a rule | `src/Rule.cs` | `tests/RuleTests.cs` | done |' \
  '| BF-2 | a rule | `src/Two.cs` | — | **implemented** — no test |' \
  '| BF-3 | a rule | — | — | **not built** — some day |'
run_check
expect_failed
expect_line 'BF-1: status must start with' "the unknown status of BF-1"
expect_line 'BF-2: implemented, but no test file' "BF-2 without a test"
expect_line 'BF-3: not built, but the open issue' "BF-3 without an issue"

CASE="rows out of spec order, a second row, a short row"
new_repo BF-1 BF-2
page '| BF-2 | a rule | `src/Two.cs` | — | **not built** — issue 10 |' "$GOOD_ROW" \
  '| BF-2 | again | — | — | **not built** — issue 10 |' '| BF-1 | too short |'
run_check
expect_failed
expect_line 'BF-1: out of spec order' "BF-1 after BF-2"
expect_line 'BF-2: a second row' "the second BF-2 row"
expect_line 'BF-1: expected 5 columns' "the short row"

CASE="a missing spec"
new_repo BF-1
page "$GOOD_ROW"
rm -f "$WORK/shared/spec/SERVICE.md"
run_check
expect_failed
expect_line 'SERVICE.md: spec not found' "the missing spec"

CASE="a missing page"
new_repo BF-1
rm -f "$WORK/repo/docs/traceability.md"
run_check
expect_failed
expect_line 'traceability.md: traceability page not found' "the missing page"

for f in "${FAILURES[@]+"${FAILURES[@]}"}"; do echo "$f"; done
[ ${#FAILURES[@]} -eq 0 ] || exit 1
echo "check-traceability self-test: $CASES cases passed" >&2
