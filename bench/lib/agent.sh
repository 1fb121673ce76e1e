# Shared helpers for the bench scripts: start/stop the agent, read its memory and CPU from /proc.
# Sourced, not run. Loopback only.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
AGENT_DLL="${AGENT_DLL:-$REPO_DIR/src/GatewayAgent/bin/Release/net10.0/gateway-agent.dll}"
CLK_TCK="$(getconf CLK_TCK)"

# AGENT_BIN: a published executable to run instead of `dotnet $AGENT_DLL` (the Native AOT build the packages ship:
# `dotnet publish src/GatewayAgent -c Release -r linux-x64 -p:PublishAot=true -o DIR`, then AGENT_BIN=DIR/gateway-agent).
AGENT_BIN="${AGENT_BIN:-}"

# Builds the agent in Release unless AGENT_DLL already exists or AGENT_BIN is set (BENCH_BUILD=1 forces a build).
ensure_agent_built() {
    if [[ -n "$AGENT_BIN" ]]; then
        [[ -x "$AGENT_BIN" ]] || { echo "AGENT_BIN=$AGENT_BIN is not an executable" >&2; return 1; }
        return 0
    fi
    if [[ "${BENCH_BUILD:-0}" == 1 || ! -f "$AGENT_DLL" ]]; then
        dotnet build -c Release "$REPO_DIR/src/GatewayAgent" >&2 || return 1
    fi
}

# A free port on 127.0.0.1 for both UDP and TCP (checked by binding both, then released).
free_port() {
    python3 - <<'PY'
import random, socket
for _ in range(200):
    p = random.randrange(20000, 29998, 2)
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", p))
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM); t.bind(("127.0.0.1", p))
        u.close(); t.close(); print(p); break
    except OSError:
        pass
PY
}

# agent_command PORT [extra --Agent:... args]: the agent's command line as the brief gives it.
# The per-source rate limit is off unless BENCH_RATE_LIMIT=default (then the appsettings.json default applies).
agent_command() {
    local port="$1"; shift
    local -a runner=(dotnet "$AGENT_DLL")
    [[ -z "$AGENT_BIN" ]] || runner=("$AGENT_BIN")
    local cmd=("${runner[@]}" "--Agent:Board:Kind=sim"
        "--Agent:Sip:Listen:0=udp:127.0.0.1:$port" "--Agent:Sip:Listen:1=tcp:127.0.0.1:$port"
        "--Agent:Sip:MonitorNumbers:0=0312345678" "--Agent:Sip:Channels=1000"
        "--Agent:Sip:Rtp:MinPort=${BENCH_RTP_MIN:-30000}" "--Agent:Sip:Rtp:MaxPort=${BENCH_RTP_MAX:-39999}")
    if [[ "${BENCH_RATE_LIMIT:-off}" == off ]]; then
        cmd+=("--Agent:Sip:RateLimitPerSecond=0")
    fi
    printf '%s\n' "${cmd[@]}" "$@"
}

# start_agent PORT LOG [extra args]: starts the agent, waits until it answers OPTIONS, sets AGENT_PID.
start_agent() {
    local port="$1" log="$2"; shift 2
    local -a cmd
    mapfile -t cmd < <(agent_command "$port" "$@")
    local out
    out="$(python3 "$BENCH_DIR/tools/startup_probe.py" --port "$port" --log "$log" --keep -- "${cmd[@]}")" || return 1
    AGENT_PID="$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' <<<"$out")"
    AGENT_START_LINE="$out"
}

stop_agent() {
    local pid="$1"
    [[ -n "$pid" ]] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

# /proc/PID/status fields in kB.
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null; }
# "anon X MB, file Y MB": RssAnon (GC heap, JIT'd code, stacks, native allocations) vs RssFile (mapped DLLs, runtime).
rss_split() { awk '/^RssAnon:/ {a = $2} /^RssFile:/ {f = $2} END { printf "anon %.1f MB, file %.1f MB", a / 1024, f / 1024 }' "/proc/$1/status" 2>/dev/null; }
threads_of() { awk '/^Threads:/ {print $2}' "/proc/$1/status" 2>/dev/null; }

