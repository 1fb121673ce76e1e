#!/usr/bin/env bash
# test.sh - the one command that runs every test of GatewayAgent.
#
# On a fresh Debian 12 machine with the .NET SDK it:
#   0. checks docs/traceability.md against ../shared/spec/SERVICE.md
#      (tools/check-traceability.sh and its self-test; a problem fails the run);
#   1. installs the Debian packages the tests drive when they are missing
#      (REQUIRED below: sipp, kamailio, mosquitto, qemu-user-static with
#      libc6:arm64, clang and the arm64 cross tools for the Native AOT packages,
#      systemd-analyze, bubblewrap, postgresql, chromium) and stops their
#      packaged services: tests start their own peers on loopback ports;
#   2. builds GatewayAgent.sln in Release (output in RESULTS/build.log; the
#      errors are shown when it fails);
#   3. runs every test project tests/*/*.Tests.csproj (continuing past a
#      failing one; tests/GatewayAgent.Testing is support code, not tests),
#      each writing RESULTS/<project>.trx (every test's output: the logs of
#      the hosts under test) and RESULTS/<project>.log (the dotnet test
#      output). The console shows one line per project with its counts, and
#      each failed test's name and message;
#   4. checks that the tests left no process behind: every process started
#      during the run carries GATEWAY_TEST_RUN_ID (inherited from test.sh);
#      one still alive at the end that is a program the tests drive
#      (gateway-agent/-controller/-lab, a test host, sipp, kamailio,
#      mosquitto, postgres, bwrap, setpriv, qemu-aarch64-static) is reported
#      with its command line, killed, and fails the run;
#   5. adds up the trx counters and ends with one line:
#         N passed, N failed[, N skipped]
#      exiting non-zero when a test failed, the build failed, a test project
#      did not run, or a process was left behind.
#
# Usage: ./test.sh [--ring unit|integration|e2e] [--filter EXPR] [--results DIR]
#   --ring RING     only the tests of that ring ([Trait("Ring", RING)] on the
#                   class): unit (no I/O), integration (loopback sockets, real
#                   peers, files), e2e (the real executables together)
#   --filter EXPR   passed to `dotnet test --filter` for every project (with
#                   --ring, both must match: (Ring=RING)&(EXPR))
#   --results DIR   where the .trx and .log files go (default:
#                   TestResults/test-sh, emptied of old ones first)
# Examples: ./test.sh --ring unit
#           ./test.sh --filter 'FullyQualifiedName~Installation'
# Environment: TEST_SH_SKIP_APT=1 skips step 1 (packages managed elsewhere).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"

FILTER=""
RING=""
RESULTS="$ROOT/TestResults/test-sh"
while [ $# -gt 0 ]; do
    case "$1" in
        --ring) [ $# -ge 2 ] || { echo "test.sh: --ring needs a value (unit, integration or e2e)" >&2; exit 2; }
                RING=$2; shift 2 ;;
        --ring=*) RING=${1#--ring=}; shift ;;
        --filter) [ $# -ge 2 ] || { echo "test.sh: --filter needs a value" >&2; exit 2; }
                  FILTER=$2; shift 2 ;;
        --filter=*) FILTER=${1#--filter=}; shift ;;
        --results) [ $# -ge 2 ] || { echo "test.sh: --results needs a value" >&2; exit 2; }
                   RESULTS=$2; shift 2 ;;
        --results=*) RESULTS=${1#--results=}; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "test.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
case "$RING" in
    ""|unit|integration|e2e) ;;
    *) echo "test.sh: --ring must be unit, integration or e2e, not '$RING'" >&2; exit 2 ;;
esac
if [ -n "$RING" ] && [ -n "$FILTER" ]; then
    FILTER="(Ring=$RING)&($FILTER)"
elif [ -n "$RING" ]; then
    FILTER="Ring=$RING"
fi

log() { echo "test.sh: $*" >&2; }

PROBLEMS=()   # reasons to fail that are not failed tests

# Sum a counter attribute over all trx files in $RESULTS.
sum_counter() {
    local attr=$1 total=0 f v
    for f in "$RESULTS"/*.trx; do
        [ -e "$f" ] || continue
        # <Counters total="3" executed="3" passed="2" failed="1" error="0" ... />
        v=$(grep -o '<Counters [^>]*>' "$f" | head -n 1 \
            | sed -n "s/.* $attr=\"\([0-9][0-9]*\)\".*/\1/p")
        total=$((total + ${v:-0}))
    done
    echo "$total"
}

