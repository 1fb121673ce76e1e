#!/usr/bin/env bash
# install.sh - installs gateway-agent from the tarball (or a publish folder) without dpkg; safe to run again.
#
#   sudo systemd/install.sh [--from DIR] [--prefix DIR] [--bindir DIR] [--destdir DIR] [--no-start]
#   sudo systemd/install.sh --uninstall [--purge] [--prefix DIR] [--bindir DIR] [--destdir DIR]
#
#   --from DIR     the publish folder to install (default: ../bin beside this script, as in the tarball: the
#                  Native AOT executable, appsettings.json, pinmaps/)
#   --prefix DIR   where the binaries go (default /opt/gateway-agent); the unit's ExecStart points there
#   --bindir DIR   where the gateway-agent command link goes (default /usr/local/bin)
#   --destdir DIR  install into a scratch root (packaging, tests): no users, no systemctl, no udevadm
#   --no-start     enable the service but do not (re)start it (a running agent is still stopped before its files
#                  are replaced, and stays stopped)
#   --uninstall    stop and remove the service, binaries, link, udev rules; keeps the configuration and state
#   --purge        with --uninstall: also remove /etc/gateway-agent and /var/lib/gateway-agent
#
# Does what the .deb does: the gateway-agent system user in groups gpio and i2c, the unit in
# /etc/systemd/system, the udev rules in /etc/udev/rules.d, /etc/gateway-agent/agent.json (only when absent;
# 0640 root:gateway-agent), daemon-reload, enable; the service starts once the configuration is provisioned. A
# running agent is stopped before any file is replaced and started again at the end.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FROM="$HERE/../bin"
PREFIX=/opt/gateway-agent
BINDIR=/usr/local/bin
DESTDIR=${DESTDIR:-}
UNINSTALL=0
PURGE=0
START=1
while [ $# -gt 0 ]; do
    case "$1" in
        --from) FROM=$2; shift 2 ;;
        --prefix) PREFIX=$2; shift 2 ;;
        --bindir) BINDIR=$2; shift 2 ;;
        --destdir) DESTDIR=$2; shift 2 ;;
        --no-start) START=0; shift ;;
        --uninstall) UNINSTALL=1; shift ;;
        --purge) PURGE=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
