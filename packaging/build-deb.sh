#!/usr/bin/env bash
# Builds the Debian package, checks it with lintian (errors fail, warnings are listed), unpacks it
# into a throw-away root and runs driftdeck-cli from there: --version, then `--demo status` with HOME
# and the XDG directories in a temporary directory, so nothing outside it is read or written.
#
#   packaging/build-deb.sh              configure and build the Release preset `package`, then package
#   packaging/build-deb.sh BUILD_DIR    package an already built tree (CI reuses build/ci: the same
#                                       -O2 -g Debian compiles with; CPack strips the binaries)
# The .deb is left in BUILD_DIR/deb/. docs/packaging.md says more.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source_dir=$PWD

step_start=$SECONDS
step() { echo "build-deb: $1 ($((SECONDS - step_start)) s so far)"; }

if [ $# -ge 1 ]; then
    build_dir=$(cd "$1" && pwd)
    # Re-run the configure step so the CPack configuration and install rules are current.
    cmake "$build_dir" >/dev/null
else
    build_dir=$source_dir/build/package
    cmake --preset package >/dev/null
fi
# Only what the package installs: the three programs and the generated icons, man pages, changelog.
nice -n 5 cmake --build "$build_dir" --target driftdeck driftdeck-cli kubesim driftdeck_packaging_files \
    -- -j"${DRIFTDECK_JOBS:-2}"
step "built"

rm -rf "$build_dir/deb"
# cpack's install step builds `all` first: nothing more in the preset `package` (no tests, no
# benchmarks), and nothing left to build in a tree the CI workflow has just built and tested.
(cd "$build_dir" && cpack -G DEB -B "$build_dir/deb" >"$build_dir/deb-cpack.log") || {
    cat "$build_dir/deb-cpack.log" >&2
    exit 1
}
deb=$(ls "$build_dir"/deb/driftdeck_*.deb)
step "packaged $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"
dpkg-deb --field "$deb" Package Version Architecture Installed-Size Depends Suggests

# Lintian: a tag of severity error fails the build; warnings and info are printed for the reader.
lintian_log=$build_dir/deb/lintian.txt
if ! lintian --fail-on error --display-level '>=info' --tag-display-limit 0 "$deb" >"$lintian_log" 2>&1; then
    cat "$lintian_log"
    echo "build-deb: lintian reports errors on $(basename "$deb")" >&2
    exit 1
fi
# lintian warns that it runs as root on CI's machine; that line is not about the package.
grep -v 'running with root privileges' "$lintian_log" || true
echo "build-deb: lintian: $(grep -c '^E: ' "$lintian_log" || true) errors, $(grep -c '^W: ' "$lintian_log" || true) warnings, $(grep -c '^I: ' "$lintian_log" || true) info"
step "lintian done"

# Install into a throw-away root and run the installed CLI from there, away from the source tree.
scratch=$(mktemp -d /tmp/driftdeck-deb.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
dpkg -x "$deb" "$scratch/root"
mkdir -p "$scratch/home"
cli=$scratch/root/usr/bin/driftdeck-cli
run_installed() {
    (cd "$scratch" && env -i PATH=/usr/bin:/bin HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/home/.config" \
        XDG_DATA_HOME="$scratch/home/.local/share" XDG_CACHE_HOME="$scratch/home/.cache" \
        XDG_RUNTIME_DIR="$scratch/home/run" QT_QPA_PLATFORM=offscreen "$@")
}
mkdir -p -m 700 "$scratch/home/run"
version=$(sed -n 's/^project(Driftdeck//; s/^ *VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt | head -n1)
got=$(run_installed "$cli" --version)
echo "$got"
if [ "$got" != "driftdeck-cli $version" ]; then
    echo "build-deb: the installed driftdeck-cli --version says '$got', expected 'driftdeck-cli $version'" >&2
    exit 1
fi
# The binaries must not find anything in the build tree: no RUNPATH, no file from the checkout.
if readelf -d "$scratch"/root/usr/bin/* | grep -E 'RPATH|RUNPATH'; then
    echo "build-deb: an installed binary carries a library search path" >&2
    exit 1
fi
run_installed "$cli" --demo status
test -f "$scratch/home/.local/share/driftdeck/demo/.driftdeck-demo" || {
    echo "build-deb: the demo fleet was not made under the temporary HOME" >&2
    exit 1
}
run_installed "$scratch/root/usr/bin/kubesim" --version
run_installed "$scratch/root/usr/bin/driftdeck" --version
step "the installed driftdeck-cli ran (--version, --demo status)"
echo "build-deb: $deb"