finish() {
    local passed failed skipped line p
    passed=$(sum_counter passed)
    failed=$(( $(sum_counter failed) + $(sum_counter error) + $(sum_counter timeout) + $(sum_counter aborted) ))
    # VSTest trx files count skipped tests as total - executed (xunit's Skip
    # shows as outcome NotExecuted, but the notExecuted counter stays 0)
    skipped=$(( $(sum_counter total) - $(sum_counter executed) ))
    [ "$skipped" -ge 0 ] || skipped=0
    for p in "${PROBLEMS[@]+"${PROBLEMS[@]}"}"; do log "$p"; done
    line="$passed passed, $failed failed"
    [ "$skipped" -eq 0 ] || line="$line, $skipped skipped"
    echo "$line"
    if [ "$failed" -ne 0 ] || [ ${#PROBLEMS[@]} -ne 0 ]; then
        exit 1
    fi
    exit 0
}

# ------------------------------------------------------------ traceability ---

# Every rule ID of the spec has a row in docs/traceability.md, and every file a row names exists and cites the
# ID; the self-test proves the check reports such mistakes. One problem line each, added to PROBLEMS.
trace_check() {
    local out rc line
    out=$("$@" 2>&1) && rc=0 || rc=$?
    if [ "$rc" -ne 0 ]; then
        while IFS= read -r line; do
            [ -z "$line" ] || PROBLEMS+=("traceability: $line")
        done <<<"$out"
        [ -n "$out" ] || PROBLEMS+=("traceability: $* exited $rc")
    fi
}
log "tools/check-traceability.sh (docs/traceability.md against ../shared/spec/SERVICE.md)"
trace_check tools/check-traceability.sh
trace_check tools/check-traceability-selftest.sh

# ---------------------------------------------------------------- packages ---

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        log "need root (or sudo) to run: $*"
        return 1
    fi
}

pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

# Each line: a file or command that must exist, and the Debian package that provides it.
REQUIRED=(
    "cmd:sipp                      sip-tester"          # SIP peer for agent and prober tests
    "/usr/sbin/kamailio            kamailio"            # registrar/proxy for registration tests; the carrier edge
    "glob:/usr/lib/*/kamailio/modules/db_sqlite.so  kamailio-sqlite-modules"  # the edge reads the controller's tables
    "glob:/usr/lib/*/kamailio/modules/db_postgres.so  kamailio-postgres-modules"  # ... or from PostgreSQL (several nodes)
    "/usr/sbin/mosquitto           mosquitto"           # external MQTT broker with ACLs
    "cmd:mosquitto_sub             mosquitto-clients"
    "cmd:qemu-aarch64-static       qemu-user-static"    # runs the linux-arm64 build
    "/lib/ld-linux-aarch64.so.1    libc6:arm64"
    "glob:/usr/lib/aarch64-linux-gnu/libssl.so.3*     libssl3:arm64"
    "cmd:clang                     clang"               # the packages' Native AOT publish (build-deb.sh)
    "cmd:ld.lld                    lld"                 # ... links linux-arm64 on this x64 host
    "cmd:aarch64-linux-gnu-gcc     gcc-aarch64-linux-gnu"
    "cmd:aarch64-linux-gnu-objcopy binutils-aarch64-linux-gnu"
    "/usr/aarch64-linux-gnu/lib/libc.so  libc6-dev-arm64-cross"
    "cmd:systemd-analyze           systemd"             # unit verification
    "cmd:bwrap                     bubblewrap"          # the unit's filesystem hardening, emulated
    "/usr/sbin/nft                 nftables"            # the generated allow-list ruleset, loaded in a network namespace
    "cmd:dpkg-deb                  dpkg"
    "glob:/usr/lib/postgresql/*/bin/initdb  postgresql" # the controller's PostgreSQL store
    "/usr/bin/kill                 procps"              # SIGSTOP/SIGCONT of a test broker
    "/usr/bin/chromium             chromium"            # the settings site's browser tests (Playwright drives it)
)

present() {
    case "$1" in
        cmd:*) command -v "${1#cmd:}" >/dev/null 2>&1 ;;
        glob:*) compgen -G "${1#glob:}" >/dev/null ;;
        *) [ -e "$1" ] ;;
    esac
}

