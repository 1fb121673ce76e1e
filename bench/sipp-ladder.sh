#!/usr/bin/env bash
# sipp-ladder.sh - call-rate ladder with sipp's built-in UAC scenario (-sn uac).
#
# For each target and each rate of the ladder, runs `sipp -sn uac` for a fixed
# number of calls (rate x --seconds) and reports calls attempted, successful and
# failed, and the INVITE->200 response time p50/p99 (from sipp's -trace_rtt csv;
# sipp measures in whole milliseconds). Targets:
#   sipp-uas   sipp's built-in UAS (-sn uas), started here on a loopback port:
#              the baseline, i.e. what the load generator itself can do;
#   --target   host:port of a UAS started separately (our agent), optional.
# Ends with a markdown table and, per target, the highest rate at which every
# planned call succeeded.
#
# Traffic goes to loopback addresses only: --target must be 127.0.0.0/8,
# localhost or ::1. Bounded in time: each step is stopped after --step-timeout
# seconds (at most 15; sipp's own -timeout fires a second earlier) and the
# ladder starts no step that could end past --budget seconds (at most 300).
#
# For the agent as target: give it enough channels for rate x response time
# concurrent calls and no answer delay, or the ladder measures its 486s and
# its ring time; it must answer INVITEs to --service (its monitoring number).
#
# Usage:
#   bench/sipp-ladder.sh [--target 127.0.0.1:5060] [--service 0312345678]
#       [--rates "50 100 200 400 800 1200 1600"] [--seconds 5] [--limit N]
#       [--transport u1|t1] [--step-timeout 15] [--budget 300] [--out DIR]
#       [--no-baseline]
# Example without the agent (both targets sipp; ~70 s):
#   sipp -sn uas -i 127.0.0.1 -p 5090 -nostdin >/dev/null & UAS=$!
#   bench/sipp-ladder.sh --target 127.0.0.1:5090; kill $UAS
# Raw sipp files (stat csv, rtt csv, errors) stay in --out (default: a new
# directory under $TMPDIR or /tmp); the table is also written to OUT/summary.md.
set -euo pipefail

RATES="50 100 200 400 800 1200 1600"
SECONDS_PER_STEP=5
STEP_TIMEOUT=15
BUDGET=300
SERVICE=0312345678
TARGET=""
TRANSPORT=u1
LIMIT=""
OUT=""
BASELINE=1

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

die() { echo "sipp-ladder: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case "$1" in
        --target) TARGET=${2:?}; shift 2 ;;
        --service) SERVICE=${2:?}; shift 2 ;;
        --rates) RATES=${2:?}; shift 2 ;;
        --seconds) SECONDS_PER_STEP=${2:?}; shift 2 ;;
        --limit) LIMIT=${2:?}; shift 2 ;;
        --transport) TRANSPORT=${2:?}; shift 2 ;;
        --step-timeout) STEP_TIMEOUT=${2:?}; shift 2 ;;
        --budget) BUDGET=${2:?}; shift 2 ;;
        --out) OUT=${2:?}; shift 2 ;;
        --no-baseline) BASELINE=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done

command -v sipp >/dev/null || die "sipp not found (Debian package sip-tester)"
is_uint() { case "$1" in ''|*[!0-9]*) return 1 ;; *) return 0 ;; esac; }
for v in "$SECONDS_PER_STEP" "$STEP_TIMEOUT" "$BUDGET"; do is_uint "$v" || die "not a number: $v"; done
for r in $RATES; do is_uint "$r" && [ "$r" -gt 0 ] || die "bad rate '$r'"; done
[ -z "$LIMIT" ] || is_uint "$LIMIT" || die "bad --limit '$LIMIT'"
[ "$STEP_TIMEOUT" -ge 1 ] && [ "$STEP_TIMEOUT" -le 15 ] || die "--step-timeout must be 1..15 s"
[ "$BUDGET" -le 300 ] || die "--budget must be at most 300 s"
case "$TRANSPORT" in u1|t1) ;; *) die "--transport must be u1 or t1" ;; esac
case "$SERVICE" in ''|*[!0-9A-Za-z+._-]*) die "bad --service '$SERVICE'" ;; esac

