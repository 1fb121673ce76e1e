#!/usr/bin/env bash
# The main job on embedded defaults: the lab. Builds everything, then starts gateway-controller (embedded MQTT
# broker, SQLite store, SMTP sink writing .eml files) and N simulated sites (real gateway-agent processes on
# simulated boards answering real SIP probes on loopback), with a live view and commands that cut a site's power
# or WAN. Probes every 10 s, so a cut shows as a failure (and a mail) within half a minute.
#   ./run.sh                          # 3 sites, data in ./lab-data (kept between runs; --fresh starts over)
#   ./run.sh --sites 5 --interval 5   # see ./run.sh --help for every option
# In the view:  power 2 off  ·  wan 1 off  ·  restore 2  ·  mails  ·  quit
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "run.sh: the .NET SDK (dotnet) is required; see global.json for the version" >&2
  exit 1
fi
echo "run.sh: building (Release)..." >&2
dotnet build src/GatewayAgent/GatewayAgent.csproj -c Release -nologo -v quiet
dotnet build src/GatewayAgent.Controller/GatewayAgent.Controller.csproj -c Release -nologo -v quiet
dotnet build src/GatewayAgent.Lab/GatewayAgent.Lab.csproj -c Release -nologo -v quiet
exec dotnet src/GatewayAgent.Lab/bin/Release/net10.0/gateway-lab.dll "$@"
