#!/usr/bin/env bash
# The one script behind the README's two commands.
#   bash installer/bootstrap.sh run    install what is missing, build, start Sextant (window; cache in the user's
#                                      data directory)
#   bash installer/bootstrap.sh test   install what is missing, build, run the whole test suite (benchmarks excluded)
#   bash installer/bootstrap.sh bench  install, build, run the benchmarks only (ctest label "bench")
# Idempotent: when every package is present it only checks (a few seconds) and rebuilds incrementally.
set -euo pipefail

mode="${1:-run}"
shift || true
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$(cd "$here/.." && pwd)"
build="${SEXTANT_BUILD_DIR:-$src/build}"

packages=(
  cmake g++ ninja-build ccache pkg-config
  qt6-base-dev libqt6sql6-sqlite qt6-svg-dev qt6-httpserver-dev qt6-websockets-dev
  libqcustomplot-dev libqcustomplot2.1-qt6
  libprotobuf-dev protobuf-compiler libgrpc++-dev protobuf-compiler-grpc
  libsqlite3-dev libgraphviz-dev libsimdjson-dev zlib1g-dev
  xvfb xauth
  # packaging: cpack's DEB (dpkg-shlibdeps, file) and the validators of tests/package
  dpkg-dev file desktop-file-utils appstream shared-mime-info
  # report tests turn PDFs into PNG pages (pdftoppm)
  poppler-utils
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "bootstrap: run as root (or install sudo) to install packages" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ccache hits across clones at different paths (CI builds a fresh clone each run): hash paths relative to the
# source tree, not the absolute working directory that -g would otherwise pull into the hash.
export CCACHE_BASEDIR="$src" CCACHE_NOHASHDIR=true

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" -j"$(nproc)"

case "$mode" in
  run)
    exec "$build/app/sextant" "$@"
    ;;
  test)
    cd "$build"
    exec ctest --output-on-failure --label-exclude bench -j"$(nproc)" "$@"
    ;;
  bench)
    cd "$build"
    exec ctest --output-on-failure --verbose --label-regex bench "$@"
    ;;
  *)
    echo "usage: bootstrap.sh run|test|bench [args]" >&2
    exit 2
    ;;
esac
