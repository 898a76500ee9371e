#!/usr/bin/env bash
# Loads each example stage into an empty database in the order listed in
# README.txt; see README.txt for what is checked.
#
# Environment: PG_BIN, PGHOST as for fixtures/check-load.sh.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../fixtures/cluster.sh
source "$here/../fixtures/cluster.sh"

# The order lives in README.txt so the documented order is the tested one.
mapfile -t order < <(sed -n 's/^    \([^ ]*\.sql\)$/\1/p' "$here/README.txt")
[[ ${#order[@]} -gt 0 ]] || { echo "no load order found in README.txt" >&2; exit 2; }

cluster_start
dump_dir=$(mktemp -d)
cluster_cleanup_hooks+=("rm -rf '$dump_dir'")

status=0
prev=""
for stage_dir in "$here"/[0-9]*/; do
    stage=$(basename "$stage_dir")

    # A file the order does not know would silently be left out of the check.
    while IFS= read -r f; do
        if ! printf '%s\n' "${order[@]}" | grep -qxF "$f"; then
            echo "stage $stage: $f is not in the load order in README.txt" >&2
            status=1
        fi
    done < <(cd "$stage_dir" && find . -name '*.sql' | sed 's|^\./||' | sort)

    files=()
    for f in "${order[@]}"; do
        [[ -f $stage_dir/$f ]] && files+=("$stage_dir/$f")
    done

    db="example_stage_$stage"
    createdb "$db"
    if ! out=$(cat "${files[@]}" | psql -X -v ON_ERROR_STOP=1 -q -d "$db" 2>&1); then
        echo "stage $stage: does not load in the documented order" >&2
        echo "$out" | sed 's/^/    /' >&2
        status=1
    else
        echo "stage $stage: loads (${#files[@]} files)"
    fi
    schema_dump "$db" >"$dump_dir/$stage.dump"
    dropdb "$db"

    mapfile -t sorted < <(cd "$stage_dir" && find . -name '*.sql' | sed 's|^\./||' | LC_ALL=C sort)
    createdb "$db"
    if (cd "$stage_dir" && cat "${sorted[@]}") | psql -X -v ON_ERROR_STOP=1 -q -d "$db" >/dev/null 2>&1; then
        echo "stage $stage: loads in alphabetical order too, so it no longer exercises ordering" >&2
        status=1
    fi
    dropdb "$db"

    if [[ -n $prev ]] && cmp -s "$dump_dir/$prev.dump" "$dump_dir/$stage.dump"; then
        echo "stage $stage: schema identical to stage $prev" >&2
        status=1
    fi
    prev=$stage
done

exit $status
