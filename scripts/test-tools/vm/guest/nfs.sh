#!/bin/bash
# Guest script (vm/run.sh): the Linux kernel's NFS client against a server on the host.
# Run: NFS_PORT=2049 MNT_PORT=2049 NFS_EXPORT=/demo scripts/test-tools/vm/run.sh scripts/test-tools/vm/guest/nfs.sh 2049
#   (give run.sh MNT_PORT as well when it differs; with scripts/test-tools/ganesha.sh: eval its output, then
#   NFS_EXPORT=/export ... run.sh scripts/test-tools/vm/guest/nfs.sh $NFS_PORT $MNT_PORT)
# NFS_PHASE=checks (default), for each version of NFS_VERS: mount, df, fs_checks, then unpack a tarball
#   (TARBALL_SRC trees) and compare it with the originals (contents, types, modes, owners, mtimes,
#   link targets), rename trees, chown/chmod/utimes/symlink/hard link, fsync-heavy writes, concurrent writers
#   to several files and to one file at different offsets (O_DIRECT), byte-range locks, umount.
# NFS_PHASE=restart, for "file handles stay valid when the server restarts" (the first version of NFS_VERS;
#   a hard mount with lookupcache=none): writes restart/kept with fsync and keeps it open, creates
#   guest-ready, then waits (NFS_WAIT s) for host-restarted, which the host creates once it restarted the
#   server; then reads the kept file through the descriptor opened before the restart and by its path, and
#   when NFS_SYNCED_NAME is set waits (NFS_WAIT s) for that file to appear holding bytes of sha256
#   NFS_SYNCED_SHA256 (an object the host put into the bucket). The file names are relative to the export's
#   root, where the host's libnfs tools reach them (nfs-ls, nfs-cp: they MOUNT the directory of a URL).
# Env: NFS_VERS ("3 4.1"; v3 mounts use nolock: NLM would need the server to call back into the guest),
#   NFS_PORT (2049), MNT_PORT (NFS_PORT: sgw serves MOUNT on the NFS port), NFS_EXPORT (/demo; v3 MOUNT and
#   v4 use the same path), NFS_OPTS (more mount options), NFS_WAIT (600), TARBALL_SRC ("/usr/include/linux/netfilter
#   /usr/share/zoneinfo/America", trees of the host's /), BIG_MB, TREE_SRC.
# Prints PASS/FAIL per check and "N passed, N failed" last; exits non-zero when a check failed.
set -u
. /tmp/run/guest-lib.sh
nfs_port=${NFS_PORT:-2049}
mnt_port=${MNT_PORT:-$nfs_port}
export_path=${NFS_EXPORT:-/demo}
phase=${NFS_PHASE:-checks}
wait_seconds=${NFS_WAIT:-600}
case $phase in checks | restart) ;; *) echo "NFS_PHASE must be checks or restart, not $phase"; exit 2 ;; esac

load_module nfsv3 && load_module nfsv4 || { fail "load nfsv3, nfsv4"; finish; exit 1; }

# mount_nfs VERSION DIR [OPTION...]
mount_nfs() {
  local version=$1 dir=$2 opts
  shift 2
  if [ "$version" = 3 ]; then
    opts=vers=3,proto=tcp,port=$nfs_port,mountproto=tcp,mountport=$mnt_port,nolock
  else
    opts=vers=$version,proto=tcp,port=$nfs_port
  fi
  opts+=,retry=1${NFS_OPTS:+,$NFS_OPTS}
  for extra in "$@"; do opts+=,$extra; done
  mkdir -p "$dir" && mount -t nfs -o "$opts" "$HOST:$export_path" "$dir"
}

# df_reports_size DIR: statfs gives a size and free space
df_reports_size() {
  df -B1 "$1" || return 1
  set -- $(df -B1 --output=size,avail "$1" | tail -1)
  (($1 > 0 && $2 > 0 && $2 <= $1))
}

tarball_trees=${TARBALL_SRC:-/usr/include/linux/netfilter /usr/share/zoneinfo/America}
tarball_names() { local t; for t in $tarball_trees; do echo "${t#/}"; done; }

