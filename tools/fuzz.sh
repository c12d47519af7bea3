#!/usr/bin/env bash
# `make fuzz`: runs each libFuzzer target (built by the fuzz preset) for SECONDS seconds on a
# scratch copy of its committed corpus, so new inputs found do not land in the tree by accident.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-fuzz}
secs=${2:-60}
for fz in "$build"/fuzz_*; do
    [ -x "$fz" ] || continue
    name=$(basename "$fz")
    corpus="tests/fuzz/corpus/${name#fuzz_}"
    scratch=$(mktemp -d)
    cp -r "$corpus"/. "$scratch"/
    dict=()
    [ -f "tests/fuzz/${name#fuzz_}.dict" ] && dict=(-dict="tests/fuzz/${name#fuzz_}.dict")
    echo "fuzz: $name for ${secs}s"
    "$fz" "${dict[@]}" -max_total_time="$secs" -artifact_prefix="tests/fuzz/crash-${name#fuzz_}-" "$scratch"
    rm -rf "$scratch"
done
