#!/usr/bin/env bash
# The main job on embedded defaults: builds the agent and runs it answering probe calls on this machine.
#   ./run.sh                      # SIP on udp+tcp 127.0.0.1:5060, monitoring number 0312345678
#   ./run.sh --Agent:Sip:Channels=4 --Agent:Sip:AnswerDelay=00:00:01   # any configuration override
# Try it from another terminal:  sipp -sn uac -s 0312345678 127.0.0.1:5060 -m 10 -l 2
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "run.sh: the .NET SDK (dotnet) is required; see global.json for the version" >&2
  exit 1
fi

dotnet build src/GatewayAgent -c Release -nologo -v quiet
dotnet src/GatewayAgent/bin/Release/net10.0/gateway-agent.dll run \
  --Agent:Sip:Listen:0=udp:127.0.0.1:5060 \
  --Agent:Sip:Listen:1=tcp:127.0.0.1:5060 \
  --Agent:Sip:MonitorNumbers:0=0312345678 \
  "$@"
