#!/usr/bin/env bash
# `make bench`, issue 6: caremap identify on a 1,000,000-patient long file built from 500 copies
# of the reference sample (2,000 patients, 16,822 rows) with suffixed ids, and the same run on
# 1 M and 2 M rows of the same patients to show that memory does not grow with rows. Prints wall
# time, codes/s and peak RSS (GNU time), next to `wc -l` on the same file in the same run.
# Targets (issue 6): CCC v2 under 2 s wall on 2 cores (pccc 1.0.6: ~107 s), peak RSS under
# 150 MB (pccc: 1.2 GB), no RSS growth from 1 M to 2 M rows of the same patients.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(pwd)/${1:-build-release}/caremap"
sample=tests/data/identify/ccc_sample_input_long.tsv
work=$(mktemp -d "${TMPDIR:-/tmp}/caremap-bench-identify.XXXXXX")
trap 'rm -rf "$work"' EXIT

# 500 copies, ids suffixed with the copy number: 1,000,000 patients, 8,411,000 rows.
big="$work/patients-1m.tsv"
# (POSIX awk: Debian's default awk is mawk.)
awk -F'\t' -v OFS='\t' 'FNR == 1 { copy++; if (NR == 1) print; next } { $1 = $1 "_" copy; print }' \
    $(for i in $(seq 500); do echo "$sample"; done) >"$big"
# The same patients, once with 1 M rows and once with those rows twice (2 M).
one="$work/rows-1m.tsv"; two="$work/rows-2m.tsv"
head -n 1000001 "$big" >"$one"
{ cat "$one"; tail -n +2 "$one"; } >"$two"

measure() { # label file [options] -> prints wall s, peak RSS kB
    local label=$1 file=$2
    shift 2
    /usr/bin/time -f '%e %M' -o "$work/time" "$bin" identify --algorithm ccc2 "$@" -o "$work/out.tsv" "$file" 2>"$work/err" ||
        { echo "bench identify: $label failed"; cat "$work/err"; exit 1; }
    read -r wall rss <"$work/time"
    echo "$wall $rss"
}
wc_wall() { /usr/bin/time -f '%e' -o "$work/time" wc -l "$1" >/dev/null; cat "$work/time"; }

rows=$(($(wc -l <"$big") - 1))
cores=$(nproc)
read -r wall rss < <(measure "1M patients" "$big")
read -r wall_1t rss_1t < <(measure "1M patients, one thread" "$big" --threads 1)
wc_s=$(wc_wall "$big")
patients=$(($(wc -l <"$work/out.tsv") - 1))
read -r wall1 rss1 < <(measure "1M rows" "$one")
read -r wall2 rss2 < <(measure "2M rows" "$two")
awk -v rows="$rows" -v p="$patients" -v wall="$wall" -v rss="$rss" -v wc="$wc_s" \
    -v cores="$cores" -v w1t="$wall_1t" -v r1t="$rss_1t" \
    -v w1="$wall1" -v r1="$rss1" -v w2="$wall2" -v r2="$rss2" 'BEGIN {
    printf "identify ccc2: %d patients, %d codes, %d threads: %.2f s wall, %.1f M codes/s, peak RSS %.0f MB\n",
        p, rows, cores, wall, rows / (wall > 0 ? wall : 0.01) / 1e6, rss / 1024
    printf "  one thread (--threads 1): %.2f s wall, peak RSS %.0f MB (threads: %.2fx faster)\n",
        w1t, r1t / 1024, w1t / (wall > 0 ? wall : 0.01)
    printf "  baseline wc -l on the same file: %.2f s (identify is %.1fx wc)\n", wc, wall / (wc > 0 ? wc : 0.01)
    printf "  same patients, 1M rows: %.2f s, %.0f MB; 2M rows: %.2f s, %.0f MB (RSS %+.1f%%)\n",
        w1, r1 / 1024, w2, r2 / 1024, (r2 - r1) * 100 / r1
    printf "  targets: < 2 s wall %s, < 150 MB %s\n", wall < 2 ? "met" : "NOT MET", rss < 150 * 1024 ? "met" : "NOT MET"
}'
