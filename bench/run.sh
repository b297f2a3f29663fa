#!/usr/bin/env bash
# Runs every benchmark and writes bench/RESULTS.md and bench/growth.png (raw figures: bench/results/).
#   bench/run.sh [--preset bench] [--sizes "1k 5k 20k 50k"] [--skip-build] [--skip-micro] [--modes "cli gui"]
# A size or mode left out keeps its earlier figures in bench/results/.
# Sizes: 1k = 5 clusters x 5 apps x 40 resources, 5k = 5x25x40, 20k = 10x50x40, 50k = 10x125x40.
# Everything runs on loopback under temporary directories; each program is bounded by `timeout`.
# When tests/realkube/build.sh has built the real control plane, the 1k fleet also runs on it
# (CLI engine, one cluster of 25 apps x 40 resources, bench_fleet --backend realkube inside
# `tests/realkube/launch.sh run`): bench/results/fleet-1k-realkube.json.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PRESET=bench
SIZES="1k 5k 20k 50k"
BUILD_STEP=1
MICRO=1
MODES="cli gui"
while (($#)); do
    case $1 in
    --preset) PRESET=$2; shift 2 ;;
    --sizes) SIZES=$2; shift 2 ;;
    --skip-build) BUILD_STEP=0; shift ;;
    --skip-micro) MICRO=0; shift ;;
    --modes) MODES=$2; shift 2 ;;
    *) echo "usage: bench/run.sh [--preset NAME] [--sizes \"1k 5k 20k 50k\"] [--skip-build] [--skip-micro] [--modes \"cli gui\"]" >&2; exit 2 ;;
    esac
done
BUILD=$ROOT/build/$PRESET
OUT=$ROOT/bench/results
mkdir -p "$OUT"
NICE=(nice -n 10)

if ((BUILD_STEP)); then
    cmake --preset "$PRESET" -S "$ROOT" >/dev/null
    "${NICE[@]}" ninja -C "$BUILD" -j2 driftdeck-cli kubesim bench_fleet bench_micro bench_yaml bench_diff bench_kubesim
fi

python3 - "$OUT/machine.json" "$PRESET" "$BUILD" <<'PY'
import json, os, platform, subprocess, sys, datetime
def sh(*cmd):
    try: return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception: return ""
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
cache = sh("grep", "CMAKE_BUILD_TYPE:", os.path.join(sys.argv[3], "CMakeCache.txt"))
json.dump({"date": datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC"),
           "commit": sh("git", "rev-parse", "--short", "HEAD") + (" (dirty)" if sh("git", "status", "--porcelain", "--untracked-files=no") else ""),
           "cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(int(mem) / 1048576, 1),
           "kernel": platform.release(), "load_average_at_start": os.getloadavg(),
           "preset": sys.argv[2], "build_type": cache.split("=", 1)[-1],
           "kubectl": sh("kubectl", "version", "--client", "-o", "json")}, open(sys.argv[1], "w"))
PY

if ((MICRO)); then
    run_micro() { # name filter
        timeout 600 "${NICE[@]}" "$BUILD/bench/$1/bench_$1" --benchmark_filter="$2" --benchmark_min_time=0.3 \
            --benchmark_format=json --benchmark_out="$OUT/micro-$1.json" >/dev/null 2>"$OUT/micro-$1.log" ||
            echo "bench_$1 failed (see $OUT/micro-$1.log)" >&2
    }
    run_micro micro .
    run_micro diff 'BM_LineDiff/'
    run_micro kubesim 'BM_ServerSideApplyInProcess'
fi

shape() {
    case $1 in
    1k) echo "5 5 40" ;; 5k) echo "5 25 40" ;; 20k) echo "10 50 40" ;; 50k) echo "10 125 40" ;;
    *) echo "unknown size $1" >&2; exit 2 ;;
    esac
}
for size in $SIZES; do
    read -r clusters apps resources <<<"$(shape "$size")"
    for mode in $MODES; do
        flag=()
        [[ $mode == gui ]] && flag=(--gui)
        echo "fleet $size $mode..." >&2
        if ! QT_QPA_PLATFORM=offscreen timeout 1800 "${NICE[@]}" "$BUILD/bench/fleet/bench_fleet" --clusters "$clusters" \
            --apps "$apps" --resources "$resources" --timeout 600 "${flag[@]}" >"$OUT/fleet-$size-$mode.json" \
            2>"$OUT/fleet-$size-$mode.log"; then
            [[ -s $OUT/fleet-$size-$mode.json ]] ||
                echo "{\"mode\":\"$mode\",\"objects\":$((clusters * apps * resources)),\"error\":\"bench_fleet failed or timed out\"}" >"$OUT/fleet-$size-$mode.json"
        fi
        rm -f "$OUT/fleet-$size-$mode.log" # per-object sync logs: large and not a figure
    done
done

# The 1k fleet on the real control plane: one server, so one cluster of 25 x 40; 6 kwok Nodes hold
# its 500 Pods (110 a Node). Left out (its earlier figures kept) when the control plane is not built.
if (source "$ROOT/tests/realkube/versions.sh" && realkube_binary kube-apiserver && realkube_binary kwok) >/dev/null 2>&1; then
    echo "fleet 1k cli on the real control plane..." >&2
    if ! timeout 1800 "${NICE[@]}" "$ROOT/tests/realkube/launch.sh" run --name bench --nodes 6 -- \
        "$BUILD/bench/fleet/bench_fleet" --backend realkube --apps 25 --resources 40 --timeout 600 \
        >"$OUT/fleet-1k-realkube.json" 2>"$OUT/fleet-1k-realkube.log"; then
        [[ -s $OUT/fleet-1k-realkube.json ]] ||
            echo '{"backend":"realkube","objects":1000,"error":"bench_fleet --backend realkube failed or timed out, see bench/results/fleet-1k-realkube.log"}' >"$OUT/fleet-1k-realkube.json"
    else
        rm -f "$OUT/fleet-1k-realkube.log" # per-object sync logs: large and not a figure
    fi
else
    echo "bench: the real control plane is not built (tests/realkube/build.sh); its fleet run is left out" >&2
fi

echo "kubectl side by side..." >&2
timeout 1200 "${NICE[@]}" "$ROOT/bench/kubectl-compare/compare.sh" "$BUILD" 500 >"$OUT/kubectl.json" 2>"$OUT/kubectl.log" ||
    echo '{"error":"compare.sh failed, see bench/results/kubectl.log"}' >"$OUT/kubectl.json"
# The same on the real control plane when tests/realkube/build.sh has built it.
if (source "$ROOT/tests/realkube/versions.sh" && realkube_binary kube-apiserver && realkube_binary kwok) >/dev/null 2>&1; then
    echo "kubectl side by side on the real control plane..." >&2
    timeout 1800 "${NICE[@]}" "$ROOT/bench/kubectl-compare/compare.sh" "$BUILD" 500 realkube \
        >"$OUT/kubectl-realkube.json" 2>"$OUT/kubectl-realkube.log" ||
        echo '{"error":"compare.sh realkube failed, see bench/results/kubectl-realkube.log"}' >"$OUT/kubectl-realkube.json"
else
    echo "bench: the real control plane is not built (tests/realkube/build.sh); its side-by-side is left out" >&2
fi

# The plot needs matplotlib (Debian: python3-matplotlib, for the system interpreter).
PY=python3
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null && PY=/usr/bin/python3
"$PY" "$ROOT/bench/report.py" "$OUT" "$ROOT/bench/RESULTS.md" "$ROOT/bench/growth.png"
echo "wrote bench/RESULTS.md and bench/growth.png" >&2
