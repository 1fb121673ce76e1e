#!/usr/bin/env bash
# Issue 11's performance goals for the settings site, with a real HTTP client load (bench/portal/PortalLoad):
#   login (hashing included): p99 < 200 ms at 20 logins/s;  a settings page: p99 < 50 ms at 100 requests/s.
# Starts the Release gateway-portal alone on 127.0.0.1:${PORTAL_PORT:-26081} over a fresh SQLite data directory seeded
# with ACCOUNTS contracts (through the controller's stores: contracts and a temporary password each, as the IVR sets
# them), lets portal-load give each account its first use (temporary password, forced change, OTP declined), then runs,
# open loop, SECONDS per phase: the references (PBKDF2 verify alone in-process; GET /healthz at 100/s), logins at 20/s
# (a new connection and cookie jar per login, GET form + POST), and the logged-in contract pages at 100/s. The portal's
# CPU (/proc/PID/stat) and RSS (VmRSS, sampled every 250 ms) are printed next to every rate, with the load tool's CPU,
# the machine's busy share and load average.
#
# Knobs: ACCOUNTS (40), PHASE_SECONDS (30), PORTAL_PORT (26081), BENCH_BUILD=1 rebuilds. The login throttle (SS-6,
# Portal:LoginAttemptsPerMinute, default 30 per client address) is raised for the run: every login comes from 127.0.0.1.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
ACCOUNTS="${ACCOUNTS:-40}"
SECONDS_PER_PHASE="${PHASE_SECONDS:-30}"
PORT="${PORTAL_PORT:-26081}"
PORTAL_DLL="$REPO/src/GatewayAgent.Portal/bin/Release/net10.0/gateway-portal.dll"
LOAD_DLL="$HERE/PortalLoad/bin/Release/net10.0/portal-load.dll"
WORK="$(mktemp -d /tmp/portal-bench.XXXXXX)"
PORTAL_PID=""
cleanup() {
    if [[ -n "$PORTAL_PID" ]] && kill -0 "$PORTAL_PID" 2>/dev/null; then
        kill -TERM "$PORTAL_PID"; wait "$PORTAL_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

if [[ "${BENCH_BUILD:-0}" == 1 || ! -f "$PORTAL_DLL" ]]; then
    dotnet build -c Release -nologo "$REPO/src/GatewayAgent.Portal" >&2
fi
if [[ "${BENCH_BUILD:-0}" == 1 || ! -f "$LOAD_DLL" ]]; then
    dotnet build -c Release -nologo "$HERE/PortalLoad" >&2
fi

echo "# $(date -u '+%Y-%m-%d %H:%M:%S') UTC, $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$LOAD_DLL" seed "$WORK/data" "$ACCOUNTS" > "$WORK/accounts.txt"

dotnet "$PORTAL_DLL" "--Controller:DataDirectory=$WORK/data" "--Portal:Urls=http://127.0.0.1:$PORT" \
    "--Portal:LoginAttemptsPerMinute=10000" "--Logging:LogLevel:Default=Warning" > "$WORK/portal.log" 2>&1 &
PORTAL_PID=$!
for _ in $(seq 1 150); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    kill -0 "$PORTAL_PID" 2>/dev/null || { cat "$WORK/portal.log" >&2; exit 1; }
    sleep 0.2
done
echo "# gateway-portal pid $PORTAL_PID, RSS after start $(awk '/VmRSS/ {print $2 " kB"}' /proc/$PORTAL_PID/status)"
dotnet "$LOAD_DLL" run "http://127.0.0.1:$PORT/" "$PORTAL_PID" "$WORK/accounts.txt" "$SECONDS_PER_PHASE"
echo "# gateway-portal RSS at the end $(awk '/VmRSS/ {print $2 " kB"}' /proc/$PORTAL_PID/status), peak $(awk '/VmHWM/ {print $2 " kB"}' /proc/$PORTAL_PID/status)"
