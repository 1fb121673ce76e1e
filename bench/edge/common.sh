# Shared by switch.sh and storm.sh (sourced): ports, the edge and the controller on loopback, cleanup on exit.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CONTROLLER_DLL=${CONTROLLER_DLL:-$ROOT/src/GatewayAgent.Controller/bin/Release/net10.0/gateway-controller.dll}
KEY=bench-edge-key-0123456789
free_port() { python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -CONT "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
trap "exit 130" INT TERM
load_line() { echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg), nproc $(nproc)"; }

# start_edge DB DEST_PORT -> EDGE_PORT RPC_PORT EDGE_PID
start_edge() {
  EDGE_PORT=$(free_port); RPC_PORT=$(free_port)
  kamailio -DD -E -f "$ROOT/edge/kamailio/kamailio.cfg" -m "${SHM_MB:-1024}" -M "${PKG_MB:-64}" -l "udp:127.0.0.1:$EDGE_PORT" \
    -l "tcp:127.0.0.1:$RPC_PORT" -A "DBURL=\"sqlite://$1\"" -A "DESTINATION_HOP=\"sip:127.0.0.1:$2\"" \
    -A "RPC_PORT=$RPC_PORT" >"$OUT/edge.log" 2>&1 &
  EDGE_PID=$!; PIDS+=($EDGE_PID)
  for _ in $(seq 300); do
    curl -sf -d '{"jsonrpc":"2.0","method":"core.uptime","id":1}' "http://127.0.0.1:$RPC_PORT/RPC" >/dev/null 2>&1 && return 0; sleep 0.1
  done
  echo "edge did not start (see $OUT/edge.log)" >&2; exit 1
}

# start_controller DATA_DIR [extra --key=value ...] -> API CONTROLLER_PID
start_controller() {
  local data=$1; shift
  local port; port=$(free_port); API="http://127.0.0.1:$port"
  dotnet "$CONTROLLER_DLL" --Controller:DataDirectory="$data" --Controller:Urls="$API" --Controller:Api:Keys:0=$KEY \
    --Controller:Mqtt:Listen="127.0.0.1:$(free_port)" --Controller:Edge:RpcUrls:0="http://127.0.0.1:$RPC_PORT/RPC" "$@" \
    >"$OUT/controller.log" 2>&1 &
  CONTROLLER_PID=$!; PIDS+=($CONTROLLER_PID)
  for _ in $(seq 600); do curl -sf "$API/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "controller did not start (see $OUT/controller.log)" >&2; exit 1
}
