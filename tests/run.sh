#!/usr/bin/env bash
# Runs every suite against each build directory given (e.g. build build-asan): the cmocka unit
# tests, the fuzz corpus replay, the layering check, the HTTP API tests against a real
# `caremap serve`, and (with the first build directory only) the browser tests in tests/e2e.
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
    # HTTP API tests against a real server.
    if [ -d tests/api ] && ls tests/api/*.test.mjs >/dev/null 2>&1; then
        log="$logdir/$build-api.log"
        tmp=$(mktemp -d "${TMPDIR:-/tmp}/caremap-api.XXXXXX")
        CAREMAP_BIN="$root/$build/caremap" CAREMAP_TEST_TMP="$tmp" \
            node --test --test-reporter=tap tests/api/ >"$log" 2>&1
        rc=$?
        p=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$log" | tail -1)
        f=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$log" | tail -1)
        s=$(sed -n 's/^# skipped \([0-9]*\)/\1/p' "$log" | tail -1)
        p=${p:-0}; f=${f:-0}; s=${s:-0}
        if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
        echo "api: $p passed, $f failed, $s skipped"
        [ "$f" -eq 0 ] || grep -B2 -A30 '^not ok\|^    not ok\|^        not ok' "$log" | head -200
        count "$build/api" "$p" "$f" "$s"
        rm -rf "$tmp"
    fi
    # Browser tests (playwright-core + Debian chromium) against a real server: slow and the same
    # on every build of the C code, so only with the first build directory.
    if [ "$build" = "$first" ] && ls tests/e2e/*.test.mjs >/dev/null 2>&1; then
        log="$logdir/$build-e2e.log"
        tmp=$(mktemp -d "${TMPDIR:-/tmp}/caremap-e2e.XXXXXX")
        CAREMAP_BIN="$root/$build/caremap" CAREMAP_TEST_TMP="$tmp" \
            node --test --test-reporter=tap tests/e2e/ >"$log" 2>&1
        rc=$?
        p=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$log" | tail -1)
        f=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$log" | tail -1)
        s=$(sed -n 's/^# skipped \([0-9]*\)/\1/p' "$log" | tail -1)
        p=${p:-0}; f=${f:-0}; s=${s:-0}
        if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
        echo "e2e: $p passed, $f failed, $s skipped"
        [ "$f" -eq 0 ] || grep -B2 -A30 '^not ok\|^    not ok\|^        not ok' "$log" | head -200
        count "$build/e2e" "$p" "$f" "$s"
        rm -rf "$tmp"
    fi
done

[ ${#failures[@]} -eq 0 ] || echo "failing suites: ${failures[*]}"
echo "caremap tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
