#!/usr/bin/env bash
# The main job on embedded defaults: the lab. Builds everything, then starts gateway-controller (embedded MQTT
# broker, SQLite store, SMTP sink writing .eml files), the carrier edge (kamailio on 127.0.0.1:5060, routing calls
# by the bulk-forward switch), a destination phone and N simulated sites (real gateway-agent processes on
# simulated boards, registered at the edge, answering real SIP calls and probes on loopback), with a live view and
# commands that cut a site's power or WAN and place calls. Probes every 10 s, so a cut shows as a failure (and a
# mail) within half a minute. Installs kamailio and kamailio-sqlite-modules (Debian) when missing.
#   ./run.sh                          # 3 sites, data in ./lab-data (kept between runs; --fresh starts over)
#   ./run.sh --sites 5 --interval 5   # see ./run.sh --help for every option
#   ./run.sh --nodes 3                # three controller nodes on a local PostgreSQL cluster (created in the data
#                                     # directory) with mosquitto as the broker; installs postgresql, mosquitto and
#                                     # kamailio-postgres-modules (Debian) when missing (docs/scale-out.md)
# In the view:  power 2 off  ·  wan 1 off  ·  restore 2  ·  call 2  ·  mails  ·  quit
#   with --nodes also:  kill-node 2  ·  start-node 2  ·  cut-node 2  ·  heal-node 2
set -euo pipefail
cd "$(dirname "$0")"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "run.sh: need root (or sudo) to run: $*" >&2
    return 1
  fi
}

# The edge is kamailio with its SQLite driver (it reads the controller's database). Installed when missing, as
# ./test.sh installs its peers; nothing is done when both are present. The packaged service is stopped and disabled:
# the lab runs its own kamailio, and the packaged one would hold port 5060.
# With --nodes the lab also runs PostgreSQL (initdb/pg_ctl into its data directory; the packaged cluster is not used),
# mosquitto as the broker, and the edge reads PostgreSQL (kamailio-postgres-modules).
ensure_edge_packages() {
  local missing=()
  [ -x /usr/sbin/kamailio ] || missing+=(kamailio)
  compgen -G '/usr/lib/*/kamailio/modules/db_sqlite.so' >/dev/null || missing+=(kamailio-sqlite-modules)
  if [ "$nodes" = 1 ]; then
    compgen -G '/usr/lib/*/kamailio/modules/db_postgres.so' >/dev/null || missing+=(kamailio-postgres-modules)
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
    [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
    command -v mosquitto_passwd >/dev/null 2>&1 || missing+=(mosquitto-clients)
  fi
  [ ${#missing[@]} -gt 0 ] || return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "run.sh: the lab's edge needs ${missing[*]} (Debian packages) and there is no apt-get to install them" >&2
    exit 1
  fi
  echo "run.sh: installing ${missing[*]}" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  # The packaged services are stopped and disabled: the lab runs its own (the packaged ones would hold their ports).
  local service
  for service in kamailio mosquitto postgresql; do
    case " ${missing[*]} " in *" $service "*) ;; *) continue ;; esac
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      as_root systemctl disable --now "$service" >/dev/null 2>&1 || true
    elif [ -x "/etc/init.d/$service" ]; then
      as_root "/etc/init.d/$service" stop >/dev/null 2>&1 || true
    fi
  done
}

nodes=0
case " $* " in *" --nodes "*) nodes=1 ;; esac

if ! command -v dotnet >/dev/null 2>&1; then
  echo "run.sh: the .NET SDK (dotnet) is required; see global.json for the version" >&2
  exit 1
fi
case " $* " in
  *" --help "*|*" -h "*) ;;   # only the usage: nothing to install
  *) ensure_edge_packages ;;
esac
echo "run.sh: building (Release)..." >&2
dotnet build src/GatewayAgent/GatewayAgent.csproj -c Release -nologo -v quiet
dotnet build src/GatewayAgent.Controller/GatewayAgent.Controller.csproj -c Release -nologo -v quiet
dotnet build src/GatewayAgent.Portal/GatewayAgent.Portal.csproj -c Release -nologo -v quiet
dotnet build src/GatewayAgent.Lab/GatewayAgent.Lab.csproj -c Release -nologo -v quiet
exec dotnet src/GatewayAgent.Lab/bin/Release/net10.0/gateway-lab.dll "$@"
