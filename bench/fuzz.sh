#!/usr/bin/env bash
# Runs a libFuzzer campaign on one fuzz target and prints executions and coverage.
#   bench/fuzz.sh TARGET SECONDS [extra libFuzzer flags, e.g. -runs=5000000]
# TARGET is a file name in fuzz/ without .cpp (yaml_roundtrip, patches, http_request, ...).
# Builds build/fuzz (cmake --preset fuzz: clang, libFuzzer, ASan+UBSan), grows a working corpus in
# build/fuzz/corpus/TARGET seeded from fuzz/corpus/TARGET, and keeps crash inputs in
# build/fuzz/artifacts/TARGET/. The full libFuzzer log goes to build/fuzz/logs/.
# Exit status: libFuzzer's (non-zero when it found a crash, leak, timeout or broken property).
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 TARGET SECONDS [libFuzzer flags...]" >&2
    exit 2
fi
target=$1
seconds=$2
shift 2

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if [ ! -f "fuzz/$target.cpp" ]; then
    echo "fuzz.sh: no fuzz target fuzz/$target.cpp" >&2
    exit 2
fi

cmake --preset fuzz >/dev/null
nice -n 5 ninja -C build/fuzz -j2 "fuzz_$target" >/dev/null

corpus=build/fuzz/corpus/$target
artifacts=build/fuzz/artifacts/$target
logs=build/fuzz/logs
mkdir -p "$corpus" "$artifacts" "$logs"
log=$logs/$target-$(date -u +%Y%m%dT%H%M%SZ).log

flags=(-max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts/" -timeout=10
       -rss_limit_mb=2048)
# The YAML target's inputs are documents; longer ones only slow the search down.
[ "$target" = yaml_roundtrip ] && flags+=(-max_len=65536)
[ -f "fuzz/dict/$target.dict" ] && flags+=(-dict="fuzz/dict/$target.dict")

before=$(ls -1 "$artifacts" | wc -l)
echo "fuzz.sh: $target for up to ${seconds}s; log $log"
start=$(date +%s)
status=0
nice -n 15 "build/fuzz/fuzz/fuzz_$target" "${flags[@]}" "$@" "$corpus" "fuzz/corpus/$target" >"$log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - start ))

# The last status line ("#N DONE cov: C ft: F corp: ...") carries the coverage figures.
last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
# -fork=N runs (which go on after a finding with -ignore_crashes=1) print no final stats: their
# status lines count the executions.
[ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
corp=$(sed -n 's/.* corp: \([0-9]*\(\/[0-9a-zA-Z]*\)\{0,1\}\).*/\1/p' <<<"$last")
echo "target:     $target"
echo "time:       ${elapsed}s"
echo "executions: ${runs:-?} (${rate:-?}/s)"
echo "coverage:   cov ${cov:-?} ft ${ft:-?} corpus ${corp:-?}"
found=$(( $(ls -1 "$artifacts" | wc -l) - before ))
if [ "$status" -ne 0 ] || [ "$found" -gt 0 ]; then
    echo "finding:    libFuzzer exited with $status, $found new input(s) in $artifacts; see $log"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz property failed|.*runtime error)' "$log" | sort | uniq -c | head -n 10 || true
    ls -1t "$artifacts" | head -n "$(( found > 0 ? found : 1 ))"
else
    echo "finding:    none"
fi
exit "$status"