case "$PREFIX" in /*) ;; *) echo "install.sh: --prefix must be absolute" >&2; exit 2 ;; esac
case "$BINDIR" in /*) ;; *) echo "install.sh: --bindir must be absolute" >&2; exit 2 ;; esac

UNIT="$DESTDIR/etc/systemd/system/gateway-agent.service"
RULES="$DESTDIR/etc/udev/rules.d/99-gateway-agent.rules"
CONFIG_DIR="$DESTDIR/etc/gateway-agent"
CONFIG="$CONFIG_DIR/agent.json"
LINK="$DESTDIR$BINDIR/gateway-agent"
TARGET="$DESTDIR$PREFIX"

# INSTALL_SH_SYSTEMCTL: a stand-in for systemctl, taken as a running systemd even with --destdir (the tests record
# the order of stop, file replacement and restart with it).
SYSTEMCTL=${INSTALL_SH_SYSTEMCTL:-systemctl}

log() { echo "install.sh: $*" >&2; }
live() { [ -z "$DESTDIR" ]; }
systemd_running() {
    [ -n "${INSTALL_SH_SYSTEMCTL:-}" ] && return 0
    live && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1
}
udev_running() { live && [ -d /run/udev ] && command -v udevadm >/dev/null 2>&1; }

if live && [ "$(id -u)" -ne 0 ]; then
    log "run as root (or give --destdir for a scratch root)"
    exit 1
fi

if [ "$UNINSTALL" = 1 ]; then
    if systemd_running; then
        "$SYSTEMCTL" disable --now gateway-agent.service >/dev/null 2>&1 || true
    fi
    rm -f "$UNIT" "$RULES" "$LINK" "$DESTDIR/etc/systemd/system/multi-user.target.wants/gateway-agent.service"
    rm -rf "$TARGET"
    if [ "$PURGE" = 1 ]; then
        rm -rf "$CONFIG_DIR" "$DESTDIR/var/lib/gateway-agent"
    fi
    if systemd_running; then "$SYSTEMCTL" daemon-reload; fi
    if udev_running; then udevadm control --reload-rules || true; fi
    log "removed gateway-agent$([ "$PURGE" = 1 ] && echo ", its configuration and state" || echo "; kept /etc/gateway-agent and /var/lib/gateway-agent")"
    exit 0
fi

[ -x "$FROM/gateway-agent" ] || { log "$FROM/gateway-agent not found: give --from the publish folder"; exit 1; }
FROM=$(cd "$FROM" && pwd)

# Users and groups first: the files below are given to them.
if live; then
    for group in gpio i2c; do
        getent group "$group" >/dev/null || groupadd --system "$group"
    done
    if ! getent passwd gateway-agent >/dev/null; then
        useradd --system --user-group --home-dir /var/lib/gateway-agent --no-create-home \
            --shell /usr/sbin/nologin --comment "GatewayAgent probe-call answerer" gateway-agent
    fi
    usermod -a -G gpio,i2c gateway-agent
fi

# Stop a running agent before any of its files is replaced, as the .deb's prerm does: the running .NET process would
# otherwise load assemblies of the new version beside those of the old one (and read the new unit and rules with the
# old binary). The new version is started at the end.
WAS_ACTIVE=0
if systemd_running && "$SYSTEMCTL" is-active --quiet gateway-agent.service; then
    log "stopping gateway-agent before replacing its files"
    "$SYSTEMCTL" stop gateway-agent.service
    WAS_ACTIVE=1
fi

# Binaries: copy beside, then swap, so a failed copy leaves the old version in place.
install -d -m 0755 "$(dirname "$TARGET")"
rm -rf "$TARGET.new" "$TARGET.old"
cp -R "$FROM/." "$TARGET.new/"
find "$TARGET.new" -type d -exec chmod 0755 {} +
find "$TARGET.new" -type f -exec chmod 0644 {} +
chmod 0755 "$TARGET.new/gateway-agent"
[ ! -f "$TARGET.new/createdump" ] || chmod 0755 "$TARGET.new/createdump"
if [ -e "$TARGET" ]; then mv "$TARGET" "$TARGET.old"; fi
mv "$TARGET.new" "$TARGET"
rm -rf "$TARGET.old"

install -d -m 0755 "$DESTDIR$BINDIR"
ln -sfn "$PREFIX/gateway-agent" "$LINK"

install -d -m 0755 "$(dirname "$UNIT")" "$(dirname "$RULES")"
sed "s|^ExecStart=/usr/bin/gateway-agent |ExecStart=$PREFIX/gateway-agent |" "$HERE/gateway-agent.service" > "$UNIT.tmp"
chmod 0644 "$UNIT.tmp"
mv "$UNIT.tmp" "$UNIT"
install -m 0644 "$HERE/99-gateway-agent.rules" "$RULES"

install -d -m 0750 "$CONFIG_DIR"
if [ ! -e "$CONFIG" ]; then
    install -m 0640 "$HERE/packaging/agent.json" "$CONFIG"
fi
if live; then
    chown root:gateway-agent "$CONFIG_DIR" "$CONFIG"
    chmod 0640 "$CONFIG"
fi

if udev_running; then
    udevadm control --reload-rules || true
    udevadm trigger --subsystem-match=gpio --subsystem-match=i2c-dev || true
fi
if live && command -v systemctl >/dev/null 2>&1; then
    systemctl enable gateway-agent.service >/dev/null 2>&1 || true
fi
if systemd_running; then
    "$SYSTEMCTL" daemon-reload
    if grep -q '^// unprovisioned' "$CONFIG"; then
        log "installed; not started: write the settings with 'gateway-agent provision ...', check with 'gateway-agent doctor', then 'systemctl start gateway-agent'"
    elif [ "$START" = 1 ]; then
        "$SYSTEMCTL" restart gateway-agent.service
        log "installed and (re)started"
    elif [ "$WAS_ACTIVE" = 1 ]; then
        log "installed; the agent was stopped for the upgrade and stays stopped (--no-start): 'systemctl start gateway-agent'"
    fi
else
    log "installed into ${DESTDIR:-/}$([ -n "$DESTDIR" ] && echo " (scratch root: no user, systemctl or udev changes)")"
fi
