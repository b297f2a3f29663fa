#!/usr/bin/env bash
# Every command in the README's ```sh blocks is run here, or is run by .ci/run (checked by looking
# for it there): a README that lies fails the test suite. A command this script does not know fails
# too, so a new README command comes with its check.
#   tests/readme/check-readme.sh SOURCE_DIR BUILD_DIR
set -uo pipefail
src=$1
build=$2
readme=$src/README.md
ci=$src/.ci/run
sandbox=$(mktemp -d "${TMPDIR:-/tmp}/driftdeck-readme.XXXXXX")
trap 'rm -rf "$sandbox"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok:   $*"; }

# A private home: the demo writes under XDG_DATA_HOME, nothing of the user's is touched.
run_isolated() {
    env -i PATH="$PATH" HOME="$sandbox/home" XDG_DATA_HOME="$sandbox/data" XDG_CACHE_HOME="$sandbox/cache" \
        XDG_CONFIG_HOME="$sandbox/config" QT_QPA_PLATFORM=offscreen "$@"
}

in_ci() { grep -qF -- "$1" "$ci"; }

check() {
    local command=$1
    local binary=${command/#build\/dev/$build}
    case "$command" in
    "packaging/install-deps.sh" | "cmake --workflow --preset ci" | "cmake --workflow --preset asan" | \
        "tests/realkube/build.sh")
        in_ci "$command" && ok "$command (run by .ci/run)" || fail "$command is not in .ci/run" ;;
    "cmake --workflow --preset dev" | "cmake --preset dev" | "cmake --build --preset dev" | "ctest --preset dev")
        # CI builds and tests the same sources with the ci preset (warnings as errors); here the dev
        # presets must exist and configure.
        if [ -z "${dev_configured:-}" ]; then
            dev_configured=no
            (cd "$src" && cmake --list-presets=all) >"$sandbox/presets" 2>&1
            grep -q '"dev"' "$sandbox/presets" &&
                (cd "$src" && cmake --preset dev -B "$sandbox/dev-configure") >"$sandbox/configure.log" 2>&1 &&
                dev_configured=yes
        fi
        if [ "$dev_configured" = yes ]; then
            ok "$command (dev presets exist and configure; built and tested as ci by .ci/run)"
        else
            fail "$command: the dev preset does not configure"; tail -5 "$sandbox/configure.log" 2>/dev/null
        fi ;;
    "ctest --test-dir build/dev -L realkube")
        in_ci "cmake --workflow --preset ci" && ok "$command (the ci test preset runs the realkube label)" ||
            fail "$command: .ci/run runs no test preset" ;;
    "build/dev/app/driftdeck --demo")
        # env execs the program: $! is the program itself, so it can be stopped and waited for.
        env -i PATH="$PATH" HOME="$sandbox/home" XDG_DATA_HOME="$sandbox/data" XDG_CACHE_HOME="$sandbox/cache" \
            XDG_CONFIG_HOME="$sandbox/config" QT_QPA_PLATFORM=offscreen "$build/app/driftdeck" --demo \
            >"$sandbox/gui.log" 2>&1 &
        local pid=$!
        local alive=1
        for _ in $(seq 1 40); do
            [ -e "$sandbox/data/driftdeck/demo/workspace.yaml" ] && break
            kill -0 "$pid" 2>/dev/null || { alive=0; break; }
            sleep 0.25
        done
        sleep 2
        kill -0 "$pid" 2>/dev/null || alive=0
        kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
        if [ "$alive" = 1 ] && [ -e "$sandbox/data/driftdeck/demo/workspace.yaml" ]; then
            ok "$command (opened the demo offscreen and kept running)"
        else
            fail "$command"; tail -5 "$sandbox/gui.log"
        fi ;;
    "build/dev/app/driftdeck-cli --demo diff"*)
        run_isolated $binary >"$sandbox/out" 2>&1
        [ $? = 1 ] && ok "$command (exit 1: the demo drifts)" || { fail "$command"; tail -5 "$sandbox/out"; } ;;
    "build/dev/app/driftdeck-cli --demo"*)
        run_isolated $binary >"$sandbox/out" 2>&1
        [ $? = 0 ] && ok "$command" || { fail "$command"; tail -5 "$sandbox/out"; } ;;
    "tests/realkube/launch.sh run -- kubectl get nodes")
        if (cd "$src" && tests/realkube/launch.sh run -- kubectl get nodes) >"$sandbox/nodes" 2>&1 &&
            grep -q " Ready" "$sandbox/nodes"; then
            ok "$command (Ready nodes)"
        else
            fail "$command"; tail -5 "$sandbox/nodes"
        fi ;;
    "bench/run.sh")
        # The benchmark run takes tens of minutes on 2 cores: run by hand, its last figures are in
        # bench/RESULTS.md. Here: it parses its options (an unknown one is refused with its usage).
        (cd "$src" && bench/run.sh --no-such-option) >"$sandbox/bench" 2>&1
        if grep -q "usage: bench/run.sh" "$sandbox/bench"; then
            ok "$command (not run here: too long for CI; options checked)"
        else
            fail "$command: no usage"
        fi ;;
    *) fail "unknown README command, add its check to tests/readme/check-readme.sh: $command" ;;
    esac
}

# Commands: the lines of ```sh blocks, without comments, split at '&&'.
mapfile -t commands < <(awk '/^```sh/{inside=1; next} /^```/{inside=0} inside' "$readme" |
    sed -e 's/[[:space:]]*#.*$//' -e '/^[[:space:]]*$/d' | sed 's/[[:space:]]*&&[[:space:]]*/\n/g' |
    sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e 's/[[:space:]][[:space:]]*/ /g' | sort -u)
[ ${#commands[@]} -gt 0 ] || { echo "FAIL: no commands found in $readme"; exit 1; }
for command in "${commands[@]}"; do
    check "$command"
done
echo "${#commands[@]} README commands, $failures failing"
[ "$failures" = 0 ]
