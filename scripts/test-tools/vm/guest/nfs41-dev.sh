#!/bin/bash
# Guest script (vm/run.sh): the Linux kernel's NFSv4.1 client against the development server
# dev.sgw.nfs.v4.Nfs4Main (test scope of protocol-nfs) on the host, which exports /demo read-write and
# /ro/demo read-only.
# Run: NFS_PORT=20490 scripts/test-tools/vm/run.sh scripts/test-tools/vm/guest/nfs41-dev.sh 20490
# Env: NFS_PORT (2049), NFS_EXPORT (/demo), NFS_RO_EXPORT (/ro/demo), plus guest-lib.sh's BIG_MB, TREE_SRC.
# Prints PASS/FAIL per check and "N passed, N failed" last; exits non-zero when a check failed.
set -u
. /tmp/run/guest-lib.sh
port=${NFS_PORT:-2049}
mnt=/mnt/nfs41
opts=vers=4.1,proto=tcp,port=$port,sec=sys,clientaddr=10.0.2.15,timeo=100,retrans=2

load_module nfsv4 || { fail "load nfsv4"; finish; exit 1; }
mkdir -p "$mnt" /mnt/nfs41ro
if ! check "mount -t nfs -o $opts $HOST:${NFS_EXPORT:-/demo}" mount -t nfs -o "$opts" "$HOST:${NFS_EXPORT:-/demo}" "$mnt"; then
  dmesg | tail -n 30
  finish
  exit 1
fi
grep " $mnt " /proc/mounts
cat /proc/self/mountstats | grep -A3 "$mnt" | head -n 8

write_read() { echo hello >"$mnt/hello.txt" && [ "$(cat "$mnt/hello.txt")" = hello ]; }
listing() { mkdir -p "$mnt/list" && for i in $(seq 300); do : >"$mnt/list/f$i"; done &&
  [ "$(ls "$mnt/list" | wc -l)" = 300 ] && [ "$(ls -f "$mnt/list" | wc -l)" = 302 ]; }
exclusive() { rm -f "$mnt/excl" && (set -o noclobber; echo x >"$mnt/excl") && ! (set -o noclobber; echo y >"$mnt/excl" 2>/dev/null) &&
  [ "$(cat "$mnt/excl")" = x ]; }
check "write and read back a small file" write_read
check "ls of 300 files (READDIR paging)" listing
check "O_EXCL create (EXCLUSIVE4_1) and its refusal" exclusive
check "stat shows the mode and owner" stat -c '%a %u %g %s %n' "$mnt/hello.txt"
check "df" df -h "$mnt"
fs_checks "$mnt" nfs41
if check "mount the read-only export" mount -t nfs -o "$opts" "$HOST:${NFS_RO_EXPORT:-/ro/demo}" /mnt/nfs41ro; then
  check "the read-only export shows the same files" test -f /mnt/nfs41ro/hello.txt
  check "writing to the read-only export is refused" bash -c "! touch /mnt/nfs41ro/nope 2>/tmp/ro.err && grep -qi 'read-only' /tmp/ro.err"
  check "umount the read-only export" umount /mnt/nfs41ro
fi
check "umount" umount "$mnt"
dmesg | grep -i -E 'nfs|rpc' | tail -n 20
finish
