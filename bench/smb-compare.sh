#!/usr/bin/env bash
# Compares two SMB shares with the same jobs, run A then B (B first in even rounds) so that both see the same
# machine load: smbclient puts a file of SIZE random bytes into the share, then gets it back; each time is
# measured and what came back must have the sha256 of what went in. Prints a table of A, B (seconds and MiB/s)
# and A/B (throughput: above 1 means A is faster) per job; with ROUNDS > 1, the mean of the rounds.
# Usage: bench/smb-compare.sh //HOST:PORT/SHARE_A USER%PASSWORD_A [//HOST:PORT/SHARE_B USER%PASSWORD_B]
#   e.g. against sgw's demo (demo.env has SMB_PORT, SMB_USER, SMB_PASSWORD):
#     bench/smb-compare.sh //127.0.0.1:$SMB_PORT/demo "$SMB_USER%$SMB_PASSWORD"
#   Without B, B is Samba's smbd (scripts/test-tools/smbd.sh, instance "smbd-bench") on the first free port from
#   14450 up, started for the comparison and stopped at the end; put SGW_TEST_TOOLS_DIR on the disk of A's
#   cache to compare like with like.
# Exits non-zero when a transfer failed or a file came back different. Removes the file from both shares and
#   the local copies at the end. Env: SIZE (1G; as head -c takes it: 256M, 1G ...), ROUNDS (1), A_NAME (A),
#   B_NAME (B, or samba), SMB_FILE (smb-compare.dat), SMBCLIENT_OPTS (more smbclient options, e.g.
#   "-m SMB3_00" or "--option=clientsmbencrypt=required"), OUT (the local files; default
#   $SGW_TEST_TOOLS_DIR/bench/smb-compare). Needs root to start smbd.
set -euo pipefail
{ [ $# = 2 ] || [ $# = 4 ]; } && [[ $1 == //* ]] || { sed -n '2,/^[^#]/{/^#/p}' "$0" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/test-tools/lib.sh"
command -v smbclient >/dev/null || die "smbclient is missing: run scripts/test-tools/install.sh"
unc_a=$1 cred_a=$2 unc_b=${3:-} cred_b=${4:-}
size=${SIZE:-1G} rounds=${ROUNDS:-1} file=${SMB_FILE:-smb-compare.dat}
name_a=${A_NAME:-A} name_b=${B_NAME:-B}
out=${OUT:-$W/bench/smb-compare}
mkdir -p "$out"

smbd_peer() { SMB_PORT= SGW_SMBD_NAME=smbd-bench "$repo/scripts/test-tools/smbd.sh" "$@"; }
cleanup() {
  for who in a b; do smb "$who" "del $file" >/dev/null 2>&1 || true; done
  rm -f "$out/source.bin" "$out/back.bin"
  [ -z "${peer_started:-}" ] || smbd_peer stop
}
if [ -z "$unc_b" ]; then
  peer_started=1
  trap cleanup EXIT
  peer=$(SGW_SMBD_CLEAN=1 smbd_peer start) || die "smbd did not start"
  eval "$peer"
  unc_b=$SMB_UNC cred_b="$SMB_USER%$SMB_PASSWORD"
  name_b=${B_NAME:-samba}
else
  trap cleanup EXIT
fi

# smb WHO COMMANDS: runs smbclient's COMMANDS on share a or b
smb() {
  local unc cred
  if [ "$1" = a ]; then unc=$unc_a cred=$cred_a; else unc=$unc_b cred=$cred_b; fi
  [[ $unc =~ ^//([^/:]+)(:([0-9]+))?/(.+)$ ]] || die "not //HOST[:PORT]/SHARE: $unc"
  # shellcheck disable=SC2086
  smbclient "//${BASH_REMATCH[1]}/${BASH_REMATCH[4]}" -p "${BASH_REMATCH[3]:-445}" -U "$cred" ${SMBCLIENT_OPTS:-} -c "$2"
}

# timed WHO JOB COMMANDS: runs smb WHO COMMANDS, appends "JOB WHO SECONDS" to $out/times
timed() {
  local begin end
  begin=$(date +%s.%N)
  smb "$1" "$3" >"$out/smbclient.log" 2>&1 || { cat "$out/smbclient.log" >&2; die "smbclient failed on $1: $3"; }
  end=$(date +%s.%N)
  awk -v j="$2" -v w="$1" -v a="$begin" -v b="$end" 'BEGIN { printf "%s %s %.3f\n", j, w, b - a }' >>"$out/times"
}

log "writing $size random bytes to $out/source.bin"
head -c "$size" /dev/urandom >"$out/source.bin"
bytes=$(stat -c %s "$out/source.bin")
want=$(sha256sum <"$out/source.bin")
: >"$out/times"
bad=0
for ((round = 1; round <= rounds; round++)); do
  order="a b"
  ((round % 2)) || order="b a"
  for who in $order; do
    log "round $round: put and get on $who"
    timed "$who" put "put $out/source.bin $file"
    rm -f "$out/back.bin"
    sync
    timed "$who" get "get $file $out/back.bin"
    if [ "$(sha256sum <"$out/back.bin")" != "$want" ]; then
      log "the file read back from $who differs from what was put"
      bad=1
    fi
  done
done

awk -v bytes="$bytes" -v na="$name_a" -v nb="$name_b" -v rounds="$rounds" '
  { sum[$1 " " $2] += $3; n[$1 " " $2]++ }
  END {
    mib = bytes / 1048576
    printf "%-5s %10s %10s %12s %12s %8s\n", "job", na " s", nb " s", na " MiB/s", nb " MiB/s", na "/" nb
    split("put get", jobs, " ")
    for (i = 1; i <= 2; i++) {
      j = jobs[i]; a = sum[j " a"] / n[j " a"]; b = sum[j " b"] / n[j " b"]
      printf "%-5s %10.2f %10.2f %12.1f %12.1f %8.2f\n", j, a, b, mib / a, mib / b, b / a
    }
    printf "(%d MiB, mean of %d round(s); A/B is the throughput ratio)\n", mib, rounds
  }' "$out/times"
exit "$bad"
