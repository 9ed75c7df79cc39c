#!/usr/bin/env bash
# Compares two iSCSI LUNs with the same fio jobs (bench/iscsi-compare.fio: 1M sequential write and read at
# iodepth 8, 4k random write and read at iodepth 16, RUNTIME seconds each, fio's libiscsi engine), running
# A and B job by job so that both see the same machine load. Prints a table of A, B and A/B per job: IOPS
# for the 4k jobs, MiB/s for the 1M jobs; with ROUNDS > 1, the mean of the rounds (B runs first in even
# rounds).
# Usage: bench/iscsi-compare.sh URL_A [URL_B]
#   URL: iscsi://HOST:PORT/IQN/LUN (no CHAP: fio's libiscsi engine drops a URL's credentials)
#   Without URL_B, B is tgt (scripts/test-tools/tgt.sh) on a sparse file as large as A's disk, with A's
#   block size, started for the comparison and stopped at the end; e.g. against sgw's demo:
#     bench/iscsi-compare.sh iscsi://127.0.0.1:3260/iqn.2026-11.dev.sgw:demo/0
# Exits non-zero when a job failed on either LUN. OVERWRITES both LUNs. Env: RUNTIME (20 s), ROUNDS (1), A_NAME (A), B_NAME (B, or tgt), FIO (the built fio),
#   OUT (raw fio results; default $SGW_TEST_TOOLS_DIR/bench/iscsi-compare). Needs root to start tgt.
set -euo pipefail
[ $# -ge 1 ] && [ $# -le 2 ] && [[ $1 == iscsi://* ]] || { sed -n '2,/^[^#]/{/^#/p}' "$0" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/test-tools/lib.sh"
url_a=$1 url_b=${2:-}
[[ $url_a$url_b != *@* ]] || die "fio's libiscsi engine does not log in with CHAP: use a LUN without it"
jobs=$repo/bench/iscsi-compare.fio
export RUNTIME=${RUNTIME:-20}
fio=${FIO:-$W/bin/fio}
[ -x "$fio" ] || fio=$("$repo/scripts/test-tools/build-fio.sh")
out=${OUT:-$W/bench/iscsi-compare}
mkdir -p "$out"
rm -f "$out"/*.terse "$out/fio.log"
name_a=${A_NAME:-A}
name_b=${B_NAME:-B}

if [ -z "$url_b" ]; then
  command -v iscsi-readcapacity16 >/dev/null || die "iscsi-readcapacity16 is missing: run scripts/test-tools/install.sh"
  capacity=$(iscsi-readcapacity16 "$url_a") || die "cannot read the capacity of $url_a"
  size=$(sed -n 's/^Total size:\([0-9]*\).*/\1/p' <<<"$capacity")
  block=$(sed -n 's/^LOGICAL BLOCK LENGTH IN BYTES:\([0-9]*\).*/\1/p' <<<"$capacity")
  [ -n "$size" ] && [ -n "$block" ] || die "no size in iscsi-readcapacity16's answer: $capacity"
  trap '"$repo/scripts/test-tools/tgt.sh" stop' EXIT
  url_b=$("$repo/scripts/test-tools/tgt.sh" start "$size" "$block")
  name_b=${B_NAME:-tgt}
fi

sections=$(sed -n 's/^\[\(.*\)\]$/\1/p' "$jobs" | grep -vx global)
run() {   # run WHO URL SECTION ROUND
  log "$1: $3 (${RUNTIME} s, round $4)"
  ISCSI_FILENAME=${2//:/\\:} "$fio" --section="$3" --output-format=terse --output="$out/$3.$1.$4.terse" "$jobs" \
    >>"$out/fio.log" 2>&1 || { log "fio failed on $1 $3 (see $out/fio.log)"; rm -f "$out/$3.$1.$4.terse"; }
}
. "$(dirname "$0")/fio-compare.sh"
compare_and_report
exit $?