# host:port -> TARGET_HOST TARGET_PORT; loopback addresses only. Runs in the
# main shell (not in $(...)) so that die stops the script.
TARGET_HOST=""
TARGET_PORT=""
parse_target() {
    local t=$1 host port o
    case "$t" in
        \[*\]:*) host=${t%%]:*}; host=${host#[}; port=${t##*]:} ;;
        *:*:*) die "write IPv6 targets as [::1]:port" ;;
        *:*) host=${t%:*}; port=${t##*:} ;;
        *) die "target '$t' is not host:port" ;;
    esac
    is_uint "$port" && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "bad port in '$t'"
    case "$host" in
        localhost) host=127.0.0.1 ;;
        ::1) ;;
        *)
            [[ "$host" =~ ^127\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] \
                || die "target '$t' is not a loopback address (127.0.0.0/8, localhost, ::1): refusing"
            for o in "${BASH_REMATCH[@]:1}"; do [ "$o" -le 255 ] || die "bad address '$host'"; done ;;
    esac
    TARGET_HOST=$host
    TARGET_PORT=$port
}

[ -z "$TARGET" ] || parse_target "$TARGET"
case "$TARGET_HOST" in ""|127.*|::1) ;; *) die "internal error: non-loopback target" ;; esac
[ "$BASELINE" = 1 ] || [ -n "$TARGET" ] || die "nothing to measure: --no-baseline without --target"

if [ -z "$OUT" ]; then
    OUT=$(mktemp -d "${TMPDIR:-/tmp}/sipp-ladder.XXXXXX")
else
    mkdir -p "$OUT"
fi
OUT=$(cd "$OUT" && pwd)