# manifest ROOT: one line per entry of the trees under ROOT: type, mode, owner, size, mtime (whole seconds, as
# tar keeps them; not for symbolic links, whose own times FSAL_VFS does not set), link target, sha256
manifest() {
  python3 - "$1" $(tarball_names) <<'PY'
import hashlib, os, stat, sys
root = sys.argv[1]
for top in sys.argv[2:]:
    for here, dirs, files in os.walk(os.path.join(root, top)):
        dirs.sort()
        for path in [here] + [os.path.join(here, f) for f in sorted(files)]:
            st = os.lstat(path)
            line = [os.path.relpath(path, root), oct(st.st_mode), '%d:%d' % (st.st_uid, st.st_gid)]
            if stat.S_ISLNK(st.st_mode):
                line.append('-> ' + os.readlink(path))
            else:
                line.append('mtime %d' % int(st.st_mtime))
            if stat.S_ISREG(st.st_mode):
                line.append('%d bytes sha256 %s' % (st.st_size, hashlib.sha256(open(path, 'rb').read()).hexdigest()))
            print(' '.join(line))
PY
}

make_tarball() {
  tar -C / -czf /tmp/source.tar.gz $(tarball_names) && manifest / >/tmp/source.manifest &&
    echo "$(wc -l </tmp/source.manifest) entries, $(stat -c %s /tmp/source.tar.gz) bytes compressed"
}

# same_as_source ROOT: the manifest of the trees under ROOT equals the originals'
same_as_source() {
  manifest "$1" >/tmp/copy.manifest && diff /tmp/source.manifest /tmp/copy.manifest >/tmp/manifest.diff && return 0
  head -n 20 /tmp/manifest.diff
  return 1
}

# unpack DIR: the tarball unpacked under DIR/unpacked equals the originals
unpack() { mkdir -p "$1/unpacked" && tar -C "$1/unpacked" -xzf /tmp/source.tar.gz && drop_caches && same_as_source "$1/unpacked"; }

# rename_trees DIR: the unpacked tree renamed in place, moved into another directory and over an empty
# directory, still equal; a file renamed over another
rename_trees() {
  mv "$1/unpacked" "$1/renamed" && mkdir "$1/elsewhere" && mv "$1/renamed" "$1/elsewhere/moved" &&
    mkdir "$1/empty" && mv -T "$1/elsewhere" "$1/empty" &&
    [ ! -e "$1/unpacked" ] && [ ! -e "$1/renamed" ] && [ ! -e "$1/elsewhere" ] && drop_caches &&
    same_as_source "$1/empty/moved" &&
    echo new >"$1/replacement" && echo old >"$1/replaced" && mv "$1/replacement" "$1/replaced" &&
    [ "$(cat "$1/replaced")" = new ] && [ ! -e "$1/replacement" ]
}

# attributes DIR: chown, chmod (with setgid and sticky), atime and mtime, a symbolic and a hard link
attributes() {
  local f=$1/attr
  echo attributes >"$f" &&
    chown 1234:5678 "$f" && [ "$(stat -c %u:%g "$f")" = 1234:5678 ] &&
    chmod 2751 "$f" && [ "$(stat -c %a "$f")" = 2751 ] && chmod 0644 "$f" && [ "$(stat -c %a "$f")" = 644 ] &&
    mkdir "$1/sticky" && chmod 1777 "$1/sticky" && [ "$(stat -c %a "$1/sticky")" = 1777 ] &&
    touch -a -d '2011-01-02 03:04:05 UTC' "$f" && touch -m -d '2012-06-07 08:09:10.5 UTC' "$f" && drop_caches &&
    [ "$(stat -c %X "$f")" = 1293937445 ] && [ "$(stat -c %Y "$f")" = 1339056550 ] &&
    [ "$(TZ=UTC stat -c %y "$f")" = '2012-06-07 08:09:10.500000000 +0000' ] &&
    touch -m -d '2013-01-01 00:00:00 UTC' "$1/sticky" && [ "$(stat -c %Y "$1/sticky")" = 1356998400 ] &&
    ln -s attr "$1/attr-symlink" && [ "$(readlink "$1/attr-symlink")" = attr ] && [ -L "$1/attr-symlink" ] &&
    [ "$(cat "$1/attr-symlink")" = attributes ] &&
    ln -s /nowhere/at/all "$1/dangling" && [ "$(readlink "$1/dangling")" = /nowhere/at/all ] &&
    ln "$f" "$1/attr-link" && [ "$(stat -c %i "$f")" = "$(stat -c %i "$1/attr-link")" ] &&
    [ "$(stat -c %h "$f")" = 2 ] && rm "$f" && drop_caches &&
    [ "$(stat -c %h "$1/attr-link")" = 1 ] && [ "$(cat "$1/attr-link")" = attributes ] &&
    [ "$(stat -c %u:%g "$1/attr-link")" = 1234:5678 ]
}

