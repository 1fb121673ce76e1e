#!/usr/bin/env bash
# build-deb.sh - builds the gateway-agent .deb and the tarball for install.sh.
#
#   systemd/packaging/build-deb.sh [-r linux-arm64|linux-x64] [-o OUTDIR] [--publish-dir DIR] [--version X.Y.Z]
#
#   -r RID            runtime to publish for (default linux-arm64; linux-x64 for amd64 boxes and tests)
#   -o OUTDIR         where the packages go (default out/packages)
#   --publish-dir DIR use an existing Native AOT publish (`dotnet publish -r RID -p:PublishAot=true`) instead of publishing
#   --version X.Y.Z   package version (default: <Version> in Directory.Build.props)
#   --compression C   xz (default, smallest download) or gzip (fast, for tests)
#
# The agent is published with Native AOT (bench/RESULTS.md §23): one native executable, no .NET runtime on the box.
# linux-arm64 is cross-compiled on an x64 host; that needs, from Debian:
#   clang lld gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross
# (linux-x64 on an x64 host: clang). The script names the missing ones before it publishes.
#
# Produces OUTDIR/gateway-agent_VERSION_ARCH.deb (dpkg-deb, files owned by root),
# OUTDIR/gateway-agent_VERSION_RID.tar.gz (bin/ + systemd/install.sh and the files it installs) and
# OUTDIR/gateway-agent_VERSION_ARCH.dbg, the executable's debug symbols, which neither package carries (for crash
# analysis of that exact build: `gdb -s gateway-agent_VERSION_ARCH.dbg /opt/gateway-agent/gateway-agent core`).
# Layout of the .deb:
#   /opt/gateway-agent/            the Native AOT publish (gateway-agent, appsettings.json, pinmaps/)
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

# Native AOT compiles with clang and links for the target: on an x64 host, linux-arm64 is cross-compiled with lld
# against Debian's arm64 cross libc (no SysRoot: clang finds /usr/aarch64-linux-gnu itself) and stripped with the
# aarch64 objcopy.
aot_publish() {
    local host cross=() missing=()
    host=$(uname -m)
    case "$RID:$host" in
        linux-x64:x86_64|linux-arm64:aarch64) ;;
        linux-arm64:x86_64)
            cross=(-p:LinkerFlavor=lld -p:ObjCopyName=aarch64-linux-gnu-objcopy)
            command -v ld.lld >/dev/null 2>&1 || missing+=(lld)
            command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || missing+=(gcc-aarch64-linux-gnu)
            command -v aarch64-linux-gnu-objcopy >/dev/null 2>&1 || missing+=(binutils-aarch64-linux-gnu)
            [ -e /usr/aarch64-linux-gnu/lib/libc.so ] || missing+=(libc6-dev-arm64-cross)
            ;;
        *) echo "build-deb.sh: cannot build $RID on a $host host (linux-x64 on x86_64; linux-arm64 on x86_64 or aarch64)" >&2; exit 2 ;;
    esac
    command -v clang >/dev/null 2>&1 || missing=(clang "${missing[@]}")
    if [ ${#missing[@]} -gt 0 ]; then
        echo "build-deb.sh: the Native AOT publish for $RID needs: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    echo "build-deb.sh: dotnet publish -r $RID -p:PublishAot=true ${cross[*]}" >&2
    dotnet publish "$ROOT/src/GatewayAgent" -c Release -r "$RID" -p:PublishAot=true "${cross[@]}" \
        -o "$WORK/publish" -nologo -v quiet >&2
}

if [ -z "$PUBLISH" ]; then
    aot_publish
    PUBLISH="$WORK/publish"
fi
[ -x "$PUBLISH/gateway-agent" ] || { echo "build-deb.sh: $PUBLISH/gateway-agent is not an executable publish output" >&2; exit 1; }
# The package's Depends are those of the Native AOT executable: a runtime-based publish would need more.
if [ -e "$PUBLISH/gateway-agent.dll" ] || compgen -G "$PUBLISH/libcoreclr.so" >/dev/null; then
    echo "build-deb.sh: $PUBLISH is not a Native AOT publish (it has gateway-agent.dll or libcoreclr.so): publish with -p:PublishAot=true" >&2
    exit 1
fi

# ---------------------------------------------------------------- .deb ---
STAGE="$WORK/deb"
install -d -m 0755 "$STAGE/opt/gateway-agent" "$STAGE/usr/bin" "$STAGE/lib/systemd/system" "$STAGE/lib/udev/rules.d" \
    "$STAGE/usr/share/doc/gateway-agent" "$STAGE/DEBIAN"
install -d -m 0750 "$STAGE/etc/gateway-agent"
cp -R "$PUBLISH/." "$STAGE/opt/gateway-agent/"
# The debug symbols (as large again as the executable) stay beside the packages, not on the box.
DBG="$OUT/gateway-agent_${VERSION}_${ARCH}.dbg"
rm -f "$DBG"
[ ! -f "$STAGE/opt/gateway-agent/gateway-agent.dbg" ] || mv "$STAGE/opt/gateway-agent/gateway-agent.dbg" "$DBG"
# The referenced projects' .pdb and XML documentation files are compiled into the executable: nothing reads them.
find "$STAGE/opt/gateway-agent" -maxdepth 1 -type f \( -name '*.pdb' -o -name '*.xml' \) -delete
find "$STAGE/opt/gateway-agent" -type d -exec chmod 0755 {} +
find "$STAGE/opt/gateway-agent" -type f -exec chmod 0644 {} +
chmod 0755 "$STAGE/opt/gateway-agent/gateway-agent"
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
# Depends from what the native files link: the C library only (libssl is loaded at run time, for MQTT over TLS),
# at the newest glibc symbol version they use (readelf reads either architecture's ELF).
LIBC=""
while IFS= read -r -d '' elf; do
    head -c 4 "$elf" | grep -q $'\x7fELF' || continue
    while read -r lib; do
        case "$lib" in
            libc.so.6|libm.so.6|ld-linux-*.so.*) ;;
            *) echo "build-deb.sh: ${elf#"$STAGE"} links $lib, which the package's Depends do not name" >&2; exit 1 ;;
        esac
    done < <(readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
    LIBC=$(printf '%s\n' "$LIBC" $(readelf -W --version-info "$elf" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//') | sed '/^$/d' | sort -V | tail -n 1)
done < <(find "$STAGE/opt/gateway-agent" -type f -print0)
[ -n "$LIBC" ] || { echo "build-deb.sh: no glibc version found in the executable" >&2; exit 1; }
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: gateway-agent
Version: $VERSION
Architecture: $ARCH
Maintainer: GatewayAgent maintainers <gateway-agent@example.invalid>
Installed-Size: $SIZE
Depends: libc6 (>= $LIBC), libssl3 | libssl1.1, passwd
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
[ ! -f "$DBG" ] || echo "$DBG"
