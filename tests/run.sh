#!/usr/bin/env bash
# Runs every suite against each build directory given (e.g. build build-asan): the cmocka unit
# tests, the fuzz corpus replay, the layering check, the command-line tests (tests/cli), the HTTP
# API tests against a real `caremap serve`, and (with the first build directory only) the browser
# tests in tests/e2e.
# Ends with one line: `caremap tests: N passed, N failed, N skipped`.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
[ $# -gt 0 ] || set -- build
first=$1

passed=0 failed=0 skipped=0
failures=()
logdir=$(mktemp -d "${TMPDIR:-/tmp}/caremap-tests.XXXXXX")
trap 'rm -rf "$logdir"' EXIT

count() { # name passed failed skipped
    passed=$((passed + $2)); failed=$((failed + $3)); skipped=$((skipped + $4))
    [ "$3" -eq 0 ] || failures+=("$1")
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export CMOCKA_MESSAGE_OUTPUT=STDOUT

# Layering: the #include lines must follow DESIGN.md's dependency direction.
if out=$(tools/check_includes.sh 2>&1); then
    echo "layering: ok"; count layering 1 0 0
else
    echo "$out"; count layering 0 1 0
fi

# node_suite NAME DIR: runs DIR/*.test.mjs with node's test runner against $build's binary
# (CAREMAP_BIN, with a scratch CAREMAP_TEST_TMP), counts its TAP summary, and prints the failures.
node_suite() {
    local name=$1 dir=$2 log tmp rc p f s
    ls "$dir"/*.test.mjs >/dev/null 2>&1 || return 0
    log="$logdir/$build-$name.log"
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/caremap-$name.XXXXXX")
    CAREMAP_BIN="$root/$build/caremap" CAREMAP_TEST_TMP="$tmp" \
        node --test --test-reporter=tap "$dir"/ >"$log" 2>&1
    rc=$?
    p=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$log" | tail -1)
    f=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$log" | tail -1)
    s=$(sed -n 's/^# skipped \([0-9]*\)/\1/p' "$log" | tail -1)
    p=${p:-0}; f=${f:-0}; s=${s:-0}
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    echo "$name: $p passed, $f failed, $s skipped"
    [ "$f" -eq 0 ] || grep -B2 -A30 '^not ok\|^    not ok\|^        not ok' "$log" | head -200
    count "$build/$name" "$p" "$f" "$s"
    rm -rf "$tmp"
}

for build in "$@"; do
    echo "== $build"
    # Unit tests: each cmocka executable prints its own [ PASSED ]/[ FAILED ] summary.
    for t in "$build"/test_*; do
        [ -x "$t" ] || continue
        name=$(basename "$t")
        log="$logdir/$build-$name.log"
        CAREMAP_SOURCE_DIR="$root" "$t" >"$log" 2>&1
        rc=$?
        # An executable may run several groups, each with its own summary: add them up.
        p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{n += $1} END {print n + 0}')
        f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{n += $1} END {print n + 0}')
        s=$(grep -c '^\[  SKIPPED \]' "$log")
        p=${p:-0}; f=${f:-0}
        if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi # a crash, a leak, or no summary at all
        echo "unit $name: $p passed, $f failed"
        [ "$f" -eq 0 ] || sed 's/^/    /' "$log" | tail -40
        count "$build/$name" "$p" "$f" "$s"
    done
    # Fuzz targets: every committed corpus file goes through each target once.
    for fz in "$build"/fuzz_*; do
        [ -x "$fz" ] || continue
        name=$(basename "$fz"); corpus="tests/fuzz/corpus/${name#fuzz_}"
        log="$logdir/$build-$name.log"
        if "$fz" "$corpus" >"$log" 2>&1; then
            echo "fuzz $name: $(tail -1 "$log")"; count "$build/$name" 1 0 0
        else
            echo "fuzz $name: FAILED"; sed 's/^/    /' "$log" | tail -40; count "$build/$name" 0 1 0
        fi
    done
    # Command-line tests against the real binary, and HTTP API tests against a real server.
    node_suite cli tests/cli
    node_suite api tests/api
    # Browser tests (playwright-core + Debian chromium) against a real server: slow and the same
    # on every build of the C code, so only with the first build directory.
    [ "$build" != "$first" ] || node_suite e2e tests/e2e
done

[ ${#failures[@]} -eq 0 ] || echo "failing suites: ${failures[*]}"
echo "caremap tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