# utime+stime of PID in clock ticks (fields 14 and 15 of /proc/PID/stat; the comm field may hold spaces).
cpu_ticks() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"            # fields from 3 on
    set -- $stat
    echo $(( ${12} + ${13} ))      # utime = field 14, stime = field 15
}

# Datagrams the kernel dropped on the UDP socket bound to 127.0.0.1:PORT (receive buffer full): /proc/net/udp "drops".
udp_drops() {
    local hex; hex="$(printf '0100007F:%04X' "$1")"
    awk -v a="$hex" '$2 == a { print $NF; found = 1 } END { if (!found) print 0 }' /proc/net/udp
}

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# cpu_percent TICKS_BEFORE TICKS_AFTER SECONDS: % of one core.
cpu_percent() { awk -v a="$1" -v b="$2" -v s="$3" -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", (b - a) / hz / s * 100 }'; }

# Machine-wide busy and total jiffies from /proc/stat ("busy total"), to tell how loaded the machine was.
machine_jiffies() { awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat; }

# machine_busy "BUSY0 TOTAL0" "BUSY1 TOTAL1": busy % of all cores between two machine_jiffies readings.
machine_busy() {
    local b0 t0 b1 t1
    read -r b0 t0 <<<"$1"; read -r b1 t1 <<<"$2"
    awk -v b="$(( b1 - b0 ))" -v t="$(( t1 - t0 ))" -v n="$(nproc)" 'BEGIN { printf "%.0f%% of %d cores", (t ? b / t * 100 : 0), n }'
}

# wait_quiet: with BENCH_WAIT_QUIET=N, waits up to N s for a 3 s stretch with the machine under 20% busy (other
# people's builds and tests disturb a 2-core machine); prints what it found. Without it, returns at once.
wait_quiet() {
    local max="${BENCH_WAIT_QUIET:-0}" waited=0 a b busy
    (( max > 0 )) || return 0
    while :; do
        a="$(machine_jiffies)"; sleep 3; b="$(machine_jiffies)"; waited=$(( waited + 3 ))
        busy="$(machine_busy "$a" "$b")"
        if (( ${busy%%%*} < 20 )); then echo "(machine quiet: $busy busy, after ${waited} s)"; return 0; fi
        if (( waited >= max )); then echo "(machine still busy after ${waited} s: $busy; measuring anyway)"; return 0; fi
    done
}

# What is under test: the commit for the default build in this work tree, else the path and its build time.
agent_version() {
    if [[ -n "$AGENT_BIN" ]]; then
        echo "$AGENT_BIN (published executable, built $(date -u -r "$AGENT_BIN" +%Y-%m-%dT%H:%M:%SZ); $(file -b "$AGENT_BIN" 2>/dev/null | cut -d, -f1-2))"
        return 0
    fi
    if [[ "$AGENT_DLL" == "$REPO_DIR/src/GatewayAgent/bin/Release/net10.0/gateway-agent.dll" ]]; then
        echo "$AGENT_DLL (work tree at $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO_DIR" diff --quiet HEAD -- src 2>/dev/null || echo ', src has uncommitted changes'))"
    else
        echo "$AGENT_DLL (built $(date -u -r "$AGENT_DLL" +%Y-%m-%dT%H:%M:%SZ))"
    fi
    local cfg="${AGENT_DLL%.dll}.runtimeconfig.json"
    [[ -f "$cfg" ]] && echo "runtimeconfig: $(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["runtimeOptions"].get("configProperties", {})))' "$cfg" 2>/dev/null)"
    return 0
}

now_s() { date +%s.%N; }

machine_line() {
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); dotnet $(dotnet --version); $(sipp -v 2>&1 | grep -o 'SIPp v[^ ]*' | head -1)"
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
}
