# Sourced by guest scripts INSIDE the test guest, as /tmp/run/guest-lib.sh (vm/run.sh puts it there).
#   HOST            10.0.2.100: the host's loopback, for the ports vm/run.sh relays
#   load_module M   modprobe for the guest's kernel (there is no udev: load drivers by hand)
#   check NAME CMD  runs CMD, prints PASS or FAIL (with the tail of its output) and the time it took
#   pass/fail/skip  record a result by hand
#   finish          prints "N passed, N failed" and returns non-zero when something failed
#   fs_checks DIR LABEL   file system checks in a fresh directory under DIR (a mounted file system)
# fs_checks env: BIG_MB (64), TREE_SRC (/usr/include/asm-generic), NO_CHMOD=1, NO_HARDLINK=1.
HOST=10.0.2.100
PASSED=0 FAILED=0

load_module() { modprobe -d /run/kernel "$@"; }
pass() { echo "PASS $*"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL $*"; FAILED=$((FAILED + 1)); }
skip() { echo "SKIP $*"; }
finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" = 0 ]
}

# check NAME COMMAND...: inside COMMAND's functions chain steps with &&, since set -e is off in a condition
check() {
  local name=$1 start status=0 took
  shift
  start=$(date +%s%N)
  "$@" >/tmp/check.out 2>&1 || status=$?
  took=$(( ($(date +%s%N) - start) / 10000000 ))
  took=$((took / 100)).$(printf '%02d' $((took % 100)))
  if [ "$status" = 0 ]; then
    pass "$name (${took} s)"
  else
    fail "$name (exit $status, ${took} s)"
    tail -n 5 /tmp/check.out | sed 's/^/    /'
  fi
  return "$status"
}

drop_caches() { sync && echo 3 >/proc/sys/vm/drop_caches; }

# big_file_round_trip DIR: BIG_MB MiB of random data written with fsync, caches dropped, read back by sha256
big_file_round_trip() {
  dd if=/dev/urandom of=/tmp/big.src bs=1M count="${BIG_MB:-64}" status=none &&
    dd if=/tmp/big.src of="$1/big" bs=1M conv=fsync status=none &&
    drop_caches &&
    [ "$(sha256sum <"$1/big")" = "$(sha256sum </tmp/big.src)" ]
}

# tree_copy DIR: a tar copy of TREE_SRC, compared with diff -r and by its number of entries
tree_copy() {
  local src=${TREE_SRC:-/usr/include/asm-generic} copy
  copy=$1/tree/$(basename "$src")
  mkdir -p "$1/tree" &&
    tar -C "$(dirname "$src")" -cf - "$(basename "$src")" | tar -C "$1/tree" -xf - &&
    drop_caches &&
    diff -r "$src" "$copy" &&
    [ "$(find "$src" | wc -l)" = "$(find "$copy" | wc -l)" ]
}

renames() { echo a >"$1/r1" && mv "$1/r1" "$1/r2" && [ ! -e "$1/r1" ] && [ "$(cat "$1/r2")" = a ]; }
hardlinks() { echo b >"$1/h1" && ln "$1/h1" "$1/h2" && [ "$(stat -c %h "$1/h1")" = 2 ] && [ "$(cat "$1/h2")" = b ]; }
symlinks() { echo c >"$1/s1" && ln -s s1 "$1/s2" && [ "$(readlink "$1/s2")" = s1 ] && [ "$(cat "$1/s2")" = c ]; }
modes() {
  touch "$1/m1" && chmod 640 "$1/m1" && [ "$(stat -c %a "$1/m1")" = 640 ] &&
    chmod 755 "$1/m1" && [ "$(stat -c %a "$1/m1")" = 755 ]
}
truncates() {
  echo d >"$1/t1" && truncate -s 3000000 "$1/t1" && [ "$(stat -c %s "$1/t1")" = 3000000 ] &&
    [ "$(head -c 2 "$1/t1" | od -An -c | tr -d ' ')" = 'd\n' ] &&
    truncate -s 1 "$1/t1" && [ "$(stat -c %s "$1/t1")" = 1 ]
}
mtimes() { touch "$1/u1" && touch -m -d '2010-06-07 08:09:10 UTC' "$1/u1" && [ "$(stat -c %Y "$1/u1")" = 1275898150 ]; }
flocks() { touch "$1/f1" && flock -n "$1/f1" -c "! flock -n '$1/f1' -c true"; }
directories() { mkdir -p "$1/d1/d2/d3" && rmdir "$1/d1/d2/d3" "$1/d1/d2" && rmdir "$1/d1" && [ ! -e "$1/d1" ]; }
byte_range_locks() {   # fcntl locks: a second process is refused an overlapping range and granted a disjoint one
  touch "$1/p1" && python3 - "$1/p1" <<'PY'
import fcntl, os, sys
holder = open(sys.argv[1], 'r+')
fcntl.lockf(holder, fcntl.LOCK_EX | fcntl.LOCK_NB, 100, 0)
child = os.fork()
if child == 0:
    other = open(sys.argv[1], 'r+')
    try:
        fcntl.lockf(other, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 50)
        os._exit(1)
    except OSError:
        pass
    fcntl.lockf(other, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 200)
    os._exit(0)
sys.exit(0 if os.waitpid(child, 0)[1] == 0 else 1)
PY
}

fs_checks() {
  local dir=$1/sgw-checks-$2-$$ label=$2
  check "$label: make a test directory" mkdir -p "$dir" || return 0
  check "$label: ${BIG_MB:-64} MiB round trip by sha256 after dropping caches" big_file_round_trip "$dir"
  check "$label: tar copy compared with diff -r" tree_copy "$dir"
  check "$label: rename" renames "$dir"
  [ -n "${NO_HARDLINK:-}" ] || check "$label: hard link" hardlinks "$dir"
  check "$label: symbolic link" symlinks "$dir"
  [ -n "${NO_CHMOD:-}" ] || check "$label: chmod" modes "$dir"
  check "$label: truncate up and down" truncates "$dir"
  check "$label: set mtime" mtimes "$dir"
  check "$label: flock is exclusive" flocks "$dir"
  if command -v python3 >/dev/null; then
    check "$label: byte-range locks" byte_range_locks "$dir"
  else
    skip "$label: byte-range locks (no python3)"
  fi
  check "$label: mkdir and rmdir" directories "$dir"
  check "$label: rm -rf the test directory" rm -rf "$dir"
}
