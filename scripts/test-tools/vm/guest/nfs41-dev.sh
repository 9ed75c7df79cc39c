#!/bin/bash
# Guest script (vm/run.sh): the Linux kernel's NFSv4.1 client against the development server
# dev.sgw.nfs.v4.Nfs4Main (test scope of protocol-nfs) on the host, which exports /demo read-write,
# /ro/demo read-only and /squash (root squashed, its root owned by the anonymous user).
# Host: java ... dev.sgw.nfs.v4.Nfs4Main 20490 900 15   (port, seconds, grace seconds)
# Run: NFS_PORT=20490 scripts/test-tools/vm/run.sh scripts/test-tools/vm/guest/nfs41-dev.sh 20490
# Env: NFS_PORT (2049), NFS_EXPORT (/demo), NFS_RO_EXPORT (/ro/demo), NFS_SQUASH_EXPORT (/squash), NFS_NO_RESTART=1 (skip the restart check,
#   which needs Nfs4Main's restart trigger and a grace period of some 15 s), guest-lib.sh's BIG_MB, TREE_SRC.
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
pseudo_root() {
  mount -t nfs -o "$opts" "$HOST:/" /mnt/nfs41root && ls /mnt/nfs41root | grep -qx demo &&
    [ "$(cat /mnt/nfs41root/demo/hello.txt)" = hello ] && ls /mnt/nfs41root/ro/demo >/dev/null &&
    grep ' /mnt/nfs41root/demo ' /proc/mounts && umount -R /mnt/nfs41root
}
parallel_writers() {
  for i in 1 2 3 4; do dd if=/dev/urandom of="$mnt/par$i" bs=1M count=8 conv=fsync status=none & done
  wait
  for i in 1 2 3 4; do [ "$(stat -c %s "$mnt/par$i")" = 8388608 ] || return 1; done
  rm -f "$mnt"/par*
}
# the server restarts (Nfs4Main's trigger file) while this shell holds the file open and locked: the client
# must reclaim both during the grace period and go on writing through the same descriptor
restart_recovery() {
  exec 7>"$mnt/kept" && echo before >&7 && flock -x 7 && : >"$mnt/.restart-server" && sleep 3 &&
    ls "$mnt" >/dev/null && sleep 3 &&
    echo after >&7 && flock -u 7 && exec 7>&- && [ "$(cat "$mnt/kept")" = "$(printf 'before\nafter')" ]
}
check "write and read back a small file" write_read
mkdir -p /mnt/nfs41root
check "mount the pseudo root, cross into /demo and /ro/demo" pseudo_root
check "4 parallel writers of 8 MiB with fsync" parallel_writers
check "ls of 300 files (READDIR paging)" listing
check "O_EXCL create (EXCLUSIVE4_1) and its refusal" exclusive
check "stat shows the mode and owner" stat -c '%a %u %g %s %n' "$mnt/hello.txt"
check "df" df -h "$mnt"
fs_checks "$mnt" nfs41
[ -n "${NFS_NO_RESTART:-}" ] || check "server restart: the open file and its lock are reclaimed" restart_recovery
# throughput as dd sees it (the guest is emulated: these measure the whole path, CPU emulation included)
dd if=/dev/zero of="$mnt/dd.dat" bs=1M count=64 conv=fsync 2>&1 | tail -n 1 | sed 's/^/dd write 64 MiB: /'
drop_caches
dd if="$mnt/dd.dat" of=/dev/null bs=1M 2>&1 | tail -n 1 | sed 's/^/dd read 64 MiB: /'
rm -f "$mnt/dd.dat"
negotiate() {
  mount -t nfs -o "vers=4,proto=tcp,port=$port,sec=sys,clientaddr=10.0.2.15" "$HOST:/demo" /mnt/nfs4any &&
    grep ' /mnt/nfs4any ' /proc/mounts | grep -q 'vers=4.1' && umount /mnt/nfs4any
}
mkdir -p /mnt/nfs4any /mnt/squash
check "vers=4 settles on 4.1 (4.2 is refused with MINOR_VERS_MISMATCH)" negotiate
squashed() { echo s >/mnt/squash/owned && [ "$(stat -c %u:%g /mnt/squash/owned)" = 65534:65534 ]; }
if check "mount the root-squashed export" mount -t nfs -o "$opts" "$HOST:${NFS_SQUASH_EXPORT:-/squash}" /mnt/squash; then
  check "root's new file belongs to the anonymous user" squashed
  # not fs_checks: its tar copy (as root) restores owners, which a squashed root may not (EPERM, as with knfsd)
  mkdir -p /mnt/squash/checks
  for f in big_file_round_trip renames hardlinks symlinks modes truncates mtimes flocks directories; do
    check "squash: $f" $f /mnt/squash/checks
  done
  check "squash: chown to root is refused" bash -c "! chown 0:0 /mnt/squash/owned"
  check "squash: rm -rf" rm -rf /mnt/squash/checks /mnt/squash/owned
  check "umount the root-squashed export" umount /mnt/squash
fi
if check "mount the read-only export" mount -t nfs -o "$opts" "$HOST:${NFS_RO_EXPORT:-/ro/demo}" /mnt/nfs41ro; then
  check "the read-only export shows the same files" test -f /mnt/nfs41ro/hello.txt
  check "writing to the read-only export is refused" bash -c "! touch /mnt/nfs41ro/nope 2>/tmp/ro.err && grep -qi 'read-only' /tmp/ro.err"
  check "umount the read-only export" umount /mnt/nfs41ro
fi
check "umount" umount "$mnt"
dmesg | grep -i -E 'nfs|rpc' | tail -n 20
finish
