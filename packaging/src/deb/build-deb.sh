#!/usr/bin/env bash
# Builds spec-kitty_<version>_all.deb from the unpacked distribution, when dpkg-deb is available
# (otherwise says so and succeeds: the tarball is the portable artifact).
# Usage: build-deb.sh DIST_DIR VERSION OUT_DIR
set -euo pipefail
dist=$1; version=$2; out=$3
if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "packaging: dpkg-deb not found; skipping the Debian package (the tarball is in $out)"
  exit 0
fi
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/opt/spec-kitty" "$stage/usr/bin" "$stage/DEBIAN"
cp -a "$dist/." "$stage/opt/spec-kitty/"
# The CDS archives record the build's class path; they would only be ignored under /opt.
rm -f "$stage/opt/spec-kitty/lib/cli.jsa" "$stage/opt/spec-kitty/lib/daemon.jsa"
# The reference docs where Debian keeps them too (every help page names <install>/docs/CLI.md).
mkdir -p "$stage/usr/share/doc"
ln -s /opt/spec-kitty/docs "$stage/usr/share/doc/spec-kitty"
for launcher in spec-kitty spec-kitty-server spec-kitty-quickstart; do
  ln -s "/opt/spec-kitty/bin/$launcher" "$stage/usr/bin/$launcher"
done
size=$(du -sk "$stage/opt" | cut -f1)
cat > "$stage/DEBIAN/control" <<CONTROL
Package: spec-kitty
Version: $version
Architecture: all
Maintainer: spec-kitty sync developers <dev@spec-kitty.invalid>
Installed-Size: $size
Depends: openjdk-17-jre-headless | java17-runtime-headless | default-jre-headless (>= 2:1.17)
Section: devel
Priority: optional
Homepage: https://github.com/Priivacy-ai/spec-kitty
Description: offline-first sync for spec-kitty events
 A daemon that queues spec-kitty work events locally and syncs them with a
 team server whenever the network allows, the spec-kitty CLI, and the
 reference team server (spec-kitty-server).
CONTROL
dpkg-deb --root-owner-group --build "$stage" "$out/spec-kitty_${version}_all.deb" >/dev/null
echo "packaging: built $out/spec-kitty_${version}_all.deb"
