#!/usr/bin/env bash
# run.sh - self-test of the sipp scenarios in .. (no agent needed).
#
# Runs each UAC scenario of Scenarios/ against a sipp UAS scenario of this
# folder that plays the agent: fake-*.xml behave as the agent should (the
# scenario must pass), bad-*.xml and misconfigured fakes behave wrongly (the
# scenario must fail, for the reason given). Over UDP and TCP where it means
# something. Loopback only; each run is bounded by sipp -timeout.
#
# Usage: tests/GatewayAgent.Tests/Scenarios/SelfTest/run.sh [-v] [NAME-FILTER]
#   -v           keep and show the sipp logs of failing cases
#   NAME-FILTER  only cases whose name contains it (e.g. retransmit)
# Prints one line per case and ends with "N passed, N failed".
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SC=$(cd "$HERE/.." && pwd)
VERBOSE=0
[ "${1:-}" = "-v" ] && { VERBOSE=1; shift; }
ONLY=${1:-}
NUMBER=0312345678

command -v sipp >/dev/null || { echo "sipp not found (Debian package sip-tester)" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sipp-selftest.XXXXXX")
UAS_PID=""
cleanup() {
    if [ -n "$UAS_PID" ] && kill -0 "$UAS_PID" 2>/dev/null; then
        kill "$UAS_PID" 2>/dev/null || true
        wait "$UAS_PID" 2>/dev/null || true
    fi
    [ "$VERBOSE" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

PASS=0
FAIL=0

# case NAME EXPECT(pass|fail[:regex]) TRANSPORT "UAS args" "UAC args" [UAC timeout s]
case_() {
    local name=$1 expect=$2 t=$3 uas_args=$4 uac_args=$5 tmo=${6:-12}
    [ -z "$ONLY" ] || [[ "$name" == *"$ONLY"* ]] || return 0
    local dir="$WORK/$name-$t" try uas_port uac_port rc reason ok
    mkdir -p "$dir"
    for try in 1 2 3 4 5; do
        uas_port=$((20000 + RANDOM % 20000))
        # shellcheck disable=SC2086
        ( cd "$dir" && eval "exec sipp -sf $HERE/$uas_args -t $t -i 127.0.0.1 -p $uas_port -m 1 \
              -nostdin -timeout $((tmo + 3))s -trace_err -error_file uas_errors.log \
              -trace_msg -message_file uas_messages.log" >uas_screen.log 2>&1 ) &
        UAS_PID=$!
        sleep 0.3
        kill -0 "$UAS_PID" 2>/dev/null && break
        wait "$UAS_PID" 2>/dev/null || true
        UAS_PID=""
    done
    [ -n "$UAS_PID" ] || { echo "FAIL $name [$t]: fake agent did not start"; FAIL=$((FAIL + 1)); return 0; }
    uac_port=$((40000 + RANDOM % 20000))
    set +e
    ( cd "$dir" && eval "exec sipp -sf $SC/$uac_args -t $t -i 127.0.0.1 -p $uac_port 127.0.0.1:$uas_port \
          -m 1 -nostdin -timeout ${tmo}s -timeout_error -trace_err -error_file uac_errors.log \
          -trace_msg -message_file uac_messages.log" >uac_screen.log 2>&1 )
    rc=$?
    set -e
    sleep 0.2
    kill "$UAS_PID" 2>/dev/null || true
    wait "$UAS_PID" 2>/dev/null || true
    UAS_PID=""
    ok=0
    case "$expect" in
        pass) [ "$rc" -eq 0 ] && ok=1; reason="exit $rc" ;;
        fail*)
            reason="exit $rc"
            if [ "$rc" -ne 0 ]; then
                ok=1
                if [ "$expect" != fail ]; then
                    grep -Eq "${expect#fail:}" "$dir/uac_errors.log" 2>/dev/null || { ok=0; reason="exit $rc, but not for: ${expect#fail:}"; }
                fi
            fi ;;
    esac
    if [ "$ok" = 1 ]; then
        PASS=$((PASS + 1)); echo "ok   $name [$t] (expected $expect, $reason)"
    else
        FAIL=$((FAIL + 1)); echo "FAIL $name [$t] (expected $expect, got $reason; logs: $dir)"
        if [ "$VERBOSE" = 1 ]; then tail -c 2000 "$dir/uac_errors.log" 2>/dev/null || true; fi
    fi
}

ALLOW="-key allow_hdr 'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS'"
for t in u1 t1; do
    case_ options              pass "$t" "fake-options.xml $ALLOW" "options.xml -s $NUMBER"
    case_ hold-call            pass "$t" "fake-answer.xml -d 300" "hold-call.xml -s $NUMBER -d 500"
    case_ cancel-200-first     pass "$t" "fake-cancel.xml -key order a" "cancel.xml -s $NUMBER"
    case_ cancel-487-first     pass "$t" "fake-cancel.xml -key order b" "cancel.xml -s $NUMBER"
    case_ wrong-number         pass "$t" "fake-reject-404.xml -key hdr 'X-Test: 1'" "wrong-number.xml -s 0399999999"
    case_ busy                 pass "$t" "fake-reject-486.xml -key hdr 'X-Test: 1'" "busy.xml -s $NUMBER"
    case_ unknown-require      pass "$t" "fake-reject-420.xml -key hdr 'Unsupported: x-frobnicate'" "unknown-require.xml -s $NUMBER"
    case_ unknown-require-list pass "$t" "fake-reject-420.xml -key hdr 'Unsupported: foo, x-frobnicate'" "unknown-require.xml -s $NUMBER"
    case_ reinvite             pass "$t" "fake-reinvite.xml" "reinvite.xml -s $NUMBER"
    case_ agent-bye            pass "$t" "fake-agent-bye.xml -d 1000" "agent-bye.xml -s $NUMBER"
    case_ retransmit-ringing   pass "$t" "fake-retransmit-ringing.xml" "retransmit.xml -s $NUMBER"
    case_ retransmit-fast      pass "$t" "fake-retransmit-fast.xml" "retransmit.xml -s $NUMBER"
done

# The scenarios must catch a misbehaving agent.
t=u1
case_ options-no-allow        "fail:header Allow: not found" $t "fake-options.xml -key allow_hdr 'X-Test: 1'" "options.xml -s $NUMBER"
case_ options-allow-no-invite "fail:Failed regexp match" $t "fake-options.xml -key allow_hdr 'Allow: ACK, BYE'" "options.xml -s $NUMBER"
case_ hold-call-rejected      "fail:unexpected message" $t "fake-reject-486.xml -key hdr 'X-Test: 1'" "hold-call.xml -s $NUMBER -d 500"
case_ cancel-but-answered     fail $t "fake-answer.xml -d 0" "cancel.xml -s $NUMBER" 5
case_ wrong-number-got-486    "fail:unexpected message" $t "fake-reject-486.xml -key hdr 'X-Test: 1'" "wrong-number.xml -s 0399999999"
case_ busy-got-404            "fail:unexpected message" $t "fake-reject-404.xml -key hdr 'X-Test: 1'" "busy.xml -s $NUMBER"
case_ busy-but-answered       "fail:unexpected message" $t "fake-answer.xml -d 0" "busy.xml -s $NUMBER"
case_ unknown-require-no-hdr  "fail:header Unsupported: not found" $t "fake-reject-420.xml -key hdr 'X-Test: 1'" "unknown-require.xml -s $NUMBER"
case_ unknown-require-other   "fail:Failed regexp match" $t "fake-reject-420.xml -key hdr 'Unsupported: x-frobnicate2'" "unknown-require.xml -s $NUMBER"
case_ reinvite-new-tag        "fail:Failed regexp match" $t "bad-reinvite-new-tag.xml" "reinvite.xml -s $NUMBER"
case_ agent-bye-wrong-tag     "fail:Failed regexp match" $t "bad-agent-bye-wrong-tag.xml -d 300" "agent-bye.xml -s $NUMBER"
case_ agent-bye-never         fail $t "fake-answer.xml -d 0" "agent-bye.xml -s $NUMBER" 4
case_ retransmit-two-tags     "fail:Failed regexp match" $t "bad-retransmit-two-tags.xml" "retransmit.xml -s $NUMBER"
case_ retransmit-second-200   "fail:Failed regexp match" $t "bad-retransmit-second-200.xml" "retransmit.xml -s $NUMBER"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
