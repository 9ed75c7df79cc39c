#!/bin/bash
# Guest script (vm/run.sh): the Linux kernel's iSCSI initiator (open-iscsi) against a target on the host.
# Run: ISCSI_IQN=... [ISCSI_PORT=3260] scripts/test-tools/vm/run.sh scripts/test-tools/vm/guest/iscsi.sh 3260
# ISCSI_PHASE=format (default) DESTROYS the LUN: log in, mkfs.ext4, mount, fs_checks (64 MiB round trip,
#   tar copy, ...), keep a file and a tree for a later verify, fstrim, umount, fsck.ext4 -fn, log out.
# ISCSI_PHASE=verify: log in, fsck.ext4 -fn, mount, check the kept file and tree, umount, log out; for
#   "the same volume after the target restarted".
# Env: ISCSI_IQN (required), ISCSI_PORT (3260), ISCSI_LUN (the LUN whose disk to use; default the first
#   disk), CHAP_USER/CHAP_PASS (CHAP), ISCSI_INITIATOR (initiator name), BIG_MB, TREE_SRC.
# Discovery is not used (sendtargets would answer 127.0.0.1): the node is recorded by hand for the relay.
# Prints PASS/FAIL per check and "N passed, N failed" last; exits non-zero when a check failed.
set -u
. /tmp/run/guest-lib.sh
iqn=${ISCSI_IQN:?ISCSI_IQN is required}
portal=$HOST:${ISCSI_PORT:-3260}
phase=${ISCSI_PHASE:-format}
mnt=/mnt/iscsi
keep=$mnt/sgw-kept
case $phase in format | verify) ;; *) echo "ISCSI_PHASE must be format or verify, not $phase"; exit 2 ;; esac

load_module iscsi_tcp && load_module sd_mod && load_module ext4 || { fail "load iscsi_tcp, sd_mod, ext4"; finish; exit 1; }
[ -z "${ISCSI_INITIATOR:-}" ] || echo "InitiatorName=$ISCSI_INITIATOR" >/etc/iscsi/initiatorname.iscsi
mkdir -p /run/lock/iscsi
setsid iscsid -f >/tmp/iscsid.log 2>&1 &   # a session of its own: iscsid -f signals its process group on exit
iscsid_pid=$!
trap 'kill $iscsid_pid 2>/dev/null' EXIT
for _ in $(seq 100); do grep -q ISCSIADM_ABSTRACT_NAMESPACE /proc/net/unix && break; sleep 0.1; done   # iscsid listens

node() { iscsiadm -m node -T "$iqn" -p "$portal" "$@"; }
node -o new >/dev/null
settings=(node.session.initial_login_retry_max=2 node.session.timeo.replacement_timeout=30)
[ -z "${CHAP_USER:-}" ] || settings+=(node.session.auth.authmethod=CHAP "node.session.auth.username=$CHAP_USER"
                                     "node.session.auth.password=${CHAP_PASS:-}")
for setting in "${settings[@]}"; do node -o update -n "${setting%%=*}" -v "${setting#*=}"; done

logout() { check "iscsi logout" node --logout; }
check "iscsi login to $iqn at $portal" node --login || { cat /tmp/iscsid.log; finish; exit 1; }

# the disk of ISCSI_LUN (or the first disk) once the kernel attached it
disk=
for _ in $(seq 100); do
  disk=$(iscsiadm -m session -P 3 | awk -v want="${ISCSI_LUN:-}" '
    /Lun: / { lun = $NF }
    /Attached scsi disk/ { if (want == "" || lun == want) { print $4; exit } }')
  [ -n "$disk" ] && [ -b "/dev/$disk" ] && break
  sleep 0.1
done
if [ -z "$disk" ] || [ ! -b "/dev/$disk" ]; then
  fail "no disk attached for LUN ${ISCSI_LUN:-any}"
  iscsiadm -m session -P 3 | tail -n 20
  logout
  finish
  exit 1
fi
dev=/dev/$disk
pass "disk $dev of $(($(cat "/sys/block/$disk/size") / 2048)) MiB"
mkdir -p "$mnt"

keep_files() {   # a file and a tree a later verify run checks
  mkdir -p "$keep" &&
    dd if=/dev/urandom of="$keep/data" bs=1M count=16 status=none conv=fsync &&
    sha256sum <"$keep/data" >"$keep/data.sha256" &&
    tar -C "$(dirname "${TREE_SRC:-/usr/include/asm-generic}")" -cf - "$(basename "${TREE_SRC:-/usr/include/asm-generic}")" |
      tar -C "$keep" -xf - &&
    sync
}
kept_files_match() {
  drop_caches &&
    [ "$(sha256sum <"$keep/data")" = "$(cat "$keep/data.sha256")" ] &&
    diff -r "${TREE_SRC:-/usr/include/asm-generic}" "$keep/$(basename "${TREE_SRC:-/usr/include/asm-generic}")"
}

if [ "$phase" = format ]; then
  check "mkfs.ext4" mkfs.ext4 -q -F -E nodiscard "$dev"
  if check "mount ext4" mount -t ext4 "$dev" "$mnt"; then
    fs_checks "$mnt" iscsi-ext4
    check "keep a 16 MiB file and a tree for a later verify" keep_files
    check "fstrim (UNMAP)" fstrim -v "$mnt"
    check "umount" umount "$mnt"
  fi
  check "fsck.ext4 -fn finds the file system clean" fsck.ext4 -fn "$dev"
else
  check "fsck.ext4 -fn finds the file system clean" fsck.ext4 -fn "$dev"
  if check "mount ext4" mount -t ext4 "$dev" "$mnt"; then
    check "the kept file and tree are intact" kept_files_match
    check "umount" umount "$mnt"
  fi
fi
logout
finish