# fsync_heavy DIR: 100 small files and 100 appends to one file, each write followed by fsync, read back
fsync_heavy() {
  python3 - "$1" <<'PY'
import hashlib, os, sys
root = os.path.join(sys.argv[1], 'fsync')
os.mkdir(root)
want = {}
for i in range(100):
    data = os.urandom(512 + (i * 997) % 65536)
    name = os.path.join(root, 'f%03d' % i)
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    os.write(fd, data)
    os.fsync(fd)
    os.close(fd)
    want[name] = hashlib.sha256(data).hexdigest()
log = os.path.join(root, 'log')
fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
whole = hashlib.sha256()
for i in range(100):
    line = ('record %d %s\n' % (i, os.urandom(8).hex())).encode()
    os.write(fd, line)
    os.fsync(fd)
    whole.update(line)
os.close(fd)
want[log] = whole.hexdigest()
os.sync()
with open('/proc/sys/vm/drop_caches', 'w') as f:
    f.write('3')
bad = [n for n, h in want.items() if hashlib.sha256(open(n, 'rb').read()).hexdigest() != h]
print('%d files, %d differ: %s' % (len(want), len(bad), bad[:5]))
sys.exit(1 if bad else 0)
PY
}

# dsync_writes DIR: 64 4 KiB writes with O_DSYNC (each one a stable WRITE)
dsync_writes() {
  dd if=/dev/urandom of=/tmp/dsync.src bs=4k count=64 status=none &&
    dd if=/tmp/dsync.src of="$1/dsync" bs=4k oflag=dsync status=none && drop_caches &&
    cmp /tmp/dsync.src "$1/dsync"
}

# concurrent_files DIR: 4 writers at once, each to its own file
concurrent_files() {
  local i pids=()
  for i in 1 2 3 4; do dd if=/dev/urandom of="/tmp/writer$i" bs=1M count=8 status=none || return 1; done
  for i in 1 2 3 4; do dd if="/tmp/writer$i" of="$1/writer$i" bs=64k conv=fsync status=none & pids+=($!); done
  for i in "${pids[@]}"; do wait "$i" || return 1; done
  drop_caches && for i in 1 2 3 4; do cmp "/tmp/writer$i" "$1/writer$i" || return 1; done
}

# concurrent_offsets DIR: 4 writers at once to one file, each its own 4 MiB, with O_DIRECT (straight to the server)
concurrent_offsets() {
  local i pids=()
  dd if=/dev/urandom of=/tmp/shared bs=1M count=16 status=none || return 1
  for i in 0 1 2 3; do
    dd if=/tmp/shared of="$1/shared" bs=256k skip=$((i * 16)) seek=$((i * 16)) count=16 conv=notrunc oflag=direct status=none &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || return 1; done
  drop_caches && cmp /tmp/shared "$1/shared"
}

# range_locks DIR: shared and exclusive fcntl locks between two processes; a waiting lock is granted on unlock
range_locks() {
  touch "$1/locks" && python3 - "$1/locks" <<'PY'
import fcntl, os, sys, time
path = sys.argv[1]
holder = open(path, 'r+')
fcntl.lockf(holder, fcntl.LOCK_SH | fcntl.LOCK_NB, 100, 0)
fcntl.lockf(holder, fcntl.LOCK_EX | fcntl.LOCK_NB, 100, 1000)
ready_r, ready_w = os.pipe()
child = os.fork()
if child == 0:
    other = open(path, 'r+')
    def refused(kind, length, start):
        try:
            fcntl.lockf(other, kind | fcntl.LOCK_NB, length, start)
        except OSError:
            return True
        return False
    fcntl.lockf(other, fcntl.LOCK_SH | fcntl.LOCK_NB, 10, 50)        # shared with the holder's shared range
    fcntl.lockf(other, fcntl.LOCK_UN, 10, 50)
    checks = [refused(fcntl.LOCK_EX, 10, 50), refused(fcntl.LOCK_SH, 10, 1050), refused(fcntl.LOCK_EX, 1, 1099)]
    fcntl.lockf(other, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 500)       # between the holder's ranges
    os.write(ready_w, b'x')
    started = time.monotonic()
    fcntl.lockf(other, fcntl.LOCK_EX, 100, 1000)                     # waits for the holder's unlock
    waited = time.monotonic() - started
    print('refused %s, waited %.1f s' % (checks, waited))
    os._exit(0 if all(checks) and waited >= 0.5 else 1)
os.read(ready_r, 1)
time.sleep(1)
fcntl.lockf(holder, fcntl.LOCK_UN, 100, 1000)
_, status = os.waitpid(child, 0)
sys.exit(0 if status == 0 else 1)
PY
}