ensure_packages() {
    local missing=() entry what pkg
    for entry in "${REQUIRED[@]}"; do
        read -r what pkg _ <<<"$entry"
        present "$what" || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        if ! command -v apt-get >/dev/null 2>&1; then
            PROBLEMS+=("missing ${missing[*]} and no apt-get to install them")
            return 1
        fi
        log "installing ${missing[*]}"
        if printf '%s\n' "${missing[@]}" | grep -q ':arm64$' && ! dpkg --print-foreign-architectures | grep -qx arm64; then
            as_root dpkg --add-architecture arm64 || { PROBLEMS+=("dpkg --add-architecture arm64 failed"); return 1; }
        fi
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || {
            PROBLEMS+=("apt-get update failed"); return 1; }
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            "${missing[@]}" >&2 || { PROBLEMS+=("apt-get install ${missing[*]} failed"); return 1; }
        # Tests run their own kamailio, mosquitto and PostgreSQL on loopback ports with their own configs;
        # the packaged services must not hold the default ports.
        local svc
        for svc in kamailio mosquitto postgresql; do
            if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
                as_root systemctl disable --now "$svc" >/dev/null 2>&1 || true
            elif [ -x "/etc/init.d/$svc" ]; then
                as_root "/etc/init.d/$svc" stop >/dev/null 2>&1 || true
            fi
        done
    fi
    for entry in "${REQUIRED[@]}"; do
        read -r what pkg _ <<<"$entry"
        present "$what" || { PROBLEMS+=("$what not found after installing $pkg"); return 1; }
    done
}

# ------------------------------------------------------- left-over processes ---

# Every process the tests start inherits GATEWAY_TEST_RUN_ID from test.sh (dotnet test -> test host -> agents,
# bwrap, sipp, mosquitto, postgres...), so the check sees only this run's processes, never those of another run
# on the same machine. Only the programs the tests drive count (not, say, a dotnet build server that a test's
# `dotnet publish` left for reuse).
RUN_ID="test-sh-$$-$(date +%s%N)"
LEFTOVER='gateway-agent|gateway-controller|gateway-portal|gateway-lab|chromium|\.playwright/node|testhost|\.Tests\.dll|(^|/)sipp( |$)|kamailio|mosquitto|postgres|(^|/)bwrap( |$)|setpriv|qemu-aarch64-static'

# PIDs of the candidate programs (any run's) that exist now.
candidates() {
    local p cmd
    for p in /proc/[0-9]*; do
        cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
        [ -n "$cmd" ] || continue
        if grep -Eq "$LEFTOVER" <<<"$cmd"; then echo "${p#/proc/}"; fi
    done
}

# PIDs among the candidates that carry this run's id and were not there before the run.
ours() {
    local pid
    for pid in $(candidates); do
        grep -qw "$pid" <<<"$BEFORE" && continue
        [ "$pid" != "$$" ] || continue
        if tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ" | grep -qx "GATEWAY_TEST_RUN_ID=$RUN_ID"; then echo "$pid"; fi
    done
}

check_leftovers() {
    local left pid cmd i
    left=$(ours)
    # a test host may still be on its way out when dotnet test returns: a bound, not a wait for a test
    for i in 1 2 3 4 5; do
        [ -n "$left" ] || return 0
        sleep 1
        left=$(ours)
    done
    [ -n "$left" ] || return 0
    local count=0
    for pid in $left; do
        cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || continue
        log "left behind by the tests: pid $pid: $cmd"
        count=$((count + 1))
        kill -TERM "$pid" 2>/dev/null || true
    done
    for i in 1 2 3 4 5; do
        left=$(ours)
        [ -n "$left" ] || break
        sleep 1
    done
    for pid in $left; do kill -KILL "$pid" 2>/dev/null || true; done
    PROBLEMS+=("the tests left $count process(es) behind (listed above, now killed)")
}

# ------------------------------------------------------------------- setup ---

mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd)
rm -f "$RESULTS"/*.trx "$RESULTS"/*.log

if [ "${TEST_SH_SKIP_APT:-0}" != 1 ]; then
    ensure_packages || finish
fi

tests/check-rings.sh >&2 || PROBLEMS+=("a test class has no Ring trait (tests/check-rings.sh)")

# ------------------------------------------------------------------- build ---

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log "dotnet build GatewayAgent.sln -c Release (output: $RESULTS/build.log)"
if ! dotnet build GatewayAgent.sln -c Release -nologo >"$RESULTS/build.log" 2>&1; then
    grep -E ': error [A-Z]+[0-9]*:' "$RESULTS/build.log" | sed "s|$ROOT/||g" | LC_ALL=C sort -u | head -n 50 >&2 || true
    PROBLEMS+=("build failed (see $RESULTS/build.log): no test project ran")
    finish
fi

# ------------------------------------------------------------------- tests ---

mapfile -t PROJECTS < <(find tests -mindepth 2 -maxdepth 2 -name '*.Tests.csproj' | LC_ALL=C sort)
if [ ${#PROJECTS[@]} -eq 0 ]; then
    PROBLEMS+=("no test project found under tests/")
    finish
fi

# One trx counter of one file (0 when absent).
counter() {
    local v
    v=$(grep -o '<Counters [^>]*>' "$1" 2>/dev/null | head -n 1 | sed -n "s/.* $2=\"\([0-9][0-9]*\)\".*/\1/p")
    echo "${v:-0}"
}

