#!/usr/bin/env bash
# End-to-end packaging test (ctest label "package"): build the DEB with cpack, check its computed Depends, unpack it
# with dpkg-deb and run the packaged sextant headless on a real capture, validate the desktop integration files,
# then check that `cmake --install` lays out the same tree. No network: appstreamcli runs with --no-net.
#
# usage: test_package.sh BUILD_DIR SHARED_DATA_DIR CMAKE CPACK
set -euo pipefail

build="$1"
data="$2"
cmake="$3"
cpack="$4"
app_id=org.sextant.Sextant
capture="$data/otlp-json/jaeger/pr9263_n_plus_one_full_concurrent.json"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
check() { # check DESCRIPTION COMMAND...
  local what="$1"; shift
  if "$@"; then echo "ok: $what"; else fail "$what"; fi
}
need_file() { [ -f "$1" ] || { echo "missing: $1" >&2; return 1; }; }

for tool in dpkg-deb dpkg-shlibdeps desktop-file-validate appstreamcli update-mime-database; do
  command -v "$tool" >/dev/null ||
    { echo "FAIL: $tool is not installed (installer/bootstrap.sh installs it)" >&2; exit 1; }
done
[ -f "$capture" ] || { echo "FAIL: shared capture $capture not found" >&2; exit 1; }

# Headless checks of one installed tree: --version, import of a real capture, exact counts from info.
check_tree() { # check_tree LABEL ROOT_WITH_BIN_AND_SHARE
  local label="$1" root="$2" exe="$2/bin/sextant" db="$tmp/$1.sextant" out
  check "$label: bin/sextant is executable" test -x "$exe"
  out="$("$exe" --version)" || fail "$label: sextant --version exited $?"
  echo "$out" | sed "s/^/  $label --version: /"
  check "$label: --version names the version" grep -Eq '^sextant [0-9]+\.[0-9]+\.[0-9]+' <<<"$out"
  check "$label: --version has the build information" grep -q '^Build: .*Qt 6' <<<"$out"
  check "$label: --version has the commit line" grep -q '^Commit: ' <<<"$out"
  "$exe" import "$capture" --db "$db" >"$tmp/$label-import.txt" 2>&1 ||
    { cat "$tmp/$label-import.txt"; fail "$label: import"; }
  out="$("$exe" info --db "$db" --json)" || fail "$label: info exited $?"
  check "$label: info counts of the imported capture" grep -q \
    '^{"traces": 1, "spans": 40, "services": 6, "logs": 0, "metrics": 0, "metric_points": 0,' <<<"$out"
  [ -n "$out" ] && echo "  $label info: $out"
  for f in "share/applications/$app_id.desktop" "share/metainfo/$app_id.metainfo.xml" \
           "share/mime/packages/$app_id.xml" "share/icons/hicolor/scalable/apps/$app_id.svg"; do
    check "$label: $f" need_file "$root/$f"
  done
  for size in 16 24 32 48 64 128 256 512; do
    local png="$root/share/icons/hicolor/${size}x${size}/apps/$app_id.png"
    check "$label: ${size}x${size} icon is a ${size}x${size} PNG" \
      grep -q "PNG image data, $size x $size" <<<"$(file "$png" 2>&1)"
  done
}

# 1. the DEB, built by cpack into a private directory (so a developer's own packages are left alone)
echo "== cpack -G DEB"
(cd "$build" && "$cpack" -G DEB -B "$tmp/cpack") >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; exit 1; }
debs=("$tmp"/cpack/*.deb)
[ -f "${debs[0]}" ] || { cat "$tmp/cpack.log"; echo "FAIL: cpack wrote no .deb" >&2; exit 1; }
deb="${debs[0]}"
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"
depends="$(dpkg-deb -f "$deb" Depends)"
version="$(dpkg-deb -f "$deb" Version)"
echo "Depends: $depends"
echo "Version: $version"
# Entries that only dpkg-shlibdeps can have produced: versioned library packages of Qt, protobuf and gRPC.
check "Depends has libqt6core6 (computed)" grep -Eq '(^|, )libqt6core6[a-z0-9]* \(>= ' <<<"$depends"
check "Depends has libqt6widgets6 (computed)" grep -Eq '(^|, )libqt6widgets6 \(>= ' <<<"$depends"
check "Depends has libqt6gui6 (computed)" grep -Eq '(^|, )libqt6gui6[a-z0-9]* \(>= ' <<<"$depends"
check "Depends has libprotobuf (computed)" grep -Eq '(^|, )libprotobuf[0-9]+ \(>= ' <<<"$depends"
check "Depends has libgrpc (computed)" grep -Eq '(^|, )libgrpc[+a-z0-9.]* \(>= ' <<<"$depends"
check "Depends has libsqlite3 (computed)" grep -Eq '(^|, )libsqlite3-0 \(>= ' <<<"$depends"

# 2. unpack it
dpkg-deb -x "$deb" "$tmp/root"
echo "== unpacked DEB"
check_tree deb "$tmp/root/usr"
deb_version_line="$("$tmp/root/usr/bin/sextant" --version | head -n1)"
check "package Version matches sextant --version" test "$deb_version_line" = "sextant $version"

# 3. desktop integration files, validated by the freedesktop tools
desktop="$tmp/root/usr/share/applications/$app_id.desktop"
check "desktop-file-validate" desktop-file-validate "$desktop"
check "appstreamcli validate --no-net" \
  appstreamcli validate --no-net "$tmp/root/usr/share/metainfo/$app_id.metainfo.xml"
check "desktop Exec opens files (%F)" grep -qx 'Exec=sextant %F' "$desktop"
check "desktop MimeType lists captures and JSON" \
  grep -Eq '^MimeType=(.*;)?application/x-sextant-capture;(.*;)?application/json;' "$desktop"
check "desktop Icon is the installed icon name" grep -qx "Icon=$app_id" "$desktop"
mkdir -p "$tmp/mime/packages"
cp "$tmp/root/usr/share/mime/packages/$app_id.xml" "$tmp/mime/packages/"
check "update-mime-database accepts the MIME package" env XDG_DATA_DIRS="$tmp" update-mime-database "$tmp/mime"
check "MIME database has application/x-sextant-capture" need_file "$tmp/mime/application/x-sextant-capture.xml"
check "MIME glob *.sextant" grep -q 'application/x-sextant-capture:\*\.sextant' "$tmp/mime/globs2"
check "MIME magic: application_id at byte 68" grep -aq 'application/x-sextant-capture' "$tmp/mime/magic"

# 4. cmake --install into a prefix
echo "== cmake --install"
"$cmake" --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; exit 1; }
check_tree install "$tmp/prefix"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all packaging checks passed"