nfs_checks() {   # nfs_checks DIR LABEL
  local dir=$1/sgw-nfs-$2-$$ label=$2 locks=
  [ "${label#nfs}" = 3 ] && locks=" (local to the client: nolock)"
  check "$label: make a test directory" mkdir -p "$dir" || return 0
  check "$label: unpack a tarball, equal to the originals byte for byte" unpack "$dir"
  check "$label: rename trees, rename over a file" rename_trees "$dir"
  check "$label: chown, chmod, atime and mtime, symbolic and hard links" attributes "$dir"
  check "$label: 100 small files and 100 appends, each fsync'ed" fsync_heavy "$dir"
  check "$label: 64 O_DSYNC writes" dsync_writes "$dir"
  check "$label: 4 concurrent writers to 4 files" concurrent_files "$dir"
  check "$label: 4 concurrent O_DIRECT writers to one file at different offsets" concurrent_offsets "$dir"
  check "$label: byte-range locks, shared and exclusive, a waiter granted on unlock$locks" range_locks "$dir"
  check "$label: rm -rf the test directory" rm -rf "$dir"
}

restart_phase() {
  local version=${NFS_VERS:-3} mnt=/mnt/nfs dir
  version=${version%% *}
  dir=$mnt/restart
  check "nfs$version mount $HOST:$export_path (hard, lookupcache=none)" mount_nfs "$version" "$mnt" lookupcache=none ||
    { finish; exit 1; }
  grep " $mnt " /proc/mounts
  write_kept() {
    rm -rf "$dir" "$mnt/guest-ready" "$mnt/host-restarted" && mkdir -p "$dir" &&
      dd if=/dev/urandom of=/tmp/kept bs=1M count=8 status=none && dd if=/tmp/kept of="$dir/kept" bs=1M conv=fsync status=none && sha256sum </tmp/kept >/tmp/kept.sha256
  }
  check "write restart/kept (8 MiB, fsync)" write_kept || { finish; exit 1; }
  exec 3<"$dir/kept"
  check "signal guest-ready" touch "$mnt/guest-ready"
  sync
  await_restart() {
    local n
    for ((n = 0; n < wait_seconds; n++)); do
      [ -e "$mnt/host-restarted" ] && return 0
      sleep 1
    done
    return 1
  }
  check "the host restarted the server (host-restarted appeared)" await_restart || { finish; exit 1; }
  kept_by_descriptor() { drop_caches && [ "$(sha256sum <&3)" = "$(cat /tmp/kept.sha256)" ]; }
  kept_by_path() { drop_caches && [ "$(sha256sum <"$dir/kept")" = "$(cat /tmp/kept.sha256)" ] && ls -la "$dir"; }
  check "read the kept file through the descriptor opened before the restart" kept_by_descriptor
  check "read the kept file by its path after the restart" kept_by_path
  exec 3<&-
  if [ -n "${NFS_SYNCED_NAME:-}" ]; then
    await_synced() {
      local n file=$mnt/$NFS_SYNCED_NAME
      for ((n = 0; n < wait_seconds; n++)); do
        [ -e "$file" ] && drop_caches && [ "$(sha256sum <"$file" | cut -d' ' -f1)" = "${NFS_SYNCED_SHA256:-}" ] && return 0
        sleep 1
      done
      ls -la "$mnt"
      return 1
    }
    check "$NFS_SYNCED_NAME, put into the bucket by the host, appears with its bytes" await_synced
  fi
  check "nfs$version umount" umount "$mnt"
}

if [ "$phase" = restart ]; then
  restart_phase
  finish
  exit
fi

check "make the tarball of $(echo $tarball_trees)" make_tarball || { finish; exit 1; }
tail -n 1 /tmp/check.out
for version in ${NFS_VERS:-3 4.1}; do
  mnt=/mnt/nfs$version
  check "nfs$version mount $HOST:$export_path" mount_nfs "$version" "$mnt" || continue
  grep " $mnt " /proc/mounts
  check "nfs$version: df reports a size" df_reports_size "$mnt"
  tail -n 2 /tmp/check.out
  fs_checks "$mnt" "nfs$version"
  nfs_checks "$mnt" "nfs$version"
  check "nfs$version umount" umount "$mnt"
done
finish
