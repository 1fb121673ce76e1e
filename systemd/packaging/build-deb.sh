#!/usr/bin/env bash
# build-deb.sh - builds the gateway-agent .deb and the tarball for install.sh.
#
#   systemd/packaging/build-deb.sh [-r linux-arm64|linux-x64] [-o OUTDIR] [--publish-dir DIR] [--version X.Y.Z]
#
#   -r RID            runtime to publish for (default linux-arm64; linux-x64 for amd64 boxes and tests)
#   -o OUTDIR         where the packages go (default out/packages)
#   --publish-dir DIR use an existing `dotnet publish -r RID --self-contained` output instead of publishing
#   --version X.Y.Z   package version (default: <Version> in Directory.Build.props)
#   --compression C   xz (default, smallest download) or gzip (fast, for tests)
#
# Produces OUTDIR/gateway-agent_VERSION_ARCH.deb (dpkg-deb, files owned by root) and
# OUTDIR/gateway-agent_VERSION_RID.tar.gz (bin/ + systemd/install.sh and the files it installs).
# Layout of the .deb:
#   /opt/gateway-agent/            the self-contained publish (gateway-agent, its libraries, appsettings.json, pinmaps/)
#   /usr/bin/gateway-agent         -> /opt/gateway-agent/gateway-agent
#   /lib/systemd/system/gateway-agent.service
#   /lib/udev/rules.d/99-gateway-agent.rules
#   /etc/gateway-agent/agent.json  conffile, the unprovisioned default (0640 root:gateway-agent after postinst)
#   /usr/share/doc/gateway-agent/README.md
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RID=linux-arm64
OUT="$ROOT/out/packages"
PUBLISH=""
VERSION=""
COMPRESSION=xz
while [ $# -gt 0 ]; do
    case "$1" in
        -r|--runtime) RID=$2; shift 2 ;;
        -o|--output) OUT=$2; shift 2 ;;
        --publish-dir) PUBLISH=$2; shift 2 ;;
        --version) VERSION=$2; shift 2 ;;
        --compression) COMPRESSION=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "build-deb.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

case "$RID" in
    linux-arm64) ARCH=arm64 ;;
    linux-x64) ARCH=amd64 ;;
    *) echo "build-deb.sh: unsupported runtime '$RID' (linux-arm64 or linux-x64)" >&2; exit 2 ;;
esac
if [ -z "$VERSION" ]; then
    VERSION=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$ROOT/Directory.Build.props" | head -n 1)
fi
[ -n "$VERSION" ] || { echo "build-deb.sh: no version" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

if [ -z "$PUBLISH" ]; then
    echo "build-deb.sh: dotnet publish -r $RID --self-contained" >&2
    dotnet publish "$ROOT/src/GatewayAgent" -c Release -r "$RID" --self-contained -o "$WORK/publish" -nologo -v quiet >&2
    PUBLISH="$WORK/publish"
fi
[ -x "$PUBLISH/gateway-agent" ] || { echo "build-deb.sh: $PUBLISH/gateway-agent is not an executable publish output" >&2; exit 1; }

# ---------------------------------------------------------------- .deb ---
STAGE="$WORK/deb"
install -d -m 0755 "$STAGE/opt/gateway-agent" "$STAGE/usr/bin" "$STAGE/lib/systemd/system" "$STAGE/lib/udev/rules.d" \
    "$STAGE/usr/share/doc/gateway-agent" "$STAGE/DEBIAN"
install -d -m 0750 "$STAGE/etc/gateway-agent"
cp -R "$PUBLISH/." "$STAGE/opt/gateway-agent/"
find "$STAGE/opt/gateway-agent" -type d -exec chmod 0755 {} +
find "$STAGE/opt/gateway-agent" -type f -exec chmod 0644 {} +
chmod 0755 "$STAGE/opt/gateway-agent/gateway-agent"
[ ! -f "$STAGE/opt/gateway-agent/createdump" ] || chmod 0755 "$STAGE/opt/gateway-agent/createdump"
ln -s /opt/gateway-agent/gateway-agent "$STAGE/usr/bin/gateway-agent"
install -m 0644 "$ROOT/systemd/gateway-agent.service" "$STAGE/lib/systemd/system/gateway-agent.service"
install -m 0644 "$ROOT/systemd/99-gateway-agent.rules" "$STAGE/lib/udev/rules.d/99-gateway-agent.rules"
install -m 0640 "$ROOT/systemd/packaging/agent.json" "$STAGE/etc/gateway-agent/agent.json"
install -m 0644 "$ROOT/systemd/README.md" "$STAGE/usr/share/doc/gateway-agent/README.md"
for script in postinst prerm postrm; do
    install -m 0755 "$ROOT/systemd/packaging/$script" "$STAGE/DEBIAN/$script"
done
echo /etc/gateway-agent/agent.json > "$STAGE/DEBIAN/conffiles"
chmod 0644 "$STAGE/DEBIAN/conffiles"
SIZE=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: gateway-agent
Version: $VERSION
Architecture: $ARCH
Maintainer: GatewayAgent maintainers <gateway-agent@example.invalid>
Installed-Size: $SIZE
Depends: libc6 (>= 2.31), libgcc-s1, libstdc++6, libssl3 | libssl1.1, passwd
Recommends: libgpiod2 | libgpiod3, systemd
Section: net
Priority: optional
Description: GatewayAgent probe-call answerer for the office adapter
 Answers the carrier's SIP probe calls to the site's monitoring number on the
 adapter's WAN-side leg, watches power, battery (INA219) and link, drives the
 status LEDs and reports to the controller over MQTT. Runs as the systemd
 service gateway-agent (user gateway-agent, groups gpio and i2c).
 Configure with: gateway-agent provision; check with: gateway-agent doctor.
CONTROL
chmod 0644 "$STAGE/DEBIAN/control"
DEB="$OUT/gateway-agent_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Z"$COMPRESSION" --build "$STAGE" "$DEB" >&2

# ------------------------------------------------------------- tarball ---
NAME="gateway-agent-$VERSION"
TREE="$WORK/tar/$NAME"
install -d -m 0755 "$TREE/bin" "$TREE/systemd/packaging"
cp -R "$STAGE/opt/gateway-agent/." "$TREE/bin/"
install -m 0755 "$ROOT/systemd/install.sh" "$TREE/systemd/install.sh"
install -m 0644 "$ROOT/systemd/gateway-agent.service" "$ROOT/systemd/99-gateway-agent.rules" "$ROOT/systemd/README.md" "$TREE/systemd/"
install -m 0644 "$ROOT/systemd/packaging/agent.json" "$TREE/systemd/packaging/agent.json"
TARBALL="$OUT/gateway-agent_${VERSION}_${RID}.tar.gz"
tar -C "$WORK/tar" --owner=0 --group=0 -czf "$TARBALL" "$NAME"

echo "$DEB"
echo "$TARBALL"
