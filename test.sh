#!/usr/bin/env bash
# test.sh - the one command that runs every test of GatewayAgent.
#
# On a fresh Debian 12 machine with the .NET SDK it:
#   0. checks docs/traceability.md against ../shared/spec/SERVICE.md
#      (tools/check-traceability.sh and its self-test; a problem fails the run);
#   1. installs the Debian packages the tests drive when they are missing
#      (REQUIRED below: sipp, kamailio, mosquitto, qemu-user-static with
#      libc6:arm64, systemd-analyze, bubblewrap, postgresql) and stops their
#      packaged services: tests start their own peers on loopback ports;
#   2. builds GatewayAgent.sln in Release;
#   3. runs every test project under tests/ (continuing past a failing one),
#      each writing a .trx file into the results directory;
#   4. adds up the trx counters and ends with one line:
#         N passed, N failed[, N skipped]
#      exiting non-zero when a test failed, the build failed, or a test project
#      did not run.
#
# Usage: ./test.sh [--filter EXPR] [--results DIR]
#   --filter EXPR   passed to `dotnet test --filter` for every project
#   --results DIR   where the .trx files go (default: TestResults/test-sh,
#                   emptied of old .trx files first)
# Environment: TEST_SH_SKIP_APT=1 skips step 1 (packages managed elsewhere).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"

FILTER=""
RESULTS="$ROOT/TestResults/test-sh"
while [ $# -gt 0 ]; do
    case "$1" in
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
    "/usr/sbin/kamailio            kamailio"            # registrar/proxy for registration tests
    "/usr/sbin/mosquitto           mosquitto"           # external MQTT broker with ACLs
    "cmd:mosquitto_sub             mosquitto-clients"
    "cmd:qemu-aarch64-static       qemu-user-static"    # runs the linux-arm64 build
    "/lib/ld-linux-aarch64.so.1    libc6:arm64"
    "glob:/usr/lib/aarch64-linux-gnu/libstdc++.so.6*  libstdc++6:arm64"
    "glob:/usr/lib/aarch64-linux-gnu/libssl.so.3*     libssl3:arm64"
    "cmd:systemd-analyze           systemd"             # unit verification
    "cmd:bwrap                     bubblewrap"          # the unit's filesystem hardening, emulated
    "cmd:dpkg-deb                  dpkg"
    "glob:/usr/lib/postgresql/*/bin/initdb  postgresql" # the controller's PostgreSQL store
    "/usr/bin/kill                 procps"              # SIGSTOP/SIGCONT of a test broker
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

mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd)
rm -f "$RESULTS"/*.trx

if [ "${TEST_SH_SKIP_APT:-0}" != 1 ]; then
    ensure_packages || finish
fi

tests/check-rings.sh >&2 || PROBLEMS+=("a test class has no Ring trait (tests/check-rings.sh)")

# ------------------------------------------------------------------- build ---

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log "dotnet build GatewayAgent.sln -c Release"
if ! dotnet build GatewayAgent.sln -c Release -nologo; then
    PROBLEMS+=("build failed: no test project ran")
    finish
fi

# ------------------------------------------------------------------- tests ---

mapfile -t PROJECTS < <(find tests -mindepth 2 -maxdepth 2 -name '*.csproj' | LC_ALL=C sort)
if [ ${#PROJECTS[@]} -eq 0 ]; then
    PROBLEMS+=("no test project found under tests/")
    finish
fi

for proj in "${PROJECTS[@]}"; do
    name=$(basename "$proj" .csproj)
    trx="$name.trx"
    args=(test "$proj" --no-build -c Release --results-directory "$RESULTS"
          --logger "trx;LogFileName=$trx" --logger "console;verbosity=normal")
    [ -z "$FILTER" ] || args+=(--filter "$FILTER")
    log "dotnet ${args[*]}"
    set +e
    dotnet "${args[@]}"
    rc=$?
    set -e
    if [ ! -s "$RESULTS/$trx" ]; then
        PROBLEMS+=("$name did not run (dotnet test exit $rc, no $trx)")
    elif [ "$rc" -ne 0 ]; then
        # failed tests show in the counters; a non-zero exit without them
        # (test host crash, aborted run) must fail the run too
        if ! grep -o '<Counters [^>]*>' "$RESULTS/$trx" | grep -Eq ' (failed|error|timeout|aborted)="[1-9]'; then
            PROBLEMS+=("$name: dotnet test exit $rc without a failed test in $trx")
        fi
    fi
done

finish