UAS_PID=""
cleanup() {
    if [ -n "$UAS_PID" ] && kill -0 "$UAS_PID" 2>/dev/null; then
        kill "$UAS_PID" 2>/dev/null || true
        wait "$UAS_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The baseline: sipp's built-in UAS on a free loopback port.
start_baseline_uas() {
    local try port dir="$OUT/sipp-uas-server"
    mkdir -p "$dir"
    for try in 1 2 3 4 5 6 7 8; do
        port=$((20000 + RANDOM % 20000))
        ( cd "$dir" && exec sipp -sn uas -t "$TRANSPORT" -i 127.0.0.1 -p "$port" -nostdin \
              -trace_err -error_file uas_errors.log >uas_screen.log 2>&1 ) &
        UAS_PID=$!
        sleep 0.5
        if kill -0 "$UAS_PID" 2>/dev/null; then
            BASELINE_PORT=$port
            return 0
        fi
        wait "$UAS_PID" 2>/dev/null || true
        UAS_PID=""
    done
    die "could not start sipp -sn uas on a loopback port (see $dir)"
}

# value of column $2 (by header name) in the last row of sipp's -trace_stat csv $1
stat_col() {
    awk -F';' -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
        { last = $c } END { print (c && last != "") ? last + 0 : "" }' "$1"
}

# nearest-rank percentiles p50 and p99 of the response_time_ms column
percentiles() {
    if [ -z "$1" ]; then echo "- -"; return; fi
    tail -q -n +2 "$@" | cut -d';' -f2 | sort -n | awk '
        { v[NR] = $1 }
        END {
            if (NR == 0) { print "- -"; exit }
            i50 = int(0.50 * NR); if (i50 < 0.50 * NR) i50++
            i99 = int(0.99 * NR); if (i99 < 0.99 * NR) i99++
            print v[i50], v[i99]
        }'
}

ROWS=()
declare -A BEST
START=$(date +%s)

run_ladder() {
    local name=$1 host=$2 port=$3 rate calls limit dir rc t0 t1 stat rtt attempted ok failed unfinished p50 p99 status
    local remote="$host:$port"
    [ "$host" = "::1" ] && remote="[::1]:$port"
    local local_ip=127.0.0.1
    [ "$host" = "::1" ] && local_ip=::1
    BEST[$name]="none"
    for rate in $RATES; do
        calls=$((rate * SECONDS_PER_STEP))
        if [ $(( $(date +%s) - START + STEP_TIMEOUT )) -gt "$BUDGET" ]; then
            ROWS+=("| $name | $rate | $calls | - | - | - | - | - | - | skipped: time budget |")
            continue
        fi
        limit=${LIMIT:-$(( rate > 10 ? rate : 10 ))}
        dir="$OUT/$name/r$rate"
        mkdir -p "$dir"
        t0=$(date +%s.%N)
        set +e
        ( cd "$dir" && exec timeout -k 1 "$STEP_TIMEOUT" sipp -sn uac -s "$SERVICE" -t "$TRANSPORT" \
              -i "$local_ip" "$remote" -r "$rate" -m "$calls" -l "$limit" \
              -nostdin -timeout "$(( STEP_TIMEOUT > 2 ? STEP_TIMEOUT - 1 : 1 ))s" \
              -trace_stat -stf stat.csv -fd 1 -trace_rtt -rtt_freq 1 \
              -trace_err -error_file errors.log >screen.log 2>&1 )
        rc=$?
        set -e
        t1=$(date +%s.%N)
        stat="$dir/stat.csv"
        rtt=$(ls "$dir"/*_rtt.csv 2>/dev/null | head -n 1 || true)
        attempted=""; ok=""; failed=""
        if [ -s "$stat" ]; then
            attempted=$(stat_col "$stat" "OutgoingCall(C)")
            ok=$(stat_col "$stat" "SuccessfulCall(C)")
            failed=$(stat_col "$stat" "FailedCall(C)")
        fi
        attempted=${attempted:-0}; ok=${ok:-0}; failed=${failed:-0}
        unfinished=$(( attempted - ok - failed ))
        [ "$unfinished" -ge 0 ] || unfinished=0
        read -r p50 p99 <<<"$(percentiles "$rtt")"
        case "$rc" in
            0) status="ok" ;;
            1) status="calls failed" ;;
            124|137) status="stopped at the step timeout ($STEP_TIMEOUT s)" ;;
            *) status="sipp exit $rc" ;;
        esac
        [ "$ok" -eq "$calls" ] || [ "$rc" -ne 0 ] || status="incomplete"
        ROWS+=("| $name | $rate | $calls | $attempted | $ok | $((failed + unfinished)) | $p50 | $p99 | $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') | $status |")
        if [ "$ok" -eq "$calls" ] && [ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]; then
            BEST[$name]="$rate cps"
        fi
        echo "sipp-ladder: $name $rate cps: $ok/$calls successful, $failed failed, $unfinished unfinished, p50 ${p50} ms, p99 ${p99} ms ($status)" >&2
    done
}

if [ "$BASELINE" = 1 ]; then
    start_baseline_uas
    echo "sipp-ladder: baseline sipp -sn uas on 127.0.0.1:$BASELINE_PORT" >&2
    run_ladder sipp-uas 127.0.0.1 "$BASELINE_PORT"
    cleanup
    UAS_PID=""
fi
if [ -n "$TARGET" ]; then
    echo "sipp-ladder: target $TARGET" >&2
    run_ladder target "$TARGET_HOST" "$TARGET_PORT"
fi

{
    echo "## sipp ladder: sipp -sn uac, -s $SERVICE, -t $TRANSPORT, $SECONDS_PER_STEP s of calls per step"
    echo
    [ "$BASELINE" = 1 ] && echo "- sipp-uas: sipp's built-in UAS (-sn uas) on 127.0.0.1:$BASELINE_PORT (baseline)"
    [ -n "$TARGET" ] && echo "- target: $TARGET"
    echo "- failed = sipp's failed calls + calls not finished when the step ended;"
    echo "  response time = INVITE sent to 200 received, sipp's -trace_rtt (1 ms resolution)"
    echo
    echo "| target | rate (cps) | calls | attempted | successful | failed | p50 (ms) | p99 (ms) | time (s) | status |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    for name in sipp-uas target; do
        [ -n "${BEST[$name]+x}" ] || continue
        label=$name; [ "$name" = target ] && label="target $TARGET"
        echo "Highest rate with zero failed calls, $label: ${BEST[$name]}"
    done
    echo
    echo "Raw sipp output: $OUT"
} | tee "$OUT/summary.md"
