#!/usr/bin/env bash
# Checks that #include lines follow DESIGN.md's dependency direction:
#   main -> cmd -> api/render/identify -> plan/coord/program/access -> model, store -> core
# and that only store/ includes a database client header, only http/ includes microhttpd.h.
set -u
cd "$(dirname "$0")/.."
bad=0
check() { # module allowed-modules...
    local mod=$1; shift
    local allowed=" $* "
    for f in src/"$mod"/*.[ch]; do
        [ -e "$f" ] || continue
        while IFS= read -r inc; do
            dep=${inc%%/*}
            [ "$dep" = "$mod" ] && continue
            case "$allowed" in *" $dep "*) ;; *) echo "$f includes \"$inc\": $mod may not depend on $dep"; bad=1 ;; esac
        done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
    done
}
check core
check model core
check store core model
check http core
check access core model store
check plan core model store
check render core model plan store
check api core model store access plan http render
check identify core model
check cmd core model store access plan http api render identify
for f in $(grep -l -E '#include <(sqlite3|libpq-fe)\.h>' src -r); do
    case "$f" in src/store/*) ;; *) echo "$f: only store/ may include a database header"; bad=1 ;; esac
done
for f in $(grep -l '#include <microhttpd.h>' src -r); do
    case "$f" in src/http/*) ;; *) echo "$f: only http/ may include microhttpd.h"; bad=1 ;; esac
done
exit $bad