# Each failed test of a trx: its name, then its message (at most 20 lines), XML entities decoded.
failures() {
    awk '
        function unesc(s) {
            gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
            gsub(/&#xD;/, "", s); gsub(/&#xA;/, " ", s); gsub(/&amp;/, "\\&", s); return s
        }
        /<UnitTestResult / {
            name = ""; failed = ($0 ~ / outcome="Failed"/); shown = 0; inmsg = 0
            if (match($0, /testName="[^"]*"/)) name = unesc(substr($0, RSTART + 10, RLENGTH - 11))
        }
        failed && !shown && !inmsg && /<Message>/ { inmsg = 1; n = 0; print "FAILED " name; sub(/.*<Message>/, "") }
        inmsg {
            line = $0; last = sub(/<\/Message>.*/, "", line)
            if (n < 20) print "    " unesc(line)
            n++
            if (last) { inmsg = 0; shown = 1; if (n > 20) print "    ... (" n - 20 " more lines in the trx)" }
        }
        /<\/UnitTestResult>/ { if (failed && !shown) print "FAILED " name; failed = 0 }
    ' "$1"
}

BEFORE=$(candidates | tr '\n' ' ')
export GATEWAY_TEST_RUN_ID=$RUN_ID
[ -z "$FILTER" ] || log "filter: $FILTER"

index=0
for proj in "${PROJECTS[@]}"; do
    index=$((index + 1))
    name=$(basename "$proj" .csproj)
    trx="$name.trx"
    args=(test "$proj" --no-build -c Release --results-directory "$RESULTS"
          --logger "trx;LogFileName=$trx" --logger "console;verbosity=normal")
    [ -z "$FILTER" ] || args+=(--filter "$FILTER")
    log "[$index/${#PROJECTS[@]}] $name ..."
    started=$SECONDS
    set +e
    # the full dotnet test output goes to the project's log; the console shows failures as they happen
    dotnet "${args[@]}" 2>&1 | tee "$RESULTS/$name.log" | grep --line-buffered -E '^\s+Failed ' | sed -u 's/^\s*/test.sh:   /' >&2
    rc=${PIPESTATUS[0]}
    set -e
    if [ ! -s "$RESULTS/$trx" ]; then
        if grep -q 'No test matches the given testcase filter' "$RESULTS/$name.log"; then
            log "[$index/${#PROJECTS[@]}] $name: no test matches the filter"
            continue
        fi
        tail -n 20 "$RESULTS/$name.log" >&2
        PROBLEMS+=("$name did not run (dotnet test exit $rc, no $trx; see $RESULTS/$name.log)")
        continue
    fi
    f=$(( $(counter "$RESULTS/$trx" failed) + $(counter "$RESULTS/$trx" error) + $(counter "$RESULTS/$trx" timeout) + $(counter "$RESULTS/$trx" aborted) ))
    sk=$(( $(counter "$RESULTS/$trx" total) - $(counter "$RESULTS/$trx" executed) ))
    line="$(counter "$RESULTS/$trx" passed) passed, $f failed"
    [ "$sk" -le 0 ] || line="$line, $sk skipped"
    log "[$index/${#PROJECTS[@]}] $name: $line ($((SECONDS - started)) s)"
    if [ "$f" -ne 0 ]; then
        failures "$RESULTS/$trx" | sed 's/^/test.sh:   /' >&2
        log "  (test output and logs: $RESULTS/$trx)"
    elif [ "$rc" -ne 0 ]; then
        # failed tests show in the counters; a non-zero exit without them
        # (test host crash, aborted run) must fail the run too
        tail -n 20 "$RESULTS/$name.log" >&2
        PROBLEMS+=("$name: dotnet test exit $rc without a failed test in $trx (see $RESULTS/$name.log)")
    fi
done

check_leftovers
finish
