#!/usr/bin/env bash
# Compares two NFS exports with the same fio jobs (bench/nfs-compare.fio: 1M sequential write and read at
# iodepth 8, 4k random write and read at iodepth 16, RUNTIME seconds each, fio's nfs engine over NFSv3 on
# one file of SIZE), running A and B job by job so that both see the same machine load. Each export first
# gets the whole file written once (the layout job: untimed, not in the table). Prints a table of A, B and
# A/B per job: IOPS for the 4k jobs, MiB/s for the 1M jobs; with ROUNDS > 1, the mean of the rounds (B runs
# first in even rounds).
# Usage: bench/nfs-compare.sh URL_A [URL_B]
#   URL: nfs://HOST/EXPORT?version=3&nfsport=PORT&mountport=PORT, as libnfs takes it (NFSv3: libnfs 4.0's
#   v4 writes fail), e.g. against sgw's demo (MOUNT on the NFS port):
#     bench/nfs-compare.sh 'nfs://127.0.0.1/demo?version=3&nfsport=2049&mountport=2049'
#   Without URL_B, B is nfs-ganesha (scripts/test-tools/ganesha.sh, instance "bench") exporting a directory
#   under $SGW_TEST_TOOLS_DIR on the first free ports from 12049 up, started for the comparison and stopped
#   at the end; put SGW_TEST_TOOLS_DIR on the disk of A's cache to compare like with like.
# Exits non-zero when a job failed on either export. Leaves the file NFS_FILE (SIZE) on both exports (libnfs
#   has no remove). Env: RUNTIME (20 s), ROUNDS (1), SIZE (1g), NFS_FILE (nfs-compare.dat), A_NAME (A),
#   B_NAME (B, or ganesha), FIO (the built fio), OUT (raw fio results; default
#   $SGW_TEST_TOOLS_DIR/bench/nfs-compare). Needs root to start ganesha.
set -euo pipefail
[ $# -ge 1 ] && [ $# -le 2 ] && [[ $1 == nfs://* ]] || { sed -n '2,/^[^#]/{/^#/p}' "$0" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/test-tools/lib.sh"
url_a=$1 url_b=${2:-}
jobs=$repo/bench/nfs-compare.fio
export RUNTIME=${RUNTIME:-20} SIZE=${SIZE:-1g} NFS_FILE=${NFS_FILE:-nfs-compare.dat}
fio=${FIO:-$W/bin/fio}
[ -x "$fio" ] || fio=$("$repo/scripts/test-tools/build-fio.sh")
out=${OUT:-$W/bench/nfs-compare}
mkdir -p "$out"
rm -f "$out"/*.terse "$out/fio.log"
name_a=${A_NAME:-A}
name_b=${B_NAME:-B}

if [ -z "$url_b" ]; then
  ganesha() { SGW_GANESHA_NAME=bench "$repo/scripts/test-tools/ganesha.sh" "$@"; }
  for nfs_port in $(seq 12049 12099); do listening "$nfs_port" || break; done
  for mnt_port in $(seq $((nfs_port + 1)) 12199); do listening "$mnt_port" || break; done
  trap 'ganesha stop' EXIT
  peer=$(NFS_PORT=$nfs_port MNT_PORT=$mnt_port ganesha start) || die "ganesha did not start"
  url_b=$(sed -n "s/^NFS_URL_V3='\(.*\)'$/\1/p" <<<"$peer")
  name_b=${B_NAME:-ganesha}
fi

run() {   # run WHO URL SECTION ROUND (0: the layout)
  if (($4)); then log "$1: $3 (${RUNTIME} s, round $4)"; else log "$1: $3 (the whole $SIZE file)"; fi
  NFS_URL=$2 "$fio" --section="$3" --output-format=terse --output="$out/$3.$1.$4.terse" "$jobs" \
    >>"$out/fio.log" 2>&1 || { log "fio failed on $1 $3 (see $out/fio.log)"; rm -f "$out/$3.$1.$4.terse"; }
}
run a "$url_a" layout 0
run b "$url_b" layout 0
[ -e "$out/layout.a.0.terse" ] && [ -e "$out/layout.b.0.terse" ] || die "could not write the $SIZE file on both exports"
sections=$(sed -n 's/^\[\(.*\)\]$/\1/p' "$jobs" | grep -vx -e global -e layout)
. "$(dirname "$0")/fio-compare.sh"
compare_and_report
exit $?
