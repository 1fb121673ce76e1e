#!/usr/bin/env bash
# tools/check-traceability.sh - checks docs/traceability.md against the rule IDs of ../shared/spec/SERVICE.md.
#
# A rule ID is defined in the spec as **BF-1**, **FN-1**, **SS-1** ... The page has one table row per ID:
#   | ID | rule | code | tests | status / notes |
# code and tests hold only backticked repo-relative file paths (or "—"); the status starts with one of
#   **implemented** · **partial** · **not built** · **carrier network, not ours**
#
# It prints one line per problem and exits 1 when there is any (0 and no output when the page is true):
#   - the spec is missing, or defines no rule ID;
#   - an ID of the spec has no row, or two rows; the rows are not in spec order;
#   - a row's ID is not in the spec; a row does not have the five columns;
#   - a row names a file that does not exist, or a file that does not mention its ID
#     (BF-2, or BF_2 as test names write it), so the citations stay true;
#   - a row's status is none of the four; an implemented row lacks code or tests; a partial or
#     not-built row does not name the open issue that builds the rest ("issue N").
#
# Usage: tools/check-traceability.sh [--root DIR] [--spec FILE] [--table FILE]
#   --root DIR    the repository (default: this script's ../); file paths in the table are relative to it
#   --spec FILE   default: DIR/../shared/spec/SERVICE.md (the repo is cloned with ../shared beside it)
#   --table FILE  default: DIR/docs/traceability.md
# Needs only bash, grep and sed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SPEC=""
TABLE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --root) ROOT=${2:?--root needs a value}; shift 2 ;;
    --spec) SPEC=${2:?--spec needs a value}; shift 2 ;;
    --table) TABLE=${2:?--table needs a value}; shift 2 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "check-traceability: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$SPEC" ] || SPEC="$ROOT/../shared/spec/SERVICE.md"
[ -n "$TABLE" ] || TABLE="$ROOT/docs/traceability.md"

PROBLEMS=()
problem() { PROBLEMS+=("$*"); }
done_checking() {
  local p
  for p in "${PROBLEMS[@]+"${PROBLEMS[@]}"}"; do echo "$p"; done
  [ ${#PROBLEMS[@]} -eq 0 ]
  exit $?
}

# Names as the messages show them: relative to the repository where possible.
show() { case "$1" in "$ROOT"/*) echo "${1#"$ROOT"/}" ;; *) echo "$1" ;; esac; }
SPEC_NAME=$(show "$SPEC")
TABLE_NAME=$(show "$TABLE")

if [ ! -f "$SPEC" ]; then
  problem "$SPEC_NAME: spec not found (clone the repository with ../shared beside it)"
fi
if [ ! -f "$TABLE" ]; then
  problem "$TABLE_NAME: traceability page not found"
fi
[ ${#PROBLEMS[@]} -eq 0 ] || done_checking

# The spec's rule IDs, in the order they are defined.
mapfile -t SPEC_IDS < <(grep -oE '\*\*(BF|FN|SS)-[0-9]+\*\*' "$SPEC" | tr -d '*' | awk '!seen[$0]++')
if [ ${#SPEC_IDS[@]} -eq 0 ]; then
  problem "$SPEC_NAME: no rule ID (**BF-n**, **FN-n**, **SS-n**) found"
  done_checking
fi
declare -A SPEC_POS=()
for i in "${!SPEC_IDS[@]}"; do SPEC_POS[${SPEC_IDS[$i]}]=$i; done

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; s=${s%"${s##*[![:space:]]}"}; printf '%s' "$s"; }

# Does FILE mention ID (BF-2 or BF_2, not as part of BF-21)?
mentions() {
  local id=$1 file=$2
  grep -Eq "(^|[^A-Za-z0-9])${id%%-*}[-_]${id#*-}([^0-9]|\$)" "$file"
}

# Checks one column's backticked paths; sets COUNT to how many there were.
COUNT=0
check_paths() {
  local where=$1 id=$2 column=$3 cell=$4 path count=0
  while IFS= read -r path; do
    [ -n "$path" ] || continue
    count=$((count + 1))
    case "$path" in
      /*|*..*) problem "$where: $id: $column path '$path' must be relative to the repository root"; continue ;;
    esac
    if [ ! -f "$ROOT/$path" ]; then
      problem "$where: $id: $column file $path does not exist"
    elif ! mentions "$id" "$ROOT/$path"; then
      problem "$where: $id: $column file $path does not mention $id (cite it in a comment or test name)"
    fi
  done < <(grep -oE '`[^`]+`' <<<"$cell" | tr -d '`')
  COUNT=$count
}

declare -A ROW_LINE=()
last_pos=-1
last_id=""
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
  lineno=$((lineno + 1))
  case "$line" in '|'*) ;; *) continue ;; esac
  IFS='|' read -r -a cells <<<"$line"
  first=$(trim "${cells[1]:-}")
  first=${first//\*/}
  [[ "$first" =~ ^[A-Z]+-[0-9]+$ ]] || continue   # header, separator, other tables
  id=$first
  where="$TABLE_NAME:$lineno"

  # "| a | b | c | d | e |" splits into "", a, b, c, d, e (read drops the empty field after the last |)
  if [ ${#cells[@]} -ne 6 ]; then
    problem "$where: $id: expected 5 columns (ID | rule | code | tests | status), found $(( ${#cells[@]} - 1 ))"
    continue
  fi
  if [ -z "${SPEC_POS[$id]+x}" ]; then
    problem "$where: $id is not a rule ID of $SPEC_NAME"
    continue
  fi
  if [ -n "${ROW_LINE[$id]+x}" ]; then
    problem "$where: $id: a second row (the first is at line ${ROW_LINE[$id]})"
    continue
  fi
  ROW_LINE[$id]=$lineno
  if [ "${SPEC_POS[$id]}" -lt "$last_pos" ]; then
    problem "$where: $id: out of spec order (after $last_id)"
  else
    last_pos=${SPEC_POS[$id]}
    last_id=$id
  fi

  check_paths "$where" "$id" code "${cells[3]}"
  code_count=$COUNT
  check_paths "$where" "$id" tests "${cells[4]}"
  test_count=$COUNT

  status=$(trim "${cells[5]}")
  case "$status" in
    '**implemented**'*)
      [ "$code_count" -gt 0 ] || problem "$where: $id: implemented, but no code file named"
      [ "$test_count" -gt 0 ] || problem "$where: $id: implemented, but no test file named" ;;
    '**partial**'*)
      [[ "$status" =~ [Ii]ssue\ [0-9]+ ]] || problem "$where: $id: partial, but the open issue that builds the rest is not named (issue N)"
      [ $((code_count + test_count)) -gt 0 ] || problem "$where: $id: partial, but no code or test file names what exists" ;;
    '**not built**'*)
      [[ "$status" =~ [Ii]ssue\ [0-9]+ ]] || problem "$where: $id: not built, but the open issue that builds it is not named (issue N)" ;;
    '**carrier network, not ours**'*)
      [ ${#status} -gt 40 ] || problem "$where: $id: carrier network, not ours, but no reason given" ;;
    *)
      problem "$where: $id: status must start with **implemented**, **partial**, **not built** or **carrier network, not ours**" ;;
  esac
done <"$TABLE"

for id in "${SPEC_IDS[@]}"; do
  [ -n "${ROW_LINE[$id]+x}" ] || problem "$TABLE_NAME: $id has no row (it is a rule of $SPEC_NAME)"
done

done_checking
